/**
 * OpenTelemetry for the processor: one trace per input record, from the consume through Redis (the ioredis
 * instrumentation: every command of the record is a child span) to the produce, continued from a
 * `traceparent` header on the input and handed on in a `traceparent` header on every output.
 *
 * Spans are exported (OTLP over HTTP, JSON) only when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise none
 * is recorded, but every record still gets trace ids, so outputs carry a `traceparent` all the same.
 *
 * The ioredis instrumentation patches the module as it is loaded: this file registers it when it is
 * imported, so the entry point imports it before anything that loads ioredis.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

// Only commands inside a record's span: no root span for every heartbeat-like check of the register. And only
// when spans are exported (the configuration comes from the environment, read here because the patch must
// be in place before ioredis is loaded): without an endpoint each Redis command would still get a span that
// is never recorded, ≈5 % of the processor's CPU in a drain for nothing (README, Performance).
if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT)
  registerInstrumentations({ instrumentations: [new IORedisInstrumentation({ requireParentSpan: true })] });

export interface TracingConfig {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_SERVICE_NAME: string;
}

export interface Tracing {
  /** Spans are exported (an OTLP endpoint is configured). */
  exporting: boolean;
  /** Sends what is left and stops. */
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/** Sets up the global tracer provider, context manager and W3C propagator (once per process). */
export function startTracing(
  cfg: TracingConfig,
  log?: { info: (fields: object, msg: string) => void },
): Tracing {
  if (started) return started;
  const endpoint = cfg.OTEL_EXPORTER_OTLP_ENDPOINT;
  const exporting = endpoint !== undefined;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': cfg.OTEL_SERVICE_NAME }),
    // Off: no span is recorded or exported, but each still gets its ids (a traceparent for the outputs).
    sampler: exporting
      ? new ParentBasedSampler({ root: new AlwaysOnSampler() })
      : new ParentBasedSampler({
          root: new AlwaysOffSampler(),
          remoteParentSampled: new AlwaysOffSampler(),
          localParentSampled: new AlwaysOffSampler(),
        }),
    spanProcessors: exporting
      ? [
          new BatchSpanProcessor({
            exporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
            scheduledDelayMillis: 1000,
          }),
        ]
      : [],
  });
  // The context manager carries a record's span into the Redis commands it awaits (their parent), which only
  // matters when spans are recorded. On Node 20 an AsyncLocalStorage is async_hooks with promise hooks: a hook
  // call and an object for every promise the process makes (≈1.7 % of a drain's CPU, 2 % of its allocations;
  // README, Performance). The record and send spans take their parent explicitly and the outputs' traceparent
  // comes from the record's span, so without an export nothing else needs it.
  if (exporting) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  if (exporting) log?.info({ endpoint }, 'tracing: spans are exported over OTLP/HTTP');
  started = { exporting, shutdown: () => provider.shutdown() };
  return started;
}
