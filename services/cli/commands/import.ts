import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { Message } from 'kafkajs';
import { pseudonym } from '../../domain/pseudonym';
import { UPLOAD_CONTENT_TYPE, uploadRecordValue, type CsvRowResult } from '../../ingest';
import { CsvUploadParser } from '../../ingest/csv/parse';
import type { CsvColumn } from '../../ingest/csv/row';
import { noteWritten, sendInRequests } from '../../kafka/produce-requests';
import { stablePast } from '../../kafka/rebuild';
import { retrying } from '../../kafka/retriable';
import { TopicManager } from '../../kafka/topics';
import { gemeenteTopic, gemeenteTopics } from '../../topics';
import { BOM, csvLine } from '../csv-out';
import { rejected, unreachable } from '../errors';
import { writeLine } from '../io';
import { gemeentecode, isoDate } from '../options';
import type { CliContext } from '../program';
import { Progress } from '../progress';
import { askYes } from '../prompt';
import { cliKafka, isKafkaError, withAdmin, withProducer } from '../stack';
import { readUploadsHistory, rowHash, type KnownRow } from '../uploads-history';

/** The largest file `samenloop import` reads (as a stream: memory does not grow with it). */
export const IMPORT_MAX_BYTES = 1024 * 1024 * 1024;
/** Records per Kafka transaction. */
const TRANSACTION_ROWS = 10_000;
const CHUNK_BYTES = 256 * 1024;

export interface ImportOptions {
  gemeente: string;
  datum?: string;
  verslag?: string;
  volledig?: boolean;
  ja?: boolean;
}

export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description(
      'publish a gemeente\'s CSV upload (README, "CSV upload") to its uploads topic, one record per accepted ' +
        'row, and write a verwerkingsverslag (rejected rows with line, field and reason; accepted, rejected and ' +
        'unchanged counts). Rows equal to what earlier uploads said are not sent again.',
    )
    .argument('<file>', 'the CSV file')
    .requiredOption('--gemeente <code>', 'the gemeente whose file this is (4 digits)', gemeentecode)
    .option(
      '--datum <YYYY-MM-DD>',
      'the upload date: toewijzingsdatum of every row (default: today)',
      isoDate,
    )
    .option('--verslag <file>', 'where the verwerkingsverslag goes (default: <file>.verslag.csv)')
    .option(
      '--volledig',
      "the file is the gemeente's complete current set: toewijzingen and aanvragen of earlier uploads that are " +
        'absent from it are ended as of the upload date (after confirmation)',
    )
    .option('--ja', 'with --volledig: do not ask for confirmation')
    .action(async (file: string, opts: ImportOptions) => {
      await runImport(ctx, file, opts);
    });
}

export interface Counts {
  rows: number;
  accepted: number;
  rejected: number;
  unchanged: number;
  ended: number;
}

/** What an import did: its id, its counts and where its verwerkingsverslag is. */
export interface ImportResult {
  uploadId: string;
  counts: Counts;
  verslagPath: string;
}

