import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import type { Command } from 'commander';
import ExcelJS from 'exceljs';
import { pseudonym } from '../../domain/pseudonym';
import { readCloudEvent } from '../../messages/cloudevents';
import { sendInRequests } from '../../kafka/produce-requests';
import { TopicManager } from '../../kafka/topics';
import { gemeenteTopic } from '../../topics';
import { actorOf, auditMessages, auditRecords, auditTopic, newTraceId } from '../audit';
import { BOM, csvLine, safeCell } from '../csv-out';
import { rejected, unreachable } from '../errors';
import { writeLine } from '../io';
import { gemeentecode, isoDate } from '../options';
import type { Config } from '../../config';
import type { CliContext } from '../program';
import { readTopic } from '../read-topic';
import { cliKafka, isKafkaError, withAdmin, withProducer } from '../stack';

interface ReportOptions {
  gemeente: string;
  sinds?: string;
  out?: string;
  formaat: 'csv' | 'xlsx';
  staat?: string;
}

/** A notification as the report reads it (schemas/notification.schema.json). */
export interface Notification {
  type: string;
  subject?: string;
  time?: string;
  data?: {
    gemeente?: string;
    client?: { bsn?: string; naam?: string; geboortedatum?: string };
    wlz?: {
      afgiftedatum?: string;
      ingangsdatum?: string;
      einddatum?: string | null;
      woonsituatie?: string;
      zorgtoewijzingIngangsdatum?: string | null;
    };
    overlijdensdatum?: string | null;
    wmo?: {
      soort?: string;
      toewijzingnummer?: string | null;
      aanvraagId?: string | null;
      productcategorie?: string | null;
      productcode?: string | null;
      aanbieder?: string | null;
      ingangsdatum?: string | null;
      einddatum?: string | null;
    };
    beoordeling?: string;
    regel?: { id?: string; omschrijving?: string; bron?: string };
    reden?: string;
    opdracht?: { type?: string | null; beeindigingId?: string | null; door?: string | null };
    beeindiging?: {
      id?: string;
      einddatum?: string;
      redenWijziging?: string;
      status?: string;
      besluit?: { door?: string; toelichting?: string };
    };
  };
}

const SOORT: Record<string, string> = {
  'nl.samenloop.signaal': 'signaal',
  'nl.samenloop.vervallen': 'ingetrokken',
  'nl.samenloop.opdracht.afgewezen': 'opdracht afgewezen',
};

