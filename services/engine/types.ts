import type { Fact, IsoDate } from '../domain/facts';
import type { Policy } from '../domain/policy';
import type { ProductcodeRegels } from '../domain/productcodes';
import type { Output } from './outputs';
import type { EngineState } from './state';

export type { Policy } from '../domain/policy';

export interface EngineContext {
  /** The processing day (config can pin it for tests). */
  today: IsoDate;
  /**
   * ISO timestamp in Europe/Amsterdam local time with its offset, e.g. `2026-11-23T09:15:00+01:00`: the
   * moment in the register's history, and (its date and time digits) the WMO301 Toewijzingsdatum/-tijd.
   */
  now: string;
  policy: (gemeente: string) => Policy;
  /** Per-gemeente productcode rules (PRODUCTCODE_REGELS), applied before the productcategorie. */
  productcodeRegels?: ProductcodeRegels;
}

export type { Output } from './outputs';

export type { GemeenteCommand } from '../domain/commands';

/** One evaluation in progress: the client's facts, a private copy of the state, and the outputs so far. */
export interface Run {
  bsn: string;
  facts: readonly Fact[];
  state: EngineState;
  ctx: EngineContext;
  outputs: Output[];
}
