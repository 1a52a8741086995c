/**
 * FROZEN COPY, for bench/reject.ts only: services/ingest/netwerkmodel/parse.ts as it was at commit f2db606,
 * before checkJsonLimits ran ahead of JSON.parse. Only the import paths differ. Do not use it anywhere else.
 */
/**
 * Netwerkmodel indicatie events (JSON on the `indicatiebesluiten` topic) → one WlzIndicatieFact.
 * Envelope: schemas/ingest/netwerkmodel.ts. messageId `netwerkmodel:<id>`; key `indicatie:<besluitnummer>` (the
 * same key as IO31, so both sources update one indicatie); version = the event timestamp in UTC,
 * `YYYY-MM-DDTHH:MM:SS.sssZ`. Against an IO31 version (`YYYY-MM-DD`, its Dagtekening) an event sorts after every
 * IO31 of the same day or earlier and before every IO31 of a later day.
 *
 * status: VERWIJDERDE_INDICATIE → `verwijderd`; VERVALLEN_INDICATIE → `vervallen` (the record must carry a
 * vervaldatum); NIEUWE_/GEWIJZIGDE_INDICATIE → `actueel` (a vervaldatum on the record is kept in the fact).
 */
import {
  type EventType,
  NetwerkmodelEvent,
  type WlzIndicatieRecordJson,
} from '../../services/ingest/netwerkmodel/schema';
import {
  DATUM_GEBRUIK,
  GESLACHT,
  GRONDSLAG,
  NAAM_GEBRUIK,
  VOORKEUR_CLIENT,
  ZZP_CODE,
} from '../../services/domain/codelists';
import type {
  ClientGegevens,
  GeindiceerdZorgzwaartepakket,
  WlzIndicatieFact,
} from '../../services/domain/facts';
import {
  checkBsn,
  checkCode,
  checkDate,
  checkOptionalCode,
  checkOptionalDate,
  checkPeriod,
  fail,
} from '../../services/ingest/checks';
import { withoutUndefined } from '../../services/ingest/istandaard/header';
import { duplicateKeyPath } from '../../services/ingest/json';
import type { ParsedMessage } from '../../services/ingest/types';

/** The old checks.ts clip (removed since: reasons no longer quote values), kept for this frozen copy. */
function clip(value: string, max = 40): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}

const STATUS: Readonly<Record<EventType, WlzIndicatieFact['status']>> = {
  NIEUWE_INDICATIE: 'actueel',
  GEWIJZIGDE_INDICATIE: 'actueel',
  VERWIJDERDE_INDICATIE: 'verwijderd',
  VERVALLEN_INDICATIE: 'vervallen',
};
const ALIAS_SUFFIX = '_ZORGKANTOOR';
const JSON_ERROR_POSITION = /position (\d+)/;
const CLIENT = 'the client of wlzIndicatie';

