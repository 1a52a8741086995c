/**
 * What a new gemeente costs the running processors: REBALANCE_INSTANCES (3) in-process instances on
 * isolated topics, REBALANCE_GEMEENTEN (20) gemeenten whose topics exist at start. An existing gemeente's
 * WMO301s are fed at a steady rate (REBALANCE_RATE per second) so outputs flow; then a new gemeente's topics
 * are created from outside (as `samenloop topics create` does) and a command is written to its opdrachten
 * topic. Prints: how long until the instances had subscribed to it (its command answered on its samenloop
 * topic), and the longest gap between two outputs of the existing gemeente before and during that time
 * (the pause the rebalance caused).
 *
 *   npm run bench:rebalance
 *   REBALANCE_INSTANCES=3 REBALANCE_GEMEENTEN=50 TOPIC_REFRESH_MS=5000 npm run bench:rebalance
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { loadConfig } from '../services/config';
import { SamenloopService } from '../services/kafka/service';
import { retrying } from '../services/kafka/retriable';
import { TopicManager } from '../services/kafka/topics';
import { createLogger } from '../services/log';
import { REGISTER_KEY_ENV } from '../test/support/kafka';
import { gemeenteTopic, gemeenteTopics } from '../services/topics';

const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const INSTANCES = num('REBALANCE_INSTANCES', 3);
const GEMEENTEN = num('REBALANCE_GEMEENTEN', 20);
const RATE = num('REBALANCE_RATE', 20);
const REFRESH = num('TOPIC_REFRESH_MS', 5000);

async function main(): Promise<void> {
  const run = `rb${randomBytes(3).toString('hex')}`;
  const gemeenten = Array.from({ length: GEMEENTEN }, (_, i) => String(7000 + i));
  const cfg = loadConfig({
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    TOPIC_INDICATIEBESLUITEN: `${run}.wlz.indicatiebesluiten`,
    TOPIC_ZORGTOEWIJZINGEN: `${run}.wlz.zorgtoewijzingen`,
    TOPIC_DLQ: `${run}.samenloop.dlq`,
    TOPIC_GEMEENTE_PREFIX: `${run}.gemeente.`,
    KAFKA_GROUP_ID: `${run}-processor`,
    KAFKA_CLIENT_ID: run,
    REDIS_PREFIX: `${run}:`,
    GEMEENTEN: gemeenten.join(','),
    TOPIC_REFRESH_MS: String(REFRESH),
    HTTP_PORT: '0',
    SAMENLOOP_TODAY: '2026-11-23',
    LOG_LEVEL: 'silent',
    ...REGISTER_KEY_ENV, // encryption at rest, as in production (a key made for this run)
  });
  console.log(
    `rebalance ${run}: ${INSTANCES} instances, ${GEMEENTEN} gemeenten (${GEMEENTEN * 2} gemeente input partitions), TOPIC_REFRESH_MS ${REFRESH}, ${RATE} commands/s for one existing gemeente`,
  );
  const kafka = new Kafka({
    clientId: `${run}-bench`,
    brokers: cfg.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const services: SamenloopService[] = [];
  const t0 = Date.now();
  for (let i = 0; i < INSTANCES; i++) {
    const s = new SamenloopService(cfg, createLogger('silent'));
    services.push(s);
    await s.start();
  }
  console.log(`${INSTANCES} instances ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // The existing gemeente: a steady stream of commands (unknown ids), each answered on its samenloop topic.
  const existing = gemeenten[0]!;
  const outputTimes: number[] = [];
  const reader = kafka.consumer({ groupId: `${run}-reader`, maxWaitTimeInMs: 100 });
  await reader.connect();
  const newGemeente = '7999';
  await reader.subscribe({ topics: [gemeenteTopic(cfg, existing, 'samenloop')], fromBeginning: true });
  let answered = 0;
  await reader.run({
    eachMessage: async () => {
      outputTimes.push(Date.now());
    },
  });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  // Commands with unknown ids: each is answered by an opdracht.afgewezen on the gemeente's samenloop topic.
  const command = (g: string, i: number) => ({
    topic: gemeenteTopic(cfg, g, 'opdrachten'),
    messages: [
      {
        value: JSON.stringify({
          type: 'beeindiging.bevestigen',
          beeindigingId: `bd-${String(i).padStart(24, '0')}`,
          door: 'bench',
        }),
      },
    ],
  });
  let i = 0;
  let feeding = true;
  const feed = (async () => {
    while (feeding) {
      await producer.send(command(existing, i++));
      await new Promise((r) => setTimeout(r, 1000 / RATE));
    }
  })();
  await new Promise((r) => setTimeout(r, 10000)); // steady state
  const steadyFrom = Date.now();
  await new Promise((r) => setTimeout(r, 10000));
  const created = Date.now();
  await new TopicManager(admin, cfg, { create: true }).ensure(gemeenteTopics(cfg, newGemeente));
  const newReader = kafka.consumer({ groupId: `${run}-reader-new`, maxWaitTimeInMs: 100 });
  await newReader.connect();
  // metadata of a topic just made may lag a moment behind
  await retrying(() =>
    newReader.subscribe({ topics: [gemeenteTopic(cfg, newGemeente, 'samenloop')], fromBeginning: true }),
  );
  let answeredAt = 0;
  await newReader.run({
    eachMessage: async () => {
      answered++;
      answeredAt ||= Date.now();
    },
  });
  await producer.send(command(newGemeente, 1));
  while (answered === 0 && Date.now() - created < 300000) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 5000));
  feeding = false;
  await feed;
  const gap = (from: number, to: number) => {
    const ts = outputTimes.filter((t) => t >= from && t <= to);
    let max = 0;
    for (let k = 1; k < ts.length; k++) max = Math.max(max, ts[k]! - ts[k - 1]!);
    return { max, outputs: ts.length };
  };
  const before = gap(steadyFrom, created);
  const during = gap(created, (answeredAt || Date.now()) + 5000);
  console.log(
    answered === 0
      ? 'the new gemeente was not picked up within 300 s'
      : `new gemeente ${newGemeente}: its command answered ${((answeredAt - created) / 1000).toFixed(1)} s after its topics were created`,
  );
  console.log(
    `existing gemeente ${existing}: longest gap between outputs before ${before.max} ms (${before.outputs} outputs in 10 s), after the new topics ${during.max} ms (${during.outputs} outputs)`,
  );
  await reader.disconnect();
  await newReader.disconnect();
  await producer.disconnect();
  for (const s of services) await s.stop();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${run}.`));
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