/** `samenloop import` on one file (also the console's upload, after it has streamed the file to disk). */
export async function runImport(ctx: CliContext, file: string, opts: ImportOptions): Promise<ImportResult> {
  const { io } = ctx;
  const cfg = ctx.config();
  const size = fileSize(file);
  const uploadDate = opts.datum ?? cfg.SAMENLOOP_TODAY ?? amsterdamToday();
  const uploadId = await uploadIdOf(file, opts.gemeente, uploadDate);
  const verslagPath = opts.verslag ?? `${file.replace(/\.csv$/i, '')}.verslag.csv`;
  const topic = gemeenteTopic(cfg, opts.gemeente, 'uploads');

  // The gemeente's topics, created as the processor creates them.
  await withAdmin(cfg, (admin) => new TopicManager(admin, cfg).ensure(gemeenteTopics(cfg, opts.gemeente)));
  const kafka = cliKafka(cfg);
  let known: Map<string, KnownRow>;
  try {
    // A topic just created has no leader for a moment: wait that out.
    known = await retrying(
      () => readUploadsHistory(kafka, topic, opts.gemeente, opts.volledig === true),
      30000,
    );
  } catch (err) {
    throw isKafkaError(err) ? unreachable('Kafka', cfg.KAFKA_BROKERS.join(','), err) : err;
  }

  // --volledig: what the file no longer has is ended; count it and ask first.
  let toEnd: Array<[string, KnownRow]> = [];
  if (opts.volledig) {
    const inFile = await keysOf(file, opts.gemeente, uploadId, uploadDate);
    toEnd = [...known].filter(([key, row]) => !row.ended && !inFile.has(key));
    const v = toEnd.filter(([, r]) => r.soort === 'voorziening').length;
    writeLine(
      io.stdout,
      `--volledig: ${v} toewijzing(en) and ${toEnd.length - v} aanvra(a)g(en) of earlier uploads are not in ` +
        `this file and will be ended per ${uploadDate}.`,
    );
    if (toEnd.length > 0 && !opts.ja && !(await askYes(io, 'Continue? [j/N] '))) {
      throw rejected('nothing was sent: the --volledig upload was not confirmed (answer j, or give --ja)');
    }
  }

  const counts: Counts = { rows: 0, accepted: 0, rejected: 0, unchanged: 0, ended: 0 };
  const verslag = fs.createWriteStream(verslagPath);
  verslag.write(BOM + csvLine(['regel', 'veld', 'code', 'reden']));
  const parser = new CsvUploadParser(opts.gemeente, uploadId, { uploadDate, maxBytes: IMPORT_MAX_BYTES });
  const progress = new Progress(io.stderr, `import ${path.basename(file)}`, size);
  const started = Date.now();

  // per partition, the first offset of the last produce request written there (stablePast, below)
  const written = new Map<number, bigint>();
  await withProducer(cfg, `${cfg.KAFKA_CLIENT_ID}-import-${uploadId}`, async (producer) => {
    let batch: Message[] = [];
    let inTransaction = 0;
    let tx = await producer.transaction();
    const flush = async (commit: boolean) => {
      if (batch.length > 0) {
        const sent = await sendInRequests(tx, new Map([[topic, batch]]), cfg.MAX_OUTPUT_BYTES);
        noteWritten(written, topic, sent);
      }
      batch = [];
      if (commit || inTransaction >= TRANSACTION_ROWS) {
        await tx.commit();
        inTransaction = 0;
        if (!commit) tx = await producer.transaction();
      }
    };
    const send = async (key: string, regel: number, rij: Partial<Record<CsvColumn, string>>) => {
      batch.push({
        key,
        value: uploadRecordValue({ uploadId, regel, uploadDatum: uploadDate, rij }),
        headers: {
          'content-type': UPLOAD_CONTENT_TYPE,
          'samenloop-upload-id': uploadId,
          'samenloop-upload-regel': String(regel),
        },
      });
      inTransaction++;
      if (batch.length >= 5000) await flush(false);
    };
    let lastRow = 1;
    const handle = async (rows: CsvRowResult[]) => {
      for (const r of rows) {
        counts.rows++;
        lastRow = r.row;
        if (!r.ok) {
          counts.rejected++;
          verslag.write(
            csvLine([r.row, fieldOf(r.error.reason, parser.header), r.error.code, r.error.reason]),
          );
          continue;
        }
        const rij = rijOf(r.values);
        if (known.get(r.fact.key)?.hash === rowHash(rij)) {
          counts.unchanged++;
          continue;
        }
        counts.accepted++;
        await send(pseudonym(cfg.SAMENLOOP_HMAC_SECRET, r.fact.client.bsn), r.row, rij);
      }
    };
    let read = 0;
    for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
      const bytes = chunk as Buffer;
      read += bytes.length;
      await handle(parser.push(bytes));
      if (parser.fileError !== undefined) break;
      progress.update(read, `${counts.rows} rows`);
    }
    await handle(parser.end());
    if (parser.fileError !== undefined) {
      await tx.abort();
      const e = parser.fileError;
      verslag.end();
      throw rejected(
        `${file} was rejected and nothing was sent (${e.code}: ${e.reason}); fix the file and run again`,
      );
    }
    // --volledig: end what the file no longer has, as rows of this upload after its last line.
    let regel = lastRow + 1;
    for (const [, row] of toEnd) {
      const rij = endedRow(row.rij ?? {}, uploadDate);
      const bsn = rij.bsn ?? '';
      counts.ended++;
      await send(pseudonym(cfg.SAMENLOOP_HMAC_SECRET, bsn), regel++, rij);
    }
    await flush(true);
  });
  // The import ends once its rows are readable: the commit returns before the coordinator has written the
  // commit markers, and until then a read_committed reader (the next import's uploads history, a report) ends
  // before them, so a `--volledig` right after this import would not see what it sent.
  await withAdmin(cfg, (admin) =>
    stablePast(admin, topic, written, (partitions) =>
      writeLine(
        io.stderr,
        `samenloop: the upload is sent, but partition(s) ${partitions.join(', ')} of ${topic} do not show it ` +
          'as committed yet: an import or report right now may not see it',
      ),
    ),
  );
  progress.done(`${counts.rows} rows`);
  verslag.write('\r\n');
  for (const [k, v] of [
    ['rijen', counts.rows],
    ['geaccepteerd', counts.accepted],
    ['afgewezen', counts.rejected],
    ['ongewijzigd', counts.unchanged],
    ['beeindigd (--volledig)', counts.ended],
  ] as const)
    verslag.write(csvLine(['', k, '', v]));
  await new Promise<void>((resolve, reject) =>
    verslag.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  writeLine(
    io.stdout,
    `upload ${uploadId} of gemeente ${opts.gemeente} (${uploadDate}): ${counts.rows} rows, ${counts.accepted} ` +
      `sent, ${counts.unchanged} unchanged, ${counts.rejected} rejected, ${counts.ended} ended, in ${seconds} s`,
  );
  writeLine(io.stdout, `verwerkingsverslag: ${verslagPath}`);
  return { uploadId, counts, verslagPath };
}

