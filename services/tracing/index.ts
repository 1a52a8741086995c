/**
 * The spans of the shell: one per input record (consume → register → the outputs it causes) and one per
 * Kafka transaction, and the `traceparent` the outputs carry. Works on the global OpenTelemetry API: without
 * ./setup.ts (tests, the command line) the spans are no-ops and no header is added.
 */
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';

const tracer = () => trace.getTracer('samenloop');

/** Where a record came from, for its span. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
  headers: Record<string, string>;
}

/** The W3C `traceparent` of a span context, or undefined when it is not valid (no tracing set up). */
export function traceparentOf(sc: SpanContext | undefined): string | undefined {
  if (sc === undefined || !trace.isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 1).toString(16).padStart(2, '0')}`;
}

/**
 * Runs `fn` (the record's processing: decode, register, decide, render) in a CONSUMER span that
 * continues the record's own `traceparent` when it has one. Resolves to fn's result and the span context,
 * whose traceparent the record's outputs carry.
 */
export async function inRecordSpan<T>(
  rec: RecordPosition,
  fn: () => Promise<T>,
): Promise<{ result: T; span: SpanContext }> {
  const parent = propagation.extract(context.active(), rec.headers);
  const span = tracer().startSpan(
    `process ${rec.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': rec.topic,
        'messaging.destination.partition.id': String(rec.partition),
        'messaging.kafka.offset': Number(rec.offset),
      },
    },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), fn);
    return { result, span: span.spanContext() };
  } catch (err) {
    failed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Runs `fn` (one Kafka transaction) in a PRODUCER span linked to the spans of the records it sends for. */
export async function inSendSpan<T>(
  topic: string,
  partition: number,
  records: ReadonlyArray<SpanContext | undefined>,
  fn: () => Promise<T>,
): Promise<T> {
  const links: Link[] = records.filter((c): c is SpanContext => c !== undefined).map((c) => ({ context: c }));
  const span = tracer().startSpan('send', {
    kind: SpanKind.PRODUCER,
    links,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'samenloop.input': `${topic}/${partition}`,
      'samenloop.records': records.length,
    },
  });
  try {
    return await context.with(trace.setSpan(context.active(), span), fn);
  } catch (err) {
    failed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

function failed(span: Span, err: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'error' });
}