/** Parses decoded JSON text. Throws a Rejection (INVALID_JSON, INVALID_ENVELOPE or a value code). */
export function parseNetwerkmodelJson(text: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // V8's message may quote the input (and so a BSN): only the position is kept.
    const position = e instanceof Error ? JSON_ERROR_POSITION.exec(e.message)?.[1] : undefined;
    fail('INVALID_JSON', `not valid JSON${position === undefined ? '' : ` (at position ${position})`}`);
  }
  const duplicate = duplicateKeyPath(text);
  if (duplicate !== undefined) fail('INVALID_JSON', `an object at ${duplicate} has the same key twice`);
  const parsed = NetwerkmodelEvent.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'event';
    fail(
      'INVALID_ENVELOPE',
      `${clip(where, 120)}: ${clip(issue?.message ?? 'does not match the envelope', 160)}`,
    );
  }
  const event = parsed.data;
  const record = event.wlzIndicatie;
  const subject = `WlzIndicatie/${record.wlzindicatieID}`;
  for (const { subject: s, recordID } of event.subjectList) {
    if (s !== subject || recordID !== subject) {
      fail(
        'INVALID_ENVELOPE',
        'subjectList subject and recordID must both be WlzIndicatie/<wlzIndicatie.wlzindicatieID>',
      );
    }
  }
  const eventType = (
    event.eventType.endsWith(ALIAS_SUFFIX) ? event.eventType.slice(0, -ALIAS_SUFFIX.length) : event.eventType
  ) as EventType;
  const status = STATUS[eventType];
  const vervaldatum = checkOptionalDate(record.vervaldatum ?? undefined, 'vervaldatum', 'wlzIndicatie');
  if (eventType === 'VERVALLEN_INDICATIE' && vervaldatum === undefined) {
    fail('INVALID_ENVELOPE', 'VERVALLEN_INDICATIE requires wlzIndicatie.vervaldatum');
  }
  const messageId = `netwerkmodel:${event.id}`;
  const besluitnummer = String(record.besluitnummer);
  const ctx = `wlzIndicatie ${besluitnummer}`;
  const ingangsdatum = checkDate(record.ingangsdatum, 'ingangsdatum', ctx);
  const einddatum = checkOptionalDate(record.einddatum ?? undefined, 'einddatum', ctx);
  checkPeriod(ingangsdatum, einddatum, ctx);
  const fact: WlzIndicatieFact = withoutUndefined({
    type: 'wlz-indicatie',
    key: `indicatie:${besluitnummer}`,
    version: new Date(event.timestamp).toISOString(),
    source: { kind: 'NETWERKMODEL', messageId },
    client: clientGegevens(record),
    besluitnummer,
    afgiftedatum: checkDate(record.afgiftedatum, 'afgiftedatum', ctx),
    ingangsdatum,
    einddatum,
    zorgzwaartepakketten: (record.geindiceerdZorgzwaartepakket ?? []).map((z) => zorgzwaartepakket(z, ctx)),
    functies: [],
    grondslagen: [...(record.grondslag ?? [])]
      .sort((a, b) => a.volgorde - b.volgorde)
      .map((g) => checkCode(GRONDSLAG, 'grondslag', g.grondslag, ctx)),
    status,
    vervaldatum,
  });
  return { kind: 'NETWERKMODEL', messageId, facts: [fact] };
}

function clientGegevens(record: WlzIndicatieRecordJson): ClientGegevens {
  const c = record.client;
  const bsn = checkBsn(record.bsn, 'wlzIndicatie');
  if (c.bsn !== bsn) fail('INVALID_ENVELOPE', 'wlzIndicatie.bsn and wlzIndicatie.client.bsn differ');
  return withoutUndefined({
    bsn,
    geboortedatum: checkDate(c.geboorteDatum, 'geboorteDatum', CLIENT),
    geboortedatumGebruik: checkOptionalCode(
      DATUM_GEBRUIK,
      'geboortedatumGebruik',
      c.geboortedatumGebruik ?? undefined,
      CLIENT,
    ),
    geslacht: checkCode(GESLACHT, 'geslacht', c.geslacht, CLIENT),
    naam: withoutUndefined({
      achternaam: c.geslachtsnaam,
      voorvoegsel: c.voorvoegselGeslachtsnaam ?? undefined,
      partnerAchternaam: c.partnernaam ?? undefined,
      partnerVoorvoegsel: c.voorvoegselPartnernaam ?? undefined,
      voorletters: c.voorletters ?? undefined,
      voornamen: c.voornamen ?? undefined,
      naamGebruik: checkCode(NAAM_GEBRUIK, 'naamGebruik', c.naamGebruik, CLIENT),
    }),
  });
}

function zorgzwaartepakket(
  z: NonNullable<WlzIndicatieRecordJson['geindiceerdZorgzwaartepakket']>[number],
  ctx: string,
): GeindiceerdZorgzwaartepakket {
  const zzpCode = checkCode(ZZP_CODE, 'zzpCode', z.zzpCode, `geindiceerdZorgzwaartepakket of ${ctx}`);
  const zCtx = `geindiceerdZorgzwaartepakket ${zzpCode} of ${ctx}`;
  const ingangsdatum = checkDate(z.ingangsdatum, 'ingangsdatum', zCtx);
  const einddatum = checkOptionalDate(z.einddatum ?? undefined, 'einddatum', zCtx);
  checkPeriod(ingangsdatum, einddatum, zCtx);
  return withoutUndefined({
    zzpCode,
    ingangsdatum,
    einddatum,
    voorkeurClient: checkOptionalCode(VOORKEUR_CLIENT, 'voorkeurClient', z.voorkeurClient ?? undefined, zCtx),
  });
}
