/**
 * `samenloop bevestig` / `afwijs` on the real Kafka and Redis: the command reaches the processor, the WMO301
 * is sent, and the signal says who decided and why.
 */
import { DEMO_POLICIES, demoScenario } from '../../../demo/scenario';
import { loadConfig } from '../../../services/config';
import { SamenloopService } from '../../../services/kafka/service';
import { createLogger } from '../../../services/log';
import { gemeenteTopic, inputTopicOf } from '../../../services/topics';
import { cliEnv, samenloop } from '../../support/cli';
import { collect, testKafka, waitFor, sendInOrder } from '../../support/kafka';

type Event = {
  type: string;
  data: {
    beeindiging?: { id: string; status: string; besluit?: { door: string; toelichting?: string } };
    opdracht?: { door: string | null };
  };
};

describe('samenloop bevestig and afwijs', () => {
  const { env } = cliEnv({ GEMEENTE_POLICIES: DEMO_POLICIES });
  const cfg = loadConfig(env);
  const service = new SamenloopService(cfg, createLogger('silent'));
  beforeAll(async () => {
    await service.start();
  });
  afterAll(async () => {
    await service.stop();
  });

  it('usage and input errors exit 1 and 2 without sending anything', async () => {
    const id = 'bd-0123456789abcdef01234567';
    expect((await samenloop(['bevestig', id, '--gemeente', '9999'], env)).code).toBe(1);
    expect((await samenloop(['bevestig', 'bd-xyz', '--gemeente', '9999', '--door', 'x'], env)).code).toBe(1);
    const long = await samenloop(['afwijs', id, '--gemeente', '9999', '--door', 'x'.repeat(101)], env);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('door: is longer than 100 characters');
  });

  it('bevestig sends the WMO301 and the signal names who decided and why; afwijs afterwards is refused', async () => {
    expect((await samenloop(['topics', 'create', '--gemeente', '9999'], env)).code).toBe(0);
    const kafka = testKafka();
    // one at a time, in the story's order (as the demo): the order of processing is the order of the story
    await sendInOrder(
      kafka,
      cfg.KAFKA_GROUP_ID,
      demoScenario('2026-11-23').map((step) => ({ topic: inputTopicOf(cfg, step.input), value: step.xml })),
    );
    const samenloopTopic = gemeenteTopic(cfg, '9999', 'samenloop');
    const { records, consumer } = await collect(kafka, [
      samenloopTopic,
      gemeenteTopic(cfg, '9999', 'beeindigingen'),
    ]);
    const events = () =>
      records.filter((r) => r.topic === samenloopTopic).map((r) => JSON.parse(r.value!.toString()) as Event);
    await waitFor(
      () => events().some((e) => e.data.beeindiging?.status === 'voorgesteld'),
      60000,
      200,
      'a proposed beëindiging',
    );
    const id = events().find((e) => e.data.beeindiging?.status === 'voorgesteld')!.data.beeindiging!.id;
    const r = await samenloop(
      [
        'bevestig',
        id,
        '--gemeente',
        '9999',
        '--door',
        'J. de Vries',
        '--toelichting',
        'gebeld met het zorgkantoor',
      ],
      env,
    );
    expect([r.code, r.stderr]).toEqual([0, '']);
    await waitFor(
      () => events().some((e) => e.data.beeindiging?.status === 'verzonden'),
      60000,
      200,
      'the confirmed signal',
    );
    const confirmed = events().find((e) => e.data.beeindiging?.status === 'verzonden')!;
    expect(confirmed.data.beeindiging!.besluit).toEqual({
      door: 'J. de Vries',
      toelichting: 'gebeld met het zorgkantoor',
    });
    await waitFor(() => records.some((x) => x.topic.endsWith('.beeindigingen')), 30000, 200, 'the WMO301');
    const late = await samenloop(['afwijs', id, '--gemeente', '9999', '--door', 'A. Ander'], env);
    expect(late.code).toBe(0);
    await waitFor(
      () => events().some((e) => e.type === 'nl.samenloop.opdracht.afgewezen'),
      60000,
      200,
      'the refusal',
    );
    await consumer.disconnect();
    expect(events().find((e) => e.type === 'nl.samenloop.opdracht.afgewezen')!.data.opdracht!.door).toBe(
      'A. Ander',
    );
  });
});
