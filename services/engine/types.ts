import type { Fact, IsoDate } from '../domain/facts';
import type { Policy } from '../domain/policy';
import type { ProductcodeRegels } from '../domain/productcodes';
import type { Output } from './outputs';
import type { BeeindigingRecord, EngineState, VerzondenBericht } from './state';

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
  /**
   * SIGNAAL_BEWAAR_DAGEN: days a retracted decision's record stays on the gemeente's topic before its
   * tombstone (engine/opruimen.ts). Default DEFAULT_SIGNAAL_BEWAAR_DAGEN.
   */
  signaalBewaarDagen?: number;
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
  /**
   * The WMO301 changes of this step by gemeente and aanbieder (`<gemeente>|<aanbieder>`): sent as one message
   * per gemeente, aanbieder and client when the step ends (OP087, IV099), never one per change.
   */
  wmo301: Map<string, Wmo301Wijzigingen>;
}

/** The changes of one step for one aanbieder: per toewijzing (fact key) the product as changed, last wins. */
export interface Wmo301Wijzigingen {
  gemeente: string;
  aanbieder: string;
  wijzigingen: Map<string, { record: BeeindigingRecord; bericht: VerzondenBericht }>;
}
