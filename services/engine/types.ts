import type { Fact, IsoDate } from '../domain/facts';
import type { EngineState } from './state';

export type Policy = 'voorstel' | 'automatisch' | 'alleen-signaal';

export interface EngineContext {
  /** The processing day (config can pin it for tests). */
  today: IsoDate;
  /**
   * ISO timestamp in Europe/Amsterdam local time with its offset, e.g. `2026-11-23T09:15:00+01:00`: the
   * CloudEvents `time`, and (its date and time digits) the WMO301 Toewijzingsdatum/-tijd.
   */
  now: string;
  policy: (gemeente: string) => Policy;
  /** CloudEvents `source`, e.g. 'urn:samenloop:processor'. */
  source: string;
}

export interface Output {
  /** The shell maps it to topic gemeente.<gemeente>.<channel>. */
  channel: 'samenloop' | 'beeindigingen';
  gemeente: string;
  /** Kafka key: the decision reference for samenloop (no BSN), the aanbieder's AGB for beeindigingen. */
  key: string;
  /** CloudEvent JSON, or WMO301 XML. */
  value: string;
  contentType: 'application/cloudevents+json' | 'application/xml';
  /** Deterministic id: the CloudEvent id, or the WMO301's BerichtIdentificatie/Identificatie. */
  id: string;
}

export type GemeenteCommand = {
  type: 'beeindiging.bevestigen' | 'beeindiging.afwijzen';
  beeindigingId: string;
};

/** One evaluation in progress: the client's facts, a private copy of the state, and the outputs so far. */
export interface Run {
  bsn: string;
  facts: readonly Fact[];
  state: EngineState;
  ctx: EngineContext;
  outputs: Output[];
}
