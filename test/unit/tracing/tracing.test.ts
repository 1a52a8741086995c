/**
 * The record span without an OTLP endpoint (the default): nothing recorded, no context manager (on Node 20 an
 * AsyncLocalStorage costs a hook call per promise), but the record's outputs still continue its trace.
 */
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { startTracing } from '../../../services/tracing/setup';
import { inRecordSpan, traceparentOf } from '../../../services/tracing';

const SENDER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const SENDER_SPAN = 'b7ad6b7169203331';

describe('tracing without an OTLP endpoint', () => {
  const tracing = startTracing({ OTEL_SERVICE_NAME: 'samenloop-test' });

  it('records nothing and sets no context manager', async () => {
    expect(tracing.exporting).toBe(false);
    const span = trace.getTracer('t').startSpan('s');
    // the no-op context manager: a context set by context.with is not seen after an await
    const seen = await context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
      await new Promise((r) => setImmediate(r));
      return trace.getSpan(context.active());
    });
    span.end();
    expect(seen).toBeUndefined();
    expect(span.isRecording()).toBe(false);
  });

  it("a record's span continues the trace of its traceparent, with a span id of its own", async () => {
    const { result, span } = await inRecordSpan(
      {
        topic: 'in',
        partition: 0,
        offset: '7',
        headers: { traceparent: `00-${SENDER_TRACE}-${SENDER_SPAN}-01` },
      },
      async () => 'done',
    );
    expect(result).toBe('done');
    const tp = traceparentOf(span);
    expect(tp).toMatch(new RegExp(`^00-${SENDER_TRACE}-[0-9a-f]{16}-00$`));
    expect(tp).not.toContain(SENDER_SPAN);
  });

  it('a record without a traceparent starts a trace of its own', async () => {
    const { span } = await inRecordSpan(
      { topic: 'in', partition: 0, offset: '8', headers: {} },
      async () => 1,
    );
    expect(traceparentOf(span)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });
});
