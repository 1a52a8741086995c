/**
 * What the engine decides, as typed outputs: a notification to a gemeente (a signal, its retraction, or
 * the answer to a command it could not carry out) or a WMO301 to an aanbieder. The engine computes their
 * content and deterministic ids; services/messages renders them to CloudEvents JSON and WMO301 XML at the
 * edge. `data` holds only what the gemeente needs and may see about its own client (the BSN only in
 * `data.client`); its wire form is schemas/notification.schema.json.
 */
import type { RegelView, Woonsituatie } from '../rules';
import { canonicalJson, sha256Hex } from './ids';
import type { Wmo301 } from './wmo301';

export const SIGNAAL = 'nl.samenloop.signaal';
export const VERVALLEN = 'nl.samenloop.vervallen';
export const OPDRACHT_AFGEWEZEN = 'nl.samenloop.opdracht.afgewezen';
export type EventType = typeof SIGNAAL | typeof VERVALLEN | typeof OPDRACHT_AFGEWEZEN;

export type BeeindigingStatus = 'voorgesteld' | 'verzonden' | 'afgewezen' | 'geannuleerd' | 'gecorrigeerd';

export interface ClientData {
  bsn: string;
  /** Display name, e.g. "A.B. van Testpersoon". */
  naam: string | null;
  geboortedatum: string | null;
}

/**
 * The Wlz facts a gemeente gets: only the "dat"-informatie (IB-SIG, AVG art. 5 and 9): dates and where the
 * client lives, never the besluitnummer, zorgprofiel (ZZP) or leveringsvorm codes (a ZZP code is health data).
 */
export interface WlzData {
  afgiftedatum: string | null;
  /** The indicatie's period as it counts (after vervallen); null when the register lacks the indicatie. */
  ingangsdatum: string | null;
  einddatum: string | null;
  /** From the leveringsvorm or functie of the zorgtoewijzing; `onbekend` for an indicatie without one. */
  woonsituatie: Woonsituatie;
  zorgtoewijzingIngangsdatum: string | null;
}

export interface WmoData {
  soort: 'toewijzing' | 'aanvraag';
  toewijzingnummer: string | null;
  aanvraagId: string | null;
  productcategorie: string | null;
  productcode: string | null;
  aanbieder: string | null;
  ingangsdatum: string | null;
  einddatum: string | null;
}

export interface BeeindigingData {
  /** The id a gemeente confirms or rejects with a command. */
  id: string;
  /** The Einddatum proposed or sent (never before the day it was proposed or sent). */
  einddatum: string;
  /** WMO002: 06 uitstroom naar ander domein (Wlz); 02 client overleden. */
  redenWijziging: '06' | '02';
  status: BeeindigingStatus;
  /** After a correction: the Einddatum restored (null: none) with RedenWijziging 14. */
  herstel?: { einddatum: string | null; redenWijziging: '14' };
  /** The gemeente's decision on the proposal (bevestigd or afgewezen): the medewerker and the toelichting. */
  besluit?: { door: string; toelichting?: string };
}

/** `client-overleden`: the Wlz reports the client deceased (rules SL-OVERLEDEN), whatever the table says. */
export type SignaalBeoordeling = 'wlz-voorliggend' | 'beoordelen' | 'client-overleden';

export interface SignaalData {
  gemeente: string;
  client: ClientData;
  wlz: WlzData;
  wmo: WmoData;
  beoordeling: SignaalBeoordeling;
  regel: RegelView;
  /** Only with beoordeling `client-overleden`: the date of death (the zorgtoewijzing's Einddatum), or null. */
  overlijdensdatum?: string | null;
  beeindiging?: BeeindigingData;
}

/** Why a signal was withdrawn. */
export type VervallenReden =
  | 'wlz-vervallen' // no (longer a) counted Wlz period that overlaps the Wmo toewijzing/aanvraag
  | 'toegestaan' // the Wlz situation changed and the rules now allow the Wmo voorziening
  | 'wmo-eindigt-voor-wlz' // the Wmo toewijzing/aanvraag now ends before the Wlz care starts: samenloop resolved
  | 'wmo-beeindigd' // the Wmo toewijzing/aanvraag is no longer actueel (Einddatum passed)
  | 'wmo-verwijderd'; // the gemeente withdrew the toewijzing (RedenWijziging 13)

export interface VervallenData {
  gemeente: string;
  client: ClientData;
  wmo: WmoData;
  reden: VervallenReden;
  beeindiging?: BeeindigingData;
}

export interface AfgewezenData {
  gemeente: string;
  opdracht: { type: string | null; beeindigingId: string | null; door: string | null };
  reden: string;
}

/**
 * Deterministic CloudEvent id: sha-256 of the canonical JSON of type, subject, data and the id of the
 * previous event on the same subject (so a signal that returns after a retraction gets a new id), truncated.
 */
export function eventId(type: EventType, subject: string, data: unknown, previous: string | null): string {
  return `sl-${sha256Hex(canonicalJson({ type, subject, data, previous })).slice(0, 32)}`;
}

/** Deterministic id of the tombstone that follows event `previous` on `subject`. */
export function tombstoneId(subject: string, previous: string | null): string {
  return `sl-${sha256Hex(canonicalJson({ type: 'tombstone', subject, previous })).slice(0, 32)}`;
}

/** A notification for one gemeente, on its samenloop channel, by the decision reference (`subject`). */
interface Notification<K extends string, D> {
  kind: K;
  gemeente: string;
  /** Deterministic: eventId(type, subject, data, previous). */
  id: string;
  /** The decision reference, e.g. `wmo-toewijzing/0363/123456` (never a BSN): the CloudEvent subject and Kafka key. */
  subject: string;
  data: D;
}

export type SignaalOutput = Notification<'signaal', SignaalData>;
export type VervallenOutput = Notification<'vervallen', VervallenData>;
export type AfgewezenOutput = Notification<'opdracht-afgewezen', AfgewezenData>;

/** A WMO301 from the gemeente to an aanbieder (a beëindiging or its correction). */
export interface Wmo301Output {
  kind: 'wmo301';
  gemeente: string;
  /** Deterministic: the WMO301's BerichtIdentificatie/Identificatie. */
  id: string;
  /** The aanbieder's AGB: the Kafka key. */
  aanbieder: string;
  bericht: Wmo301;
}

/**
 * The tombstone of a retracted decision on the gemeente's compacted samenloop topic: the key (`subject`)
 * with a null value, so compaction drops every record of the decision (services/engine/opruimen.ts). No
 * data, no CloudEvent: nothing about the client.
 */
export interface TombstoneOutput {
  kind: 'tombstone';
  gemeente: string;
  /** Deterministic: tombstoneId(subject, previous event id). */
  id: string;
  /** The decision reference: the Kafka key whose records compaction removes. */
  subject: string;
}

export type NotificationOutput = SignaalOutput | VervallenOutput | AfgewezenOutput;
export type Output = NotificationOutput | Wmo301Output | TombstoneOutput;

/** The CloudEvents type of each notification kind. */
export const EVENT_TYPE = {
  signaal: SIGNAAL,
  vervallen: VERVALLEN,
  'opdracht-afgewezen': OPDRACHT_AFGEWEZEN,
} as const satisfies Record<NotificationOutput['kind'], EventType>;
