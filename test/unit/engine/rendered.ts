/**
 * The engine as the engine tests read it: its typed outputs rendered the way the sink renders them
 * (services/messages/render.ts), so a test can assert on the CloudEvents and WMO301s a gemeente and an
 * aanbieder get. The context is the engine's plus the envelope's `source`.
 */
import * as engine from '../../../services/engine';
import { render, type Rendered } from '../../../services/messages/render';

export { decide } from '../../../services/engine';
export type { EngineState, Policy } from '../../../services/engine';

export type EngineContext = engine.EngineContext & { source: string };
export type Output = Rendered;

const rendered = (r: { state: engine.EngineState; outputs: engine.Output[] }, ctx: EngineContext) => ({
  state: r.state,
  outputs: r.outputs.map((o) => render(o, ctx)),
});

export function evaluate(
  bsn: string,
  facts: Parameters<typeof engine.evaluate>[1],
  prev: engine.EngineState | undefined,
  ctx: EngineContext,
) {
  return rendered(engine.evaluate(bsn, facts, prev, ctx), ctx);
}

export function handleCommand(
  bsn: string,
  facts: Parameters<typeof engine.handleCommand>[1],
  prev: engine.EngineState | undefined,
  gemeente: string,
  cmd: engine.GemeenteCommand,
  ctx: EngineContext,
) {
  return rendered(engine.handleCommand(bsn, facts, prev, gemeente, cmd, ctx), ctx);
}

export function rejectCommand(gemeente: string, cmd: unknown, reason: string, ctx: EngineContext): Output {
  return render(engine.rejectCommand(gemeente, cmd, reason), ctx);
}
