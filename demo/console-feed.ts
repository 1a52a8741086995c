/**
 * `npm run console:voorbeeld`: feeds the demo's story (demo/scenario.ts, dated relative to today) to the
 * configured input topics (TOPIC_*; by default the real ones), so that a running processor (`npm start`)
 * signals gemeenten 9999 and 9998 and the console (`npm run console`) has something to show. Run the
 * processor with GEMEENTE_POLICIES=9999=voorstel,9998=automatisch for the demo's policies.
 */
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { loadConfig } from '../services/config';
import { today } from '../services/pipeline/clock';
import { inputTopicOf } from '../services/topics';
import { demoScenario } from './scenario';

async function main(): Promise<void> {
  const cfg = loadConfig(process.env);
  const day = cfg.SAMENLOOP_TODAY ?? today();
  const kafka = new Kafka({
    clientId: `${cfg.KAFKA_CLIENT_ID}-voorbeeld`,
    brokers: cfg.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: true,
  });
  await producer.connect();
  for (const step of demoScenario(day)) {
    await producer.send({ topic: inputTopicOf(cfg, step.input), messages: [{ value: step.xml }] });
    process.stdout.write(`${step.input}: ${step.what}\n`);
  }
  await producer.disconnect();
}

main().catch((err: unknown) => {
  process.stderr.write(`console:voorbeeld: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
