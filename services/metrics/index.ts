import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one processor (own registry, so tests can run several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    consumed: new Counter({
      name: 'samenloop_messages_consumed_total',
      help: 'Input records handled, by topic and outcome',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    }),
    produced: new Counter({
      name: 'samenloop_messages_produced_total',
      help: 'Records produced, by topic kind (samenloop, beeindigingen, dlq)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'samenloop_messages_dead_lettered_total',
      help: 'Input records sent to the dead-letter topic, by source topic and error code',
      labelNames: ['topic', 'code'],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'samenloop_consumer_lag',
      help: 'Records behind the high watermark at the last batch, by topic and partition',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'samenloop_processing_seconds',
      help: 'Time to handle one input record (decode, register update, decisions)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [registry],
    }),
    redisErrors: new Counter({
      name: 'samenloop_redis_errors_total',
      help: 'Redis connection or command errors',
      registers: [registry],
    }),
    registerRebuilds: new Counter({
      name: 'samenloop_register_rebuilds_total',
      help: 'Times this instance rebuilt a lost register from the input topics',
      registers: [registry],
    }),
    rebalances: new Counter({
      name: 'samenloop_rebalances_total',
      help: 'Consumer group joins (initial join and every rebalance)',
      registers: [registry],
    }),
    dailyClients: new Counter({
      name: 'samenloop_daily_clients_total',
      help: 'Clients re-evaluated by the daily re-evaluation (their date had come), by this instance',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
