/**
 * The engine's memory of one client, JSON-serialisable (it is stored in the register with the facts):
 * what was last told to each gemeente, every beëindiging with its status and the WMO301s sent for it, and a
 * short history for the register view. Decisions themselves are never stored as truth: they are recomputed
 * from the facts on every message and compared with `decisions` here.
 */
import type { IsoDate } from '../domain/facts';
import type { BeeindigingStatus, SignaalData } from './outputs';
import type { Wmo301Product } from './wmo301';

export type { BeeindigingStatus };

/** The last signal sent for one decision reference (`wmo-toewijzing/<gemeente>/<nr>`, …). */
export interface EmittedDecision {
  gemeente: string;
  /** CloudEvent id of that signal. */
  eventId: string;
  /** sha-256 of the canonical data: an equal decision is never sent again. */
  fingerprint: string;
  data: SignaalData;
}

/** A WMO301 sent for a beëindiging, with the toewijzing as it set it (for OP087 re-sends, IV013, corrections). */
export interface VerzondenBericht {
  soort: 'beeindiging' | 'correctie';
  /** BerichtIdentificatie/Identificatie. */
  id: string;
  dagtekening: IsoDate;
  /** The toewijzing as this message sent it (Toewijzingsdatum/-tijd, Einddatum, RedenWijziging): what the aanbieder now has. */
  product: Wmo301Product;
}

export interface BeeindigingRecord {
  /** `bd-<24 hex>`: sha-256 of gemeente, toewijzing, Wlz grond and doelEinddatum. */
  id: string;
  gemeente: string;
  /** Decision reference. */
  referentie: string;
  /** Fact key of the Wmo toewijzing. */
  toewijzingKey: string;
  toewijzingnummer: string;
  aanbieder: string;
  /** Fact key of the zorgtoewijzing that makes the Wlz voorliggend. */
  wlzKey: string;
  wlzIngangsdatum: IsoDate;
  /** The day before the Wlz care starts. */
  doelEinddatum: IsoDate;
  /** Einddatum proposed or sent: doelEinddatum, but never before the day it was proposed or sent. */
  einddatum: IsoDate;
  /** The Einddatum the toewijzing had before our beëindiging (null: none); a correction restores it. */
  vorigeEinddatum: IsoDate | null;
  /** WMO002 RedenWijziging of the beëindiging: 06 (absent in records stored before it existed) or 02 client overleden. */
  redenWijziging?: '06' | '02';
  status: BeeindigingStatus;
  /** The gemeente's decision on a proposal (bevestigen or afwijzen): who, and why. */
  besluit?: { door: string; toelichting?: string };
  berichten: VerzondenBericht[];
}

export interface HistoryEntry {
  /** CloudEvent type, `wmo301.beeindiging`, `wmo301.correctie`, `opdracht.bevestigen` or `opdracht.afwijzen`. */
  type: string;
  /** CloudEvent id, WMO301 Identificatie, or beëindiging id. */
  id: string;
  time: string;
  /** Decision reference. */
  subject: string;
}

/**
 * A decision reference whose last record on the gemeente's (compacted) notification topic is a retraction
 * (`vervallen`): on `opruimdag` the daily re-evaluation writes the tombstone that lets compaction drop it.
 */
export interface AfgeslotenDecision {
  /** The gemeente whose topic holds the record: the one the reference names. */
  gemeente: string;
  /** The processing day the retraction was sent. */
  sinds: IsoDate;
  /** sinds + SIGNAAL_BEWAAR_DAGEN: the day the tombstone is due. */
  opruimdag: IsoDate;
}

export interface EngineState {
  version: 1;
  /** Last signal per decision reference; a reference is removed when its `vervallen` is sent. */
  decisions: Record<string, EmittedDecision>;
  /** By beëindiging id; kept in every status, so a late command gets a clear answer. */
  beeindigingen: Record<string, BeeindigingRecord>;
  /** Newest last, at most HISTORY_LIMIT entries. */
  history: HistoryEntry[];
  /** Last CloudEvent id per decision reference (also after `vervallen`), chained into the next id. */
  lastEventIds: Record<string, string>;
  /**
   * By decision reference: retracted decisions whose record is still on the topic, until their tombstone is
   * sent (then removed). Absent in a state from before tombstones: filled once from lastEventIds (opruimen.ts).
   */
  afgesloten?: Record<string, AfgeslotenDecision>;
}

export const HISTORY_LIMIT = 200;

export const emptyEngineState = (): EngineState => ({
  version: 1,
  decisions: {},
  beeindigingen: {},
  history: [],
  lastEventIds: {},
  afgesloten: {},
});

/** A deep copy (the state is plain JSON), so evaluate never changes the state it was given. */
export const cloneState = (s: EngineState | undefined): EngineState =>
  s ? (JSON.parse(JSON.stringify(s)) as EngineState) : emptyEngineState();
