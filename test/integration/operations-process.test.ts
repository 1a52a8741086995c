import * as http from 'node:http';
import { Partitioners } from 'kafkajs';
import { gemeenteTopic, inputTopics, wmoTopic, type TopicNames } from '../../services/topics';
import { buildIo31, buildWmo301, validBsn } from '../fixtures/builders';
import { freePort, startRedisOnPort, type RedisHandle } from '../support/infra';
import { collect, sendInOrder, testKafka, waitFor } from '../support/kafka';
import { entriesOf, exitOf, isReady, processEnv, startProcessor } from '../support/processor-process';

/**
 * Point 4 and 7 of issue 14 on the processor as a process: TOPIC_CREATE=false with missing topics is a
 * start error naming them (exit 3); a stop that cannot finish ends within STOP_TIMEOUT_MS with exit 4;
 * outputs carry a traceparent and, with OTEL_EXPORTER_OTLP_ENDPOINT set, the spans of a record (consume,
 * its Redis commands, the produce) reach an OTLP/HTTP receiver.
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

/**
 * A WMO301 and then an IO31 (with `headers`) of one client: the signal. `ordered`: each processed before
 * the next is sent (the IO31 then surely makes the signal); otherwise both are only sent.
 */
async function feedSignal(
  cfg: TopicNames & { KAFKA_GROUP_ID: string },
  n: number,
  headers: Record<string, string> = {},
  ordered = true,
) {
  const kafka = testKafka();
  const bsn = validBsn(n);
  const records = [
    {
      topic: wmoTopic(cfg, '0363'),
      value: buildWmo301({ bsn, gemeente: '0363', ingangsdatum: '2026-01-01', einddatum: null }),
    },
    { topic: cfg.TOPIC_INDICATIEBESLUITEN, value: buildIo31({ bsn }), headers },
  ];
  if (ordered) {
    await sendInOrder(kafka, cfg.KAFKA_GROUP_ID, records);
    return kafka;
  }
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  for (const r of records)
    await producer.send({ topic: r.topic, messages: [{ value: r.value, headers: r.headers }] });
  await producer.disconnect();
  return kafka;
}

describe('the processor process, operated', () => {
  it('with TOPIC_CREATE=false and no topics: exit 3, the fatal line names every missing topic', async () => {
    const { cfg, env } = await processEnv({ TOPIC_CREATE: 'false', GEMEENTEN: '0363' });
    const { child, output } = startProcessor(env);
    expect(await exitOf(child, 300000)).toBe(3);
    const fatal = entriesOf(output()).filter((e) => e.level >= 60);
    expect(fatal).toHaveLength(1);
    const text = JSON.stringify(fatal[0]);
    expect(text).toMatch(/create the topics: MissingTopicsError/);
    for (const t of [...inputTopics(cfg), cfg.TOPIC_DLQ, gemeenteTopic(cfg, '0363', 'opdrachten')])
      expect(text).toContain(t);
    // the error is logged with its stack (pino's err serializer), not its message alone
    expect((fatal[0]!.err as { stack?: string }).stack).toMatch(/StartError[^]*\n\s+at /);
  }, 360000);

  it('a stop held up by a Redis that stopped answering ends after STOP_TIMEOUT_MS with exit 4', async () => {
    const redis: RedisHandle = await startRedisOnPort();
    const { cfg, port, env } = await processEnv({
      REDIS_URL: redis.url,
      STOP_TIMEOUT_MS: '3000',
      GEMEENTEN: '0363',
    });
    const { child, output } = startProcessor(env);
    const exited = exitOf(child, 600000);
    try {
      await waitFor(() => isReady(port), 60000, 200, `/readyz 200 (output so far: ${output().slice(-2000)})`);
      // without an OTLP endpoint nothing is exported, but the output still carries a traceparent
      const kafka = await feedSignal(cfg, 501);
      const { records, consumer } = await collect(kafka, [gemeenteTopic(cfg, '0363', 'samenloop')]);
      await waitFor(() => records.length >= 1, 60000, 200, 'a notification');
      await consumer.disconnect();
      expect(records[0]!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);

      process.kill(redis.pid, 'SIGSTOP'); // Redis keeps its connections but answers nothing
      await feedSignal(cfg, 502, {}, false); // not waited for: Redis answers nothing now
      await new Promise((r) => setTimeout(r, 3000)); // the record is in hand, waiting for Redis
      const before = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(4);
      const took = Date.now() - before;
      expect(took).toBeGreaterThanOrEqual(2900);
      expect(took).toBeLessThan(30000);
      const entries = entriesOf(output());
      expect(entries.map((e) => e.msg)).toContain(
        'the stop did not finish within STOP_TIMEOUT_MS: exiting; what was not committed is processed again by the next owner',
      );
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited.catch(() => undefined);
      process.kill(redis.pid, 'SIGCONT');
      await redis.kill();
    }
  }, 600000);

  it('with an OTLP endpoint: the spans of a record arrive, and its output carries their traceparent', async () => {
    const bodies: unknown[] = [];
    const receiver = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        if (req.url === '/v1/traces') bodies.push(JSON.parse(text));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const otlpPort = await freePort();
    await new Promise<void>((r) => receiver.listen(otlpPort, '127.0.0.1', () => r()));
    const { cfg, port, env } = await processEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
      GEMEENTEN: '0363',
    });
    const { child, output } = startProcessor(env);
    const exited = exitOf(child, 600000);
    try {
      await waitFor(() => isReady(port), 60000, 200, `/readyz 200 (output so far: ${output().slice(-2000)})`);
      // the IO31 arrives with a trace of its sender's: the processing continues it
      const senderTrace = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
      const kafka = await feedSignal(cfg, 503, { traceparent: `00-${senderTrace}-1122334455667788-01` });
      const { records, consumer } = await collect(kafka, [gemeenteTopic(cfg, '0363', 'samenloop')]);
      await waitFor(() => records.length >= 1, 60000, 200, 'a notification');
      await consumer.disconnect();
      const m = TRACEPARENT.exec(records[0]!.headers.traceparent ?? '');
      expect(m).not.toBeNull();
      const [, traceId, spanId] = m!;
      expect(traceId).toBe(senderTrace);

      type OtlpSpan = {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        links?: Array<{ traceId: string; spanId: string }>;
      };
      const spans = () =>
        (
          bodies as Array<{
            resourceSpans: Array<{ scopeSpans: Array<{ scope: { name: string }; spans: OtlpSpan[] }> }>;
          }>
        )
          .flatMap((b) => b.resourceSpans)
          .flatMap((r) => r.scopeSpans)
          .flatMap((s) => s.spans.map((span) => ({ ...span, scope: s.scope.name })));
      await waitFor(
        () => {
          const all = spans();
          const record = all.find((s) => s.spanId === spanId);
          const redis = all.filter((s) => s.parentSpanId === spanId && /ioredis/.test(s.scope));
          const send = all.find((s) => s.name === 'send' && s.links?.some((l) => l.spanId === spanId));
          return record && redis.length > 0 && send;
        },
        60000,
        200,
        'the record span, its Redis spans and the send span at the receiver',
      );
      const record = spans().find((s) => s.spanId === spanId)!;
      expect(record.name).toBe(`process ${cfg.TOPIC_INDICATIEBESLUITEN}`);
      expect(record.traceId).toBe(senderTrace);
      expect(record.parentSpanId).toBe('1122334455667788');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited.catch(() => undefined);
      receiver.close();
    }
  }, 600000);
});
