/**
 * Netwerkmodel indicatie event: the envelope on the `indicatiebesluiten` topic (JSON, header
 * `content-type: application/json`) that carries one Indicatieregister 2 `WlzIndicatie` record.
 *
 * The envelope follows the netwerkmodel notificatie (iWlz-generiek netwerkpunt.graphql `NotificatieInput`;
 * reference/iwlz.md §6): `timestamp`, `eventType`, `afzenderIDType`/`afzenderID`, optional
 * `ontvangerIDType`/`ontvangerID`/`ontvangerKenmerk`, and `subjectList` with one
 * `{ subject, recordID }` = `WlzIndicatie/<wlzindicatieID>`. Unlike the notificatie, which is only a pointer, it
 * also carries the event `id` (UUID, like `notificatieID`) and the record itself (`wlzIndicatie`, as the
 * Indicatieregister query returns it: ../shared/istandaarden/iwlz/netwerkmodel/Indicatieregister-2.graphql).
 * For VERWIJDERDE_INDICATIE the record is the last known state.
 *
 * JSON Schema twin: netwerkmodel-event.schema.json (kept in step by test/unit/ingest/netwerkmodel.test.ts).
 * Record values (BSN, dates, codes) are checked by services/ingest/netwerkmodel.ts, each with its own error code;
 * the record and client objects allow the other Indicatieregister fields (beperking, stoornis, contactGegevens, …).
 */
import { z } from 'zod';
import { REPEAT_LIMITS } from '../istandaard/schema';
import { isPlausibleDate, PLAUSIBLE_DATES } from '../../domain/dates';

export const EVENT_TYPES = [
  'NIEUWE_INDICATIE',
  'GEWIJZIGDE_INDICATIE',
  'VERWIJDERDE_INDICATIE',
  'VERVALLEN_INDICATIE',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The netwerkmodel names (with the receiver suffix) are accepted as aliases. */
export const EVENT_TYPE_ALIASES = EVENT_TYPES.map((t) => `${t}_ZORGKANTOOR` as const);

/** IDTypeEnum of the netwerkmodel (netwerkpunt.graphql). */
export const ID_TYPES = ['AGB', 'BSN', 'KVK', 'OIN', 'UZOVI'] as const;

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * An RFC 3339 date-time with a real calendar date and an explicit offset (`Z` or `±HH:MM`), whose moment
 * in UTC (what the register orders versions by) falls within the accepted dates too: an offset cannot
 * push it past 9999 or before 1900.
 */
export const timestamp = z.string().refine((s) => {
  const m = RFC3339.exec(s);
  if (m === null || !isPlausibleDate(m[1] ?? '')) return false;
  const utc = Date.parse(s);
  return Number.isFinite(utc) && isPlausibleDate(new Date(utc).toISOString().slice(0, 10));
}, `must be an RFC 3339 date-time with a timezone, e.g. 2024-07-02T08:15:00Z, from ${PLAUSIBLE_DATES.from} to ${PLAUSIBLE_DATES.to}`);

const nullableString = z.string().nullish();

export const GrondslagRecord = z.looseObject({
  grondslagID: z.string().nullish(),
  grondslag: z.string(),
  volgorde: z.number().int(),
});

export const GeindiceerdZorgzwaartepakketRecord = z.looseObject({
  geindiceerdZorgzwaartepakketID: z.string().nullish(),
  zzpCode: z.string(),
  ingangsdatum: z.string(),
  einddatum: nullableString,
  voorkeurClient: nullableString,
  instellingVoorkeur: nullableString,
  financiering: z.string(),
  commentaar: nullableString,
});

export const ClientRecord = z.looseObject({
  clientID: z.string().nullish(),
  bsn: z.string(),
  geboorteDatum: z.string(),
  geboortedatumGebruik: nullableString,
  geslacht: z.string(),
  geslachtsnaam: z.string().min(1).max(200),
  voorvoegselGeslachtsnaam: z.string().max(10).nullish(),
  partnernaam: z.string().max(200).nullish(),
  voorvoegselPartnernaam: z.string().max(10).nullish(),
  voornamen: z.string().max(200).nullish(),
  voorletters: z.string().max(6).nullish(),
  naamGebruik: z.string(),
});

export const WlzIndicatieRecord = z.looseObject({
  wlzindicatieID: z.uuid(),
  bsn: z.string(),
  besluitnummer: z.number().int().min(1).max(999_999_999),
  soortWlzindicatie: z.string(),
  afgiftedatum: z.string(),
  ingangsdatum: z.string(),
  einddatum: nullableString,
  meerzorg: nullableString,
  initieelVerantwoordelijkZorgkantoor: z.string(),
  vervaldatum: nullableString,
  // at most as many as an IO31 may carry per client (REPEAT_LIMITS): TOO_MANY beyond
  grondslag: z.array(GrondslagRecord).max(20).nullish(),
  geindiceerdZorgzwaartepakket: z
    .array(GeindiceerdZorgzwaartepakketRecord)
    .max(REPEAT_LIMITS['GeindiceerdeZorgzwaartepakketten/GeindiceerdZorgzwaartepakket']!)
    .nullish(),
  client: ClientRecord,
});

export const NetwerkmodelEvent = z.strictObject({
  id: z.uuid(),
  timestamp,
  eventType: z.enum([...EVENT_TYPES, ...EVENT_TYPE_ALIASES]),
  afzenderIDType: z.enum(ID_TYPES),
  afzenderID: z.string().min(1),
  ontvangerIDType: z.enum(ID_TYPES).optional(),
  ontvangerID: z.string().min(1).optional(),
  ontvangerKenmerk: z.string().optional(),
  subjectList: z.array(z.strictObject({ subject: z.string().min(1), recordID: z.string().min(1) })).length(1),
  wlzIndicatie: WlzIndicatieRecord,
});

export type NetwerkmodelEventJson = z.infer<typeof NetwerkmodelEvent>;
export type WlzIndicatieRecordJson = z.infer<typeof WlzIndicatieRecord>;
