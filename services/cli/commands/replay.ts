import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { uploadRecordValue } from '../../ingest';
import type { IngestError } from '../../ingest/types';
import { CsvUploadParser } from '../../ingest/csv/parse';
import type { CsvColumn } from '../../ingest/csv/row';
import { XML_KINDS } from '../../ingest/registry';
import { readXmlMessage } from '../../ingest/xml';
import { decodePayload } from '../../ingest/payload';
import { processingMoment, today as todayOf } from '../../pipeline/clock';
import { TestDriver } from '../../pipeline/driver';
import { gemeenteTopic, inputTopicOf, topicForInput } from '../../topics';
import { rejected } from '../errors';
import { writeLine } from '../io';
import { gemeentecode, isoDate } from '../options';
import type { CliContext } from '../program';

interface ReplayOptions {
  today?: string;
  out: string;
  gemeente?: string;
}

/** What one file became: records piped, or a reason it could not be read as a message at all. */
interface Unread {
  file: string;
  regel?: number;
  error: IngestError;
}

export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .description(
      'run message files through the same core as the processor (the TestDriver: in-memory register, no ' +
        'Kafka or Redis), in order, and write what would go to each output topic: <topic>.ndjson (one ' +
        'record a line: key, headers, value), WMO301 beëindigingen also as XML files, and dead letters. ' +
        'XML (IO31, AW33, WMO301) goes to its input topic by its namespace; JSON with eventType is a ' +
        'netwerkmodel event, JSON with type a command of --gemeente; CSV is an upload of --gemeente.',
    )
    .argument('<paths...>', 'files, or directories (their files in name order)')
    .option(
      '--today <YYYY-MM-DD>',
      'the processing day (default: today); makes the output reproducible',
      isoDate,
    )
    .option('--out <dir>', 'where the output goes', 'replay-out')
    .option(
      '--gemeente <code>',
      'the gemeente of CSV uploads and commands, and of WMO301s (default: their Afzender)',
      gemeentecode,
    )
    .action(async (paths: string[], opts: ReplayOptions) => {
      await runReplay(ctx, paths, opts);
    });
}

async function runReplay(ctx: CliContext, paths: string[], opts: ReplayOptions): Promise<void> {
  const files = paths.flatMap(filesOf);
  const day = opts.today ?? todayOf();
  const driver = new TestDriver({ ...ctx.io.env, SAMENLOOP_TODAY: day });
  // With --today the moment is fixed too (noon UTC of that day), so the bytes are the same on every run.
  driver.now = opts.today ? processingMoment(day, new Date(`${day}T12:00:00Z`)) : processingMoment(day);
  const cfg = driver.cfg;
  const unread: Unread[] = [];
  let piped = 0;
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const ext = path.extname(file).toLowerCase();
    if (ext === '.csv') {
      const gemeente = needGemeente(opts, file);
      const uploadId = `u-${createHash('sha256').update(`${gemeente}\n${day}\n`).update(bytes).digest('hex').slice(0, 16)}`;
      const parser = new CsvUploadParser(gemeente, uploadId, { uploadDate: day });
      const rows = [...parser.push(bytes), ...parser.end()];
      if (parser.fileError) unread.push({ file, error: parser.fileError });
      for (const r of rows) {
        if (!r.ok) {
          unread.push({ file, regel: r.row, error: r.error });
          continue;
        }
        const rij: Partial<Record<CsvColumn, string>> = {};
        for (const [k, v] of r.values) if (v !== '') rij[k] = v;
        await driver.pipe(
          gemeenteTopic(cfg, gemeente, 'uploads'),
          uploadRecordValue({ uploadId, regel: r.row, uploadDatum: day, rij }),
        );
        piped++;
      }
      continue;
    }
    const decoded = decodePayload(bytes, { maxBytes: cfg.MAX_MESSAGE_BYTES });
    if (!decoded.ok) {
      unread.push({ file, error: decoded.error });
      continue;
    }
    if (ext === '.json' || decoded.text.trimStart().startsWith('{')) {
      let type: unknown;
      try {
        type = (JSON.parse(decoded.text) as { type?: unknown }).type;
      } catch {
        type = undefined;
      }
      if (typeof type === 'string') {
        await driver.pipe(gemeenteTopic(cfg, needGemeente(opts, file), 'opdrachten'), bytes);
      } else {
        await driver.pipe(inputTopicOf(cfg, 'indicatiebesluiten'), bytes, {
          headers: { 'content-type': 'application/json' },
        });
      }
      piped++;
      continue;
    }
    const xml = readXmlMessage(decoded.text, XML_KINDS);
    if (!xml.ok) {
      unread.push({ file, error: xml.error });
      continue;
    }
    // a WMO301 goes to the toewijzingen topic of --gemeente, else of its own Afzender (a replay plays
    // the gemeente that sent it; with --gemeente, one of another gemeente is WRONG_SENDER, as in the chain)
    const header = xml.root.children.find((c) => c.name === 'Header');
    const afzender = header?.children.find((c) => c.name === 'Afzender')?.text.trim() ?? '';
    await driver.pipe(topicForInput(cfg, xml.kind.input, opts.gemeente ?? afzender), bytes, {
      headers: { 'content-type': 'application/xml' },
    });
    piped++;
  }
  const counts = writeOutputs(opts.out, driver, unread);
  const summary = [...counts].map(([topic, n]) => `${topic}: ${n}`).join(', ');
  writeLine(
    ctx.io.stdout,
    `replayed ${files.length} file(s), ${piped} record(s), processing day ${day}: ${summary || 'no output'}`,
  );
  writeLine(ctx.io.stdout, `output in ${opts.out}`);
}

