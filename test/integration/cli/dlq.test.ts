/**
 * `samenloop dlq list|resend` on the real Kafka and Redis, with a running processor: a rejected record is
 * listed with its code and reason (never its key or value), and resent to its source topic with its key,
 * its headers and the resend marker.
 */
import { Partitioners } from 'kafkajs';
import { buildAw33, validBsn } from '../../fixtures/builders';
import { runningService, samenloop } from '../../support/cli';
import { collect, testKafka, waitFor } from '../../support/kafka';

describe('samenloop dlq', () => {
  const { env, cfg } = runningService();

  it('lists dead letters without key or value, and resends chosen ones to their source topic', async () => {
    const bsn = validBsn(77);
    const kafka = testKafka();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // An AW33 on the indicatiebesluiten topic: WRONG_TOPIC. Its key is the BSN, as a careless sender might.
    await producer.send({
      topic: cfg.TOPIC_INDICATIEBESLUITEN,
      messages: [{ key: bsn, value: buildAw33({ bsn }), headers: { 'x-afzender': 'zk-5509' } }],
    });
    await producer.disconnect();

    const { records, consumer } = await collect(kafka, [cfg.TOPIC_DLQ, cfg.TOPIC_INDICATIEBESLUITEN]);
    const dlq = () => records.filter((r) => r.topic === cfg.TOPIC_DLQ);
    await waitFor(() => dlq().length >= 1, 60000, 200, 'the dead letter');

    const list = await samenloop(['dlq', 'list'], env);
    expect([list.code, list.stderr]).toEqual([0, '']);
    expect(list.stdout).toMatch(
      new RegExp(
        `^\\d+:\\d+ .* ${cfg.TOPIC_INDICATIEBESLUITEN.replace(/\./g, '\\.')}\\[\\d+\\]@0 +WRONG_TOPIC `,
        'm',
      ),
    );
    expect(list.stdout).toContain('1 dead letter(s): WRONG_TOPIC 1');
    expect(list.stdout).not.toContain(bsn);
    const json = await samenloop(['dlq', 'list', '--json', '--code', 'WRONG_TOPIC'], env);
    const [entry] = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { position: string; code: string });
    expect(entry!.code).toBe('WRONG_TOPIC');
    expect(json.stdout).not.toContain(bsn);

    expect((await samenloop(['dlq', 'resend', '9:99999'], env)).code).toBe(2);
    const resent = await samenloop(['dlq', 'resend', entry!.position], env);
    expect([resent.code, resent.stderr]).toEqual([0, '']);
    await waitFor(
      () => records.filter((r) => r.topic === cfg.TOPIC_INDICATIEBESLUITEN).length >= 2,
      30000,
      200,
      'the resent record',
    );
    const [original, again] = records.filter((r) => r.topic === cfg.TOPIC_INDICATIEBESLUITEN);
    expect(again!.key).toBe(bsn);
    expect(again!.value!.equals(original!.value!)).toBe(true);
    expect(again!.headers['x-afzender']).toBe('zk-5509');
    expect(again!.headers['samenloop-resend-of']).toBe(
      `${cfg.TOPIC_DLQ}/${entry!.position.replace(':', '/')}`,
    );
    expect(Object.keys(again!.headers).filter((h) => h.startsWith('samenloop-error'))).toEqual([]);
    // Still wrong: dead-lettered again, and the list says it was resent before.
    await waitFor(() => dlq().length >= 2, 60000, 200, 'the second dead letter');
    await consumer.disconnect();
    const after = await samenloop(['dlq', 'list'], env);
    expect(after.stdout).toContain(`(resent before: ${cfg.TOPIC_DLQ}/`);
  });
});
