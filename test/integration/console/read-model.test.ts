/**
 * The console's read model on the real Kafka and Redis: built from a gemeente's notification topic with
 * read_committed (an aborted notification never shows), hostile records passed over without stopping, a
 * redelivered notification changes nothing, and a rebuild (--herbouw) gives the same model.
 */
import { Redis } from 'ioredis';
import { loadConsoleConfig } from '../../../services/console/config';
import { Projector } from '../../../services/console/projector';
import { signaalId } from '../../../services/console/model';
import { ConsoleStore } from '../../../services/console/store';
import { TopicManager } from '../../../services/kafka/topics';
import { createLogger } from '../../../services/log';
import { gemeenteTopic } from '../../../services/topics';
import { cliEnv } from '../../support/cli';
import { testKafka, waitFor } from '../../support/kafka';
import { signaal } from '../../unit/console/fixtures';

/** An isolated run of the console for gemeente 9999 (own topics, group and Redis prefix), cleaned up after. */
function consoleRun() {
  const { run, env } = cliEnv();
  const cfg = loadConsoleConfig({
    ...env,
    CONSOLE_GEMEENTEN: '9999',
    CONSOLE_REDIS_PREFIX: `${run}-console:`,
    CONSOLE_GROUP_ID: `${run}-console`,
  });
  const redis = new Redis(cfg.base.REDIS_URL);
  const store = new ConsoleStore(redis, cfg.console.CONSOLE_REDIS_PREFIX);
  afterAll(async () => {
    const keys = await redis.keys(`${cfg.console.CONSOLE_REDIS_PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  return { run, cfg, store, topic: gemeenteTopic(cfg.base, '9999', 'samenloop'), kafka: testKafka() };
}

describe('the console read model', () => {
  const { run, cfg, store, topic, kafka } = consoleRun();

  it('reads committed notifications only, passes over hostile ones, and rebuilds to the same model', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await new TopicManager(admin, cfg.base).ensure([topic]);
    await admin.disconnect();
    const producer = kafka.producer({
      transactionalId: `${run}-tx`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const send = async (values: string[], commit = true) => {
      const tx = await producer.transaction();
      await tx.send({ topic, messages: values.map((value) => ({ key: 'k', value })) });
      await (commit ? tx.commit() : tx.abort());
    };
    await send([
      'not json',
      signaal({ id: 'sl-other', subject: 'wmo-toewijzing/9998/1', gemeente: '9998' }),
      JSON.stringify({
        type: 'nl.samenloop.signaal',
        id: 'x',
        data: { gemeente: '9999', client: 'x'.repeat(10000) },
      }),
      signaal({ id: 'sl-1', beoordeling: 'beoordelen', time: '2026-11-16T09:00:00Z' }),
    ]);
    await send(
      [signaal({ id: 'sl-aborted', subject: 'wmo-toewijzing/9999/7777', status: 'voorgesteld' })],
      false,
    );
    await send([
      signaal({ id: 'sl-2', status: 'voorgesteld', time: '2026-11-22T09:00:00Z' }),
      signaal({ id: 'sl-2', status: 'voorgesteld', time: '2026-11-22T09:00:00Z' }), // redelivered
      signaal({ id: 'sl-3', subject: 'wmo-toewijzing/9999/9002', beoordeling: 'beoordelen' }),
    ]);
    await producer.disconnect();

    const log = createLogger('silent');
    const projector = new Projector(cfg, store, log);
    await projector.start();
    const open = await waitFor(
      async () => {
        const docs = await store.open('9999');
        return docs.length === 2 && docs.some((d) => d.status === 'voorgesteld') ? docs : undefined;
      },
      60000,
      200,
      'the read model',
    );
    await projector.stop();
    expect(projector.skipped).toBe(3);
    const jansen = open.find((d) => d.subject === 'wmo-toewijzing/9999/9001')!;
    expect(jansen.geschiedenis.map((h) => h.id)).toEqual(['sl-1', 'sl-2']);
    expect(open.map((d) => d.subject).sort()).toEqual([
      'wmo-toewijzing/9999/9001',
      'wmo-toewijzing/9999/9002',
    ]);
    expect(await store.open('9998')).toEqual([]);
    const before = JSON.stringify(open.sort((a, b) => a.id.localeCompare(b.id)));

    // the rebuild: the model is deleted and read again from the topic by a new consumer generation
    expect(await store.herbouw(['9999'])).toBe(1);
    expect(await store.open('9999')).toEqual([]);
    const again = new Projector(cfg, store, log);
    await again.start();
    const rebuilt = await waitFor(
      async () => {
        const docs = await store.open('9999');
        return docs.length === 2 && docs.some((d) => d.status === 'voorgesteld') ? docs : undefined;
      },
      60000,
      200,
      'the rebuilt read model',
    );
    await again.stop();
    expect(JSON.stringify(rebuilt.sort((a, b) => a.id.localeCompare(b.id)))).toBe(before);
  });
});

describe('the console read model and tombstones', () => {
  const { run, cfg, store, topic, kafka } = consoleRun();
  const log = createLogger('silent');

  it('a tombstone removes the signal (with its refused commands); a rebuild gives the same model', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await new TopicManager(admin, cfg.base).ensure([topic]);
    await admin.disconnect();
    const [weg, blijft] = ['wmo-toewijzing/9999/9003', 'wmo-toewijzing/9999/9004'];
    const producer = kafka.producer({
      transactionalId: `${run}-tx`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const tx = await producer.transaction();
    await tx.send({
      topic,
      messages: [
        { key: weg, value: signaal({ id: 'sl-weg', subject: weg, status: 'voorgesteld' }) },
        { key: blijft, value: signaal({ id: 'sl-blijft', subject: blijft, beoordeling: 'beoordelen' }) },
        { key: weg, value: null }, // its tombstone (the retraction in between left out: it changes nothing here)
      ],
    });
    await tx.commit();
    await producer.disconnect();

    const model = async () => {
      const p = new Projector(cfg, store, log);
      await p.start();
      try {
        return await waitFor(
          async () => (p.applied >= 3 ? store.open('9999') : undefined),
          60000,
          200,
          'the read model',
        );
      } finally {
        await p.stop();
      }
    };
    const open = await model();
    expect(open.map((d) => d.subject)).toEqual([blijft]);
    expect(await store.signaal('9999', signaalId('9999', weg))).toBeUndefined();
    const before = JSON.stringify(open);

    expect(await store.herbouw(['9999'])).toBe(1);
    expect(JSON.stringify(await model())).toBe(before);
    expect(await store.signaal('9999', signaalId('9999', weg))).toBeUndefined();
  });
});