function fileSize(file: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw rejected(`${file}: no such file; give the path of the CSV file`);
  }
  if (!stat.isFile()) throw rejected(`${file} is not a file`);
  if (stat.size > IMPORT_MAX_BYTES) throw rejected(`${file} is over the limit of ${IMPORT_MAX_BYTES} bytes`);
  return stat.size;
}

/** The upload id: the same file of the same gemeente on the same date is the same upload (sent again, it changes nothing). */
async function uploadIdOf(file: string, gemeente: string, uploadDate: string): Promise<string> {
  const hash = createHash('sha256').update(`${gemeente}\n${uploadDate}\n`);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK_BYTES }))
    hash.update(chunk as Buffer);
  return `u-${hash.digest('hex').slice(0, 16)}`;
}

/** The fact keys of the file's accepted rows (--volledig). */
async function keysOf(
  file: string,
  gemeente: string,
  uploadId: string,
  uploadDate: string,
): Promise<Set<string>> {
  const parser = new CsvUploadParser(gemeente, uploadId, { uploadDate, maxBytes: IMPORT_MAX_BYTES });
  const keys = new Set<string>();
  const add = (rows: CsvRowResult[]) => {
    for (const r of rows) if (r.ok) keys.add(r.fact.key);
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK_BYTES }))
    add(parser.push(chunk as Buffer));
  add(parser.end());
  if (parser.fileError !== undefined)
    throw rejected(
      `${file} was rejected and nothing was sent (${parser.fileError.code}: ${parser.fileError.reason})`,
    );
  return keys;
}

function rijOf(values: ReadonlyMap<CsvColumn, string>): Partial<Record<CsvColumn, string>> {
  const rij: Partial<Record<CsvColumn, string>> = {};
  for (const [k, v] of values) if (v !== '') rij[k] = v;
  return rij;
}

/** The row ended per the upload date (never before its own start). */
function endedRow(
  rij: Partial<Record<CsvColumn, string>>,
  uploadDate: string,
): Partial<Record<CsvColumn, string>> {
  const start = isoOf(rij.ingangsdatum);
  return { ...rij, einddatum: start !== undefined && start > uploadDate ? start : uploadDate };
}

function isoOf(date: string | undefined): string | undefined {
  if (date === undefined) return undefined;
  const dutch = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(date);
  return dutch ? `${dutch[3]}-${dutch[2]!.padStart(2, '0')}-${dutch[1]!.padStart(2, '0')}` : date;
}

/** The field a reason names: `<column> of row N`, or `field K` (by the header), else empty. */
function fieldOf(reason: string, header: readonly CsvColumn[] | undefined): string {
  const column = /^([a-z]+) of row \d+/.exec(reason);
  if (column) return column[1]!;
  const field = /field (\d+)/.exec(reason);
  if (field && header) return header[Number(field[1]) - 1] ?? '';
  return '';
}

function amsterdamToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
}