/** The columns of the report, with their Dutch names. */
export const REPORT_COLUMNS: ReadonlyArray<[string, (n: Notification) => string | null | undefined]> = [
  ['Tijd', (n) => n.time],
  ['Soort', (n) => SOORT[n.type] ?? n.type],
  ['Onderwerp', (n) => n.subject],
  ['BSN', (n) => n.data?.client?.bsn],
  ['Naam', (n) => n.data?.client?.naam],
  ['Geboortedatum', (n) => n.data?.client?.geboortedatum],
  ['Wlz afgiftedatum', (n) => n.data?.wlz?.afgiftedatum],
  ['Wlz ingangsdatum', (n) => n.data?.wlz?.ingangsdatum],
  ['Wlz einddatum', (n) => n.data?.wlz?.einddatum],
  ['Woonsituatie', (n) => n.data?.wlz?.woonsituatie],
  ['Overlijdensdatum', (n) => n.data?.overlijdensdatum],
  ['Zorgtoewijzing ingangsdatum', (n) => n.data?.wlz?.zorgtoewijzingIngangsdatum],
  ['Wmo soort', (n) => n.data?.wmo?.soort],
  ['Toewijzingnummer', (n) => n.data?.wmo?.toewijzingnummer],
  ['Aanvraag', (n) => n.data?.wmo?.aanvraagId],
  ['Productcategorie', (n) => n.data?.wmo?.productcategorie],
  ['Productcode', (n) => n.data?.wmo?.productcode],
  ['Aanbieder', (n) => n.data?.wmo?.aanbieder],
  ['Wmo ingangsdatum', (n) => n.data?.wmo?.ingangsdatum],
  ['Wmo einddatum', (n) => n.data?.wmo?.einddatum],
  ['Beoordeling', (n) => n.data?.beoordeling],
  ['Regel', (n) => n.data?.regel?.id],
  ['Reden', (n) => n.data?.regel?.omschrijving ?? n.data?.reden],
  ['Bron', (n) => n.data?.regel?.bron],
  ['Beëindiging', (n) => n.data?.beeindiging?.id ?? n.data?.opdracht?.beeindigingId],
  ['Beëindiging einddatum', (n) => n.data?.beeindiging?.einddatum],
  ['Reden wijziging', (n) => n.data?.beeindiging?.redenWijziging],
  ['Beëindiging status', (n) => n.data?.beeindiging?.status],
  ['Besloten door', (n) => n.data?.beeindiging?.besluit?.door ?? n.data?.opdracht?.door],
  ['Toelichting', (n) => n.data?.beeindiging?.besluit?.toelichting],
];

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description(
      'the daily file of a gemeente: one row per signal, change or retraction (and refused command) on its ' +
        'samenloop topic since the last report (or --sinds), with the Wlz facts, the Wmo toewijzing or ' +
        'aanvraag, the beoordeling, the rule and its reason, and any beëindiging with its id. Reads only that ' +
        "gemeente's topic (read_committed), never the register.",
    )
    .requiredOption('--gemeente <code>', 'the gemeente (4 digits)', gemeentecode)
    .option(
      '--sinds <YYYY-MM-DD>',
      'every notification from this date on (instead of: since the last report)',
      isoDate,
    )
    .option('--out <file>', 'the file to write (default: samenloop-<gemeente>-<date>.<formaat>)')
    .option('--formaat <csv|xlsx>', "csv (';', UTF-8 with BOM, for Excel) or xlsx", 'csv')
    .option(
      '--staat <file>',
      'where the position of the last report is kept (default: .samenloop-report-<gemeente>.json)',
    )
    .action(async (opts: ReportOptions) => {
      if (opts.formaat !== 'csv' && opts.formaat !== 'xlsx') throw rejected('--formaat is csv or xlsx');
      const cfg = ctx.config();
      const topic = gemeenteTopic(cfg, opts.gemeente, 'samenloop');
      const staat = opts.staat ?? `.samenloop-report-${opts.gemeente}.json`;
      const from = opts.sinds === undefined ? readState(staat) : {};
      let rows: Notification[];
      let reached: Record<string, string>;
      try {
        ({ rows, reached } = await collectReport(cfg, opts.gemeente, { sinds: opts.sinds, from }));
      } catch (err) {
        if (isKafkaError(err)) throw unreachable('Kafka', cfg.KAFKA_BROKERS.join(','), err);
        if (err instanceof Error && /does not host this topic-partition|UNKNOWN_TOPIC/i.test(err.message))
          throw rejected(`gemeente ${opts.gemeente} has no samenloop topic yet (${topic})`);
        throw err;
      }
      // The audit trail first: a record per client in the report (pseudonymised), in one transaction.
      const clients = reportBetrokkenen(cfg, rows);
      if (clients.length > 0) {
        await withAdmin(cfg, (admin) => new TopicManager(admin, cfg).ensure([auditTopic(cfg)]));
        const records = auditRecords(newTraceId(), 'report', actorOf(ctx.io.env), opts.gemeente, clients);
        await withProducer(cfg, `${cfg.KAFKA_CLIENT_ID}-cli-${randomUUID()}`, async (producer) => {
          const tx = await producer.transaction();
          try {
            // a report of many clients: in requests the broker takes (MAX_OUTPUT_BYTES per batch)
            await sendInRequests(
              tx,
              new Map([[auditTopic(cfg), auditMessages(records)]]),
              cfg.MAX_OUTPUT_BYTES,
            );
            await tx.commit();
          } catch (err) {
            await tx.abort().catch(() => undefined);
            throw err;
          }
        });
      }
      const day = cfg.SAMENLOOP_TODAY ?? new Date().toISOString().slice(0, 10);
      const out = opts.out ?? `samenloop-${opts.gemeente}-${day}.${opts.formaat}`;
      fs.writeFileSync(out, await renderReport(rows, opts.formaat));
      if (opts.sinds === undefined) fs.writeFileSync(staat, `${JSON.stringify(reached)}\n`);
      writeLine(ctx.io.stdout, `${rows.length} row(s) for gemeente ${opts.gemeente} written to ${out}`);
    });
}

