import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The open proposals of one gemeente (from the register, read at each scrape). */
export interface OpenProposals {
  gemeente: string;
  open: number;
  /** Epoch ms since when the oldest is open. */
  oldestSince: number | undefined;
}

/** Prometheus metrics of one processor (own registry, so tests can run several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  /** Set by the service: the open proposals per gemeente, cluster-wide (kept in the register). */
  const proposals: { source?: () => Promise<OpenProposals[]> } = {};
  let scraped: Promise<OpenProposals[]> | undefined;
  let last: OpenProposals[] = [];
  // One read of the register per scrape for both gauges, at most 1 s: while Redis is away (when the other
  // metrics matter most) the scrape answers at once with the last values it had.
  const openProposals = (): Promise<OpenProposals[]> => {
    scraped ??= new Promise<OpenProposals[]>((resolve) => {
      const timer = setTimeout(() => resolve(last), 1000);
      (proposals.source?.() ?? Promise.resolve([]))
        .then((values) => (last = values))
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(timer);
          resolve(last);
        });
    }).finally(() => setTimeout(() => (scraped = undefined), 0));
    return scraped;
  };
  return {
    registry,
    proposals,
    openProposals: new Gauge({
      name: 'samenloop_open_proposals',
      help: 'Proposed beeindigingen waiting for the gemeente (bevestigen or afwijzen), by gemeente; all instances see the same value',
      labelNames: ['gemeente'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const p of await openProposals()) this.set({ gemeente: p.gemeente }, p.open);
      },
    }),
    oldestProposalAge: new Gauge({
      name: 'samenloop_oldest_open_proposal_age_seconds',
      help: 'Age of the oldest open proposal, by gemeente (absent when it has none)',
      labelNames: ['gemeente'],
      registers: [registry],
      async collect() {
        this.reset();
        const now = Date.now();
        for (const p of await openProposals())
          if (p.oldestSince !== undefined) this.set({ gemeente: p.gemeente }, (now - p.oldestSince) / 1000);
      },
    }),
    signals: new Counter({
      name: 'samenloop_notifications_total',
      help: 'Notifications sent, by gemeente and CloudEvents type (increase over 1d: signals per gemeente per day)',
      labelNames: ['gemeente', 'type'],
      registers: [registry],
    }),
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
    flushTime: new Histogram({
      name: 'samenloop_flush_seconds',
      help:
        'Time to send one chunk of handled records to Kafka: its changelog records read, one transaction ' +
        '(outputs, changelog, offsets) and its outbox entries acked; a record waits for it before its outputs ' +
        'can be read',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    recordAge: new Histogram({
      name: 'samenloop_record_age_seconds',
      help:
        'Age of an input record (from its Kafka timestamp) when it was handled (stage="handled") and when ' +
        'its chunk\'s transaction committed (stage="sent"): how far behind the input its outputs are',
      labelNames: ['stage'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
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
    rewinds: new Counter({
      name: 'samenloop_commit_rewinds_total',
      help:
        'Records processed again because a commit sent ahead (not waited for) lost its race with another ' +
        "instance (conflict), was held for another partition's outputs (held) or failed (error): the record " +
        'and those after it in its batch',
      labelNames: ['reason'],
      registers: [registry],
    }),
    holds: new Counter({
      name: 'samenloop_commit_holds_total',
      help:
        'Waits of a record whose client has outputs of another input partition not yet in Kafka: its commit ' +
        "waits for them, so a client's outputs reach Kafka in the order of its changes",
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