function filesOf(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw rejected(`${p}: no such file or directory`);
  }
  if (!stat.isDirectory()) return [p];
  return fs
    .readdirSync(p, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort()
    .map((n) => path.join(p, n));
}

function needGemeente(opts: ReplayOptions, file: string): string {
  if (opts.gemeente === undefined)
    throw rejected(`${file} is a CSV upload or a command: give the gemeente with --gemeente <code>`);
  return opts.gemeente;
}

/** <out>/<topic>.ndjson per topic, WMO301s also as <out>/<topic>/<n>-<id>.xml, dead letters in <dlq>.ndjson. */
function writeOutputs(out: string, driver: TestDriver, unread: Unread[]): Map<string, number> {
  fs.mkdirSync(out, { recursive: true });
  const counts = new Map<string, number>();
  const lines = new Map<string, string[]>();
  const add = (topic: string, line: unknown) => {
    const list = lines.get(topic) ?? [];
    list.push(JSON.stringify(line));
    lines.set(topic, list);
    counts.set(topic, (counts.get(topic) ?? 0) + 1);
  };
  for (const o of driver.outputs) {
    const headers = { 'content-type': o.contentType, 'samenloop-id': o.id };
    if (o.contentType === null) {
      // a tombstone: the decision's records may be compacted away
      add(o.topic, { key: o.key, headers, value: null });
    } else if (o.contentType === 'application/xml') {
      const n = (counts.get(o.topic) ?? 0) + 1;
      const dir = path.join(out, o.topic);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${String(n).padStart(4, '0')}-${o.id}.xml`), o.value);
      add(o.topic, { key: o.key, headers, value: o.value });
    } else {
      add(o.topic, { key: o.key, headers, value: JSON.parse(o.value) as unknown });
    }
  }
  const dlq = driver.cfg.TOPIC_DLQ;
  for (const d of driver.deadLetters)
    add(dlq, { code: d.error.code, reason: d.error.reason, sourceTopic: d.record.topic });
  for (const u of unread)
    add(dlq, {
      code: u.error.code,
      reason: u.error.reason,
      file: u.file,
      ...(u.regel ? { regel: u.regel } : {}),
    });
  for (const [topic, list] of lines)
    fs.writeFileSync(path.join(out, `${topic}.ndjson`), `${list.join('\n')}\n`);
  return counts;
}
