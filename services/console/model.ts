/**
 * The console's read model of one gemeente: a document per signal (the CloudEvent subject), built only from
 * the notifications on gemeente.<code>.samenloop. Pure: `project` folds one notification into a document.
 * Every value comes from Kafka and is treated as hostile: only the fields below are kept, each checked for
 * its type and length; the views escape them.
 */
import { createHash } from 'node:crypto';
import { pseudonym } from '../domain/pseudonym';

export const NOTIFICATION_TYPES = [
  'nl.samenloop.signaal',
  'nl.samenloop.vervallen',
  'nl.samenloop.opdracht.afgewezen',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What the console keeps of a notification (schemas/notification.schema.json, v2). */
export interface Melding {
  id: string;
  type: NotificationType;
  subject: string;
  time: string;
  gemeente: string;
  client: { bsn: string; naam: string | null; geboortedatum: string | null } | null;
  wlz: {
    afgiftedatum: string | null;
    ingangsdatum: string | null;
    einddatum: string | null;
    woonsituatie: string | null;
    zorgtoewijzingIngangsdatum: string | null;
  } | null;
  overlijdensdatum: string | null;
  wmo: {
    soort: string | null;
    toewijzingnummer: string | null;
    aanvraagId: string | null;
    productcategorie: string | null;
    productcode: string | null;
    aanbieder: string | null;
    ingangsdatum: string | null;
    einddatum: string | null;
  } | null;
  beoordeling: string | null;
  regel: { id: string; omschrijving: string; bron: string } | null;
  reden: string | null;
  beeindiging: {
    id: string;
    einddatum: string | null;
    redenWijziging: string | null;
    status: string;
    besluit: { door: string; toelichting: string | null } | null;
  } | null;
  opdracht: { type: string | null; beeindigingId: string | null; door: string | null } | null;
}

/** Where a signal stands in the werkvoorraad; null: afgehandeld (not in the werkvoorraad). */
export const WERK_STATUSSEN = ['voorgesteld', 'beoordelen', 'client-overleden', 'wlz-voorliggend'] as const;
export type WerkStatus = (typeof WERK_STATUSSEN)[number];

export interface GeschiedenisRegel {
  id: string;
  time: string;
  type: NotificationType;
  beoordeling: string | null;
  regel: string | null;
  beeindigingStatus: string | null;
  door: string | null;
  toelichting: string | null;
  reden: string | null;
}

export interface SignaalDoc {
  /** Opaque id in URLs: a hash of the gemeente and subject (never a BSN). */
  id: string;
  gemeente: string;
  subject: string;
  /** The client's pseudonym (the audit trail's data subject). */
  betrokkene: string | null;
  eerst: string;
  laatst: string;
  /** The latest signaal or vervallen notification. */
  huidig: Melding;
  status: WerkStatus | null;
  geschiedenis: GeschiedenisRegel[];
}

/** A refused command (nl.samenloop.opdracht.afgewezen), kept per beëindiging id. */
export interface Weigering {
  id: string;
  time: string;
  type: string | null;
  door: string | null;
  reden: string;
}

const MAX_TEXT = 2000;
const MAX_HISTORY = 200;

function text(v: unknown, max = MAX_TEXT): string | null {
  return typeof v === 'string' && v.length <= max ? v : null;
}
function pattern(v: unknown, re: RegExp): string | null {
  return typeof v === 'string' && re.test(v) ? v : null;
}
function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = (v: unknown) => pattern(v, DATE);
export const BEEINDIGING_ID = /^bd-[0-9a-f]{24}$/;

/** The notification as the console keeps it, or a reason why it is passed over. */
export function parseMelding(
  raw: string,
  gemeente: string,
): { ok: true; melding: Melding } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const e = obj(json);
  if (!e) return { ok: false, reason: 'not an object' };
  const type = NOTIFICATION_TYPES.find((t) => t === e.type);
  if (!type) return { ok: false, reason: 'unknown type' };
  const id = pattern(e.id, /^[A-Za-z0-9._:-]{1,100}$/);
  const subject = pattern(e.subject, /^(wmo-toewijzing|wmo-aanvraag|opdracht)\/[^\s]{1,200}$/);
  const time = pattern(e.time, /^\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})$/);
  const d = obj(e.data);
  if (!id || !subject || !time || !d) return { ok: false, reason: 'missing id, subject, time or data' };
  // The gemeente comes from the topic: a notification claiming another gemeente is passed over.
  if (d.gemeente !== gemeente) return { ok: false, reason: 'gemeente differs from the topic' };
  const c = obj(d.client);
  const w = obj(d.wlz);
  const m = obj(d.wmo);
  const r = obj(d.regel);
  const b = obj(d.beeindiging);
  const besluit = obj(b?.besluit);
  const o = obj(d.opdracht);
  const bsn = pattern(c?.bsn, /^\d{9}$/);
  const melding: Melding = {
    id,
    type,
    subject,
    time,
    gemeente,
    client: c && bsn ? { bsn, naam: text(c.naam, 300), geboortedatum: date(c.geboortedatum) } : null,
    wlz: w
      ? {
          afgiftedatum: date(w.afgiftedatum),
          ingangsdatum: date(w.ingangsdatum),
          einddatum: date(w.einddatum),
          woonsituatie: text(w.woonsituatie, 40),
          zorgtoewijzingIngangsdatum: date(w.zorgtoewijzingIngangsdatum),
        }
      : null,
    overlijdensdatum: date(d.overlijdensdatum),
    wmo: m
      ? {
          soort: text(m.soort, 40),
          toewijzingnummer: pattern(m.toewijzingnummer, /^\d{1,9}$/),
          aanvraagId: text(m.aanvraagId, 200),
          productcategorie: pattern(m.productcategorie, /^\d{2}$/),
          productcode: text(m.productcode, 40),
          aanbieder: pattern(m.aanbieder, /^\d{8}$/),
          ingangsdatum: date(m.ingangsdatum),
          einddatum: date(m.einddatum),
        }
      : null,
    beoordeling: text(d.beoordeling, 40),
    regel:
      r && text(r.id, 100)
        ? { id: text(r.id, 100)!, omschrijving: text(r.omschrijving) ?? '', bron: text(r.bron) ?? '' }
        : null,
    reden: text(d.reden),
    beeindiging:
      b && pattern(b.id, BEEINDIGING_ID) && text(b.status, 40)
        ? {
            id: b.id as string,
            einddatum: date(b.einddatum),
            redenWijziging: pattern(b.redenWijziging, /^\d{2}$/),
            status: b.status as string,
            besluit:
              besluit && text(besluit.door, 100)
                ? { door: besluit.door as string, toelichting: text(besluit.toelichting, 1000) }
                : null,
          }
        : null,
    opdracht: o
      ? {
          type: text(o.type, 40),
          beeindigingId: pattern(o.beeindigingId, BEEINDIGING_ID),
          door: text(o.door, 100),
        }
      : null,
  };
  return { ok: true, melding };
}

