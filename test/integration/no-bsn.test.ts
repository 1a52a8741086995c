import { wmoTopic } from '../support/topics';
import { Writable } from 'node:stream';
import { Partitioners } from 'kafkajs';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { TestDriver } from '../../services/pipeline/driver';
import { HOSTILE_BSNS, hostileCases, leaksOf, sampleCases, type HostileCase } from '../support/hostile';
import { collect, isolatedConfig, testKafka, waitFor } from '../support/kafka';

/**
 * Issue 11, point 3 on the real stack: a processor (real Kafka and Redis) fed records that carry a BSN
 * plain, spaced, dotted, dashed and clipped in every field that produces a reason, and in a header of
 * their own. The dead-letter topic's headers, the command rejections it sends a gemeente and every line
 * it logs (its own and kafkajs', at debug) hold no 8 or 9 consecutive digits of those BSNs. The dead
 * letter's key and value stay the raw input.
 */
describe('no BSN in a dead-letter header or a log line, on the real Kafka and Redis', () => {
  const { cfg } = isolatedConfig({ GEMEENTEN: '0384' });
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  const service = new SamenloopService(cfg, createLogger('debug', 'samenloop', stream));
  const kafka = testKafka();
  const opdrachten = `${cfg.TOPIC_GEMEENTE_PREFIX}0384.opdrachten`;
  const signalen = `${cfg.TOPIC_GEMEENTE_PREFIX}0384.samenloop`;
  const topicOf = (c: HostileCase): string =>
    ({
      indicatiebesluiten: cfg.TOPIC_INDICATIEBESLUITEN,
      zorgtoewijzingen: cfg.TOPIC_ZORGTOEWIJZINGEN,
      'wmo-toewijzingen': wmoTopic(cfg, '0384'),
      opdrachten,
    })[c.topic];

  beforeAll(async () => {
    await service.start();
  });
  afterAll(async () => {
    await service.stop();
  });

  it('dead-letters every hostile record with a reason, headers and log lines that name no BSN', async () => {
    const cases = sampleCases(hostileCases([HOSTILE_BSNS[0]]), 4);
    // What the same Processor does with each record, without a broker: which are dead letters, with what code.
    const driver = new TestDriver({ GEMEENTEN: '0384' });
    const expected = new Map<string, { code: string; value: string }>();
    let rejectedCommands = 0;
    for (const [i, c] of cases.entries()) {
      const local = {
        indicatiebesluiten: driver.cfg.TOPIC_INDICATIEBESLUITEN,
        zorgtoewijzingen: driver.cfg.TOPIC_ZORGTOEWIJZINGEN,
        'wmo-toewijzingen': wmoTopic(driver.cfg, '0384'),
        opdrachten: `${driver.cfg.TOPIC_GEMEENTE_PREFIX}0384.opdrachten`,
      }[c.topic];
      const handled = await driver.pipe(local, c.value, { headers: c.headers });
      if (handled.deadLetter) expected.set(`h-${i}`, { code: handled.deadLetter.code, value: c.value });
      if (handled.outcome === 'command-rejected') rejectedCommands++;
    }
    expect(expected.size).toBeGreaterThan(cases.length / 2);
    expect(rejectedCommands).toBeGreaterThan(0);

    const { records, consumer } = await collect(kafka, [cfg.TOPIC_DLQ, signalen]);
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      for (const [i, c] of cases.entries()) {
        await producer.send({
          topic: topicOf(c),
          messages: [{ key: `h-${i}`, value: c.value, headers: c.headers }],
        });
      }
    } finally {
      await producer.disconnect();
    }
    const dlq = () => records.filter((r) => r.topic === cfg.TOPIC_DLQ);
    const afgewezen = () => records.filter((r) => r.topic === signalen && r.value?.includes('opdracht'));
    try {
      await waitFor(
        () => dlq().length >= expected.size && afgewezen().length >= rejectedCommands,
        120000,
        250,
        `${expected.size} dead letters and ${rejectedCommands} command rejections`,
      );
    } finally {
      await consumer.disconnect();
    }

    const leaks = { ownHeaders: [] as string[], copiedHeaders: [] as string[], commands: [] as string[] };
    expect(dlq()).toHaveLength(expected.size);
    for (const r of dlq()) {
      const sent = expected.get(r.key!);
      expect(sent).toBeDefined();
      expect(r.headers['samenloop-error-code']).toBe(sent!.code);
      expect(r.headers['samenloop-error-reason']!.length).toBeGreaterThan(0);
      // The dead letter holds the raw input (that may hold a BSN); its headers may not.
      expect(r.value?.toString('utf8')).toBe(sent!.value);
      for (const [name, value] of Object.entries(r.headers)) {
        const list = name.startsWith('samenloop-') ? leaks.ownHeaders : leaks.copiedHeaders;
        for (const w of leaksOf(`${name}: ${value}`)) list.push(`${r.key} ${name}: ${value} (${w})`);
      }
    }
    for (const r of afgewezen()) {
      const text = `${JSON.stringify(r.headers)} ${r.key ?? ''} ${r.value!.toString('utf8')}`;
      for (const w of leaksOf(text)) leaks.commands.push(`${r.key}: ${w}`);
    }

    // Every line the processor logged, its own and kafkajs', at debug.
    const deadLettered = lines.filter((l) => l.includes('"input dead-lettered"'));
    expect(deadLettered.length).toBeGreaterThanOrEqual(expected.size);
    const logs = lines.flatMap((l) => leaksOf(l).map((w) => `${l} (${w})`));
    const first = (list: string[]) => list.slice(0, 8);
    expect({
      ownHeaders: first(leaks.ownHeaders),
      copiedHeaders: first(leaks.copiedHeaders),
      commands: first(leaks.commands),
      logs: first(logs),
    }).toEqual({ ownHeaders: [], copiedHeaders: [], commands: [], logs: [] });
  });
});