function readState(file: string): Record<string, string> {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (v === null || typeof v !== 'object') return {};
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).filter(
        ([k, o]) => /^\d+$/.test(k) && typeof o === 'string' && /^\d+$/.test(o),
      ),
    ) as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * The report's rows: the gemeente's notifications (read_committed, its own topic only), since `sinds` (a
 * date) or after the offsets of `from`, in time order; `reached` is the position after the last one.
 */
export async function collectReport(
  cfg: Config,
  gemeente: string,
  opts: { sinds?: string | undefined; from?: Record<string, string> },
): Promise<{ rows: Notification[]; reached: Record<string, string> }> {
  const from = opts.from ?? {};
  const reached: Record<string, string> = { ...from };
  const rows: Notification[] = [];
  await readTopic(cliKafka(cfg), gemeenteTopic(cfg, gemeente, 'samenloop'), (partition, m) => {
    reached[partition] = String(BigInt(m.offset) + 1n);
    if (opts.sinds === undefined && BigInt(m.offset) < BigInt(from[partition] ?? '0')) return;
    // a tombstone (README "Retention"): the decision's records are being compacted away; its rows read
    // here go too, so the report is the same before and after compaction
    if (m.value === null) {
      const subject = m.key?.toString('utf8');
      for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.subject === subject) rows.splice(i, 1);
      return;
    }
    // structured or binary content mode (CLOUDEVENTS_MODE)
    const n = readCloudEvent(m.value, m.headers as Record<string, Buffer | undefined>) as
      Notification | undefined;
    if (n === undefined || n.data?.gemeente !== gemeente) return;
    if (opts.sinds !== undefined && String(n.time ?? '').slice(0, 10) < opts.sinds) return;
    rows.push(n);
  });
  rows.sort((a, b) => String(a.time ?? '').localeCompare(String(b.time ?? '')));
  return { rows, reached };
}

/** The pseudonyms of the clients in the report (its audit records' data subjects). */
export function reportBetrokkenen(cfg: Config, rows: readonly Notification[]): string[] {
  const bsns = rows.flatMap((n) => (typeof n.data?.client?.bsn === 'string' ? [n.data.client.bsn] : []));
  return [...new Set(bsns)].map((bsn) => pseudonym(cfg.SAMENLOOP_HMAC_SECRET, bsn));
}

/** The report file: csv (BOM, ';', Dutch columns, CSV-injection safe) or xlsx. */
export async function renderReport(rows: readonly Notification[], formaat: 'csv' | 'xlsx'): Promise<Buffer> {
  const table = rows.map((n) => REPORT_COLUMNS.map(([, get]) => cell(get(n))));
  if (formaat === 'csv') {
    const header = REPORT_COLUMNS.map(([name]) => name);
    return Buffer.from(BOM + [header, ...table].map((r) => csvLine(r)).join(''), 'utf8');
  }
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Signalen');
  sheet.addRow(REPORT_COLUMNS.map(([name]) => name)).font = { bold: true };
  for (const r of table) sheet.addRow(r.map((v) => safeCell(v)));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A value from a notification as a cell: text, never an object (the topic's content is not trusted). */
function cell(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}