/** The URL id of a signal: stable per gemeente and subject, reveals neither. */
export function signaalId(gemeente: string, subject: string): string {
  return `s-${createHash('sha256').update(`${gemeente}\n${subject}`).digest('hex').slice(0, 24)}`;
}

export const SIGNAAL_ID = /^s-[0-9a-f]{24}$/;

/** Where a signal stands after this notification. */
export function werkStatus(m: Melding): WerkStatus | null {
  if (m.type !== 'nl.samenloop.signaal') return null;
  const st = m.beeindiging?.status;
  if (st !== undefined && st !== 'voorgesteld') return m.beoordeling === 'beoordelen' ? 'beoordelen' : null;
  if (m.beoordeling === 'client-overleden') return 'client-overleden';
  if (st === 'voorgesteld') return 'voorgesteld';
  if (m.beoordeling === 'beoordelen') return 'beoordelen';
  if (m.beoordeling === 'wlz-voorliggend') return 'wlz-voorliggend';
  return null;
}

/**
 * Folds a signaal or vervallen notification into the signal's document (undefined: the first). A
 * notification seen before (redelivered, or a rebuild) changes nothing.
 */
export function project(doc: SignaalDoc | undefined, m: Melding, hmacSecret: string): SignaalDoc {
  if (doc?.geschiedenis.some((h) => h.id === m.id)) return doc;
  const regel: GeschiedenisRegel = {
    id: m.id,
    time: m.time,
    type: m.type,
    beoordeling: m.beoordeling,
    regel: m.regel?.id ?? null,
    beeindigingStatus: m.beeindiging?.status ?? null,
    door: m.beeindiging?.besluit?.door ?? null,
    toelichting: m.beeindiging?.besluit?.toelichting ?? null,
    reden: m.reden,
  };
  const geschiedenis = [...(doc?.geschiedenis ?? []), regel].slice(-MAX_HISTORY);
  const bsn = m.client?.bsn;
  return {
    id: signaalId(m.gemeente, m.subject),
    gemeente: m.gemeente,
    subject: m.subject,
    betrokkene: bsn ? pseudonym(hmacSecret, bsn) : (doc?.betrokkene ?? null),
    eerst: doc && doc.eerst < m.time ? doc.eerst : m.time,
    laatst: doc && doc.laatst > m.time ? doc.laatst : m.time,
    huidig: m,
    status: werkStatus(m),
    geschiedenis,
  };
}

/** A refused command, or undefined when the notification is none. */
export function weigeringVan(m: Melding): { beeindigingId: string; weigering: Weigering } | undefined {
  if (m.type !== 'nl.samenloop.opdracht.afgewezen') return undefined;
  const bd = m.opdracht?.beeindigingId ?? /^opdracht\/(bd-[0-9a-f]{24})$/.exec(m.subject)?.[1];
  if (!bd) return undefined;
  return {
    beeindigingId: bd,
    weigering: {
      id: m.id,
      time: m.time,
      type: m.opdracht?.type ?? null,
      door: m.opdracht?.door ?? null,
      reden: m.reden ?? 'geweigerd',
    },
  };
}
