import { createHash } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { parseUploadRecord } from '../ingest';
import { readTopic } from './read-topic';
import type { CsvColumn } from '../ingest/csv/row';

/** What earlier uploads said of one toewijzing or aanvraag (by fact key): the latest row. */
export interface KnownRow {
  /** A hash of the row's values: equal rows are unchanged. */
  hash: string;
  soort: 'voorziening' | 'aanvraag';
  /** The row itself, only when asked for (--volledig needs it to end the row). */
  rij?: Partial<Record<CsvColumn, string>>;
  /** Whether the row had ended by then (an einddatum on or before that upload's date, or on its ingangsdatum). */
  ended: boolean;
}

/** The hash of a row's values, as the uploads history and the import compare them. */
export function rowHash(rij: Partial<Record<CsvColumn, string>>): string {
  const keys = (Object.keys(rij) as CsvColumn[]).filter((k) => (rij[k] ?? '') !== '').sort();
  return createHash('sha256')
    .update(JSON.stringify(keys.map((k) => [k, rij[k]])))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Reads a gemeente's uploads topic from the beginning to its end at the moment of the call (read_committed):
 * per fact key the latest row. Records the processor would reject are skipped, as it skips them.
 */
export async function readUploadsHistory(
  kafka: Kafka,
  topic: string,
  gemeente: string,
  keepRows: boolean,
): Promise<Map<string, KnownRow>> {
  const known = new Map<string, KnownRow>();
  await readTopic(kafka, topic, (_partition, m) => note(known, gemeente, m.value, keepRows));
  return known;
}

function note(known: Map<string, KnownRow>, gemeente: string, bytes: Buffer | null, keepRows: boolean): void {
  const r = parseUploadRecord(gemeente, bytes ?? Buffer.alloc(0), 1024 * 1024);
  if (!r.ok) return;
  const fact = r.message.facts[0];
  if (fact === undefined || (fact.type !== 'wmo-toewijzing' && fact.type !== 'wmo-aanvraag')) return;
  const value = JSON.parse(bytes!.toString('utf8')) as {
    uploadDatum: string;
    rij: Partial<Record<CsvColumn, string>>;
  };
  known.set(fact.key, {
    hash: rowHash(value.rij),
    soort: fact.type === 'wmo-toewijzing' ? 'voorziening' : 'aanvraag',
    // Ended by then, or ended before it started (how --volledig ends a row that starts later).
    ended:
      fact.einddatum !== undefined &&
      (fact.einddatum <= value.uploadDatum || fact.einddatum === fact.ingangsdatum),
    ...(keepRows ? { rij: value.rij } : {}),
  });
}
