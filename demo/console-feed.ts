/**
 * `npm run console:voorbeeld`: feeds the demo's story (demo/scenario.ts, dated relative to today) to the
 * configured input topics (TOPIC_*; by default the real ones), so that a running processor (`npm start`)
 * signals gemeenten 9999 and 9998 and the console (`npm run console`) has something to show. Run the
 * processor with GEMEENTE_POLICIES=9999=voorstel,9998=automatisch for the demo's policies.
 */
import { logLevel, Partitioners } from 'kafkajs';
import { createKafka } from '../services/kafka/client';
import { loadConfig } from '../services/config';
import { today } from '../services/pipeline/clock';
import { wmoTopic } from '../services/topics';
import { ensureTopics, topicOf } from '../test/support/topics';
import { DEMO_GEMEENTEN, demoScenario } from './scenario';

async function main(): Promise<void> {
  const cfg = loadConfig(process.env);
  const day = cfg.SAMENLOOP_TODAY ?? today();
  const kafka = createKafka(cfg, {
    clientId: `${cfg.KAFKA_CLIENT_ID}-voorbeeld`,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: true,
  });
  await producer.connect();
  // each gemeente writes its WMO301s to its own toewijzingen topic, made by its owner before it writes
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    DEMO_GEMEENTEN.split(',').map((g) => wmoTopic(cfg, g)),
    cfg.TOPIC_PARTITIONS,
  );
  await admin.disconnect();
  for (const step of demoScenario(day)) {
    await producer.send({ topic: topicOf(cfg, step.input, step.xml), messages: [{ value: step.xml }] });
    process.stdout.write(`${step.input}: ${step.what}\n`);
  }
  await producer.disconnect();
}

main().catch((err: unknown) => {
  process.stderr.write(`console:voorbeeld: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
