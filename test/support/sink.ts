import type { Admin, EachBatchPayload, Kafka } from 'kafkajs';
import type { Config } from '../../services/config';
import { TransactionalSink } from '../../services/kafka/sink';
import { TopicManager } from '../../services/kafka/topics';
import { createLogger } from '../../services/log';
import { createMetrics } from '../../services/metrics';
import { configuredContext, configuredOptions, Processor } from '../../services/pipeline/processor';
import type { RedisStore } from '../../services/register/redis-store';

/** The sink as the service makes it, on the register `register` (tests that drive its flushes themselves). */
export function sinkOn(kafka: Kafka, admin: Admin, cfg: Config, register: RedisStore): TransactionalSink {
  return new TransactionalSink({
    kafka,
    admin,
    cfg,
    register,
    topics: new TopicManager(admin, cfg),
    metrics: createMetrics(),
    log: createLogger('silent'),
    stopping: () => false,
    onTopicsCreated: () => undefined,
  });
}

/** The processor as the service makes it, on a fixed processing day (23 November 2026). */
export function processorOn(store: RedisStore, cfg: Config): Processor {
  const settings = configuredContext(cfg);
  return new Processor(store, {
    ...configuredOptions(cfg),
    context: () => ({ today: '2026-11-23', now: '2026-11-23T12:00:00+01:00', ...settings }),
  });
}

/** The payload kafkajs gives eachBatch, for a batch of `topic`'s partition 0 that is still ours. */
export function batchPayload(topic: string, resolved: string[]): EachBatchPayload {
  return {
    batch: { topic, partition: 0 },
    isRunning: () => true,
    isStale: () => false,
    heartbeat: async () => undefined,
    resolveOffset: (offset: string) => void resolved.push(offset),
  } as unknown as EachBatchPayload;
}
