/**
 * The ticks of the daily re-evaluation (as the punctuation of Kafka Streams): `{"dag":"YYYY-MM-DD","slice":n}`
 * on partition n of TOPIC_DAGELIJKS, one per slice of the clients. The partition's owner re-evaluates the
 * clients of that slice whose next date has come. Pure.
 */
import { addDays, isPlausibleDate } from '../domain/dates';
import type { IsoDate } from '../domain/facts';
import type { IngestError } from '../ingest/types';
import type { InputRecord } from './decode';

export interface Tick {
  dag: IsoDate;
  slice: number;
}

export type DecodedTick = { ok: true; tick: Tick } | { ok: false; error: IngestError };

const bad = (code: IngestError['code'], reason: string): DecodedTick => ({
  ok: false,
  error: { code, reason },
});

/** The tick record a ticker sends for one slice: key and value. */
export function tickRecord(tick: Tick): { key: string; value: string } {
  return { key: String(tick.slice), value: JSON.stringify({ dag: tick.dag, slice: tick.slice }) };
}

/**
 * A tick from its record: exactly `dag` (a real date) and `slice` (the record's own partition, below
 * `slices`), and a day no later than tomorrow (a clock a little ahead at midnight is fine; a day further ahead
 * would re-evaluate clients as of the future and is refused). Anything else is a bad input, dead-lettered.
 */
export function decodeTick(rec: InputRecord, slices: number, today: IsoDate): DecodedTick {
  const text = (rec.value ?? Buffer.alloc(0)).toString('utf8');
  if (text.length > 200) return bad('TOO_LARGE', `a tick of ${text.length} characters`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('INVALID_JSON', 'a tick that is not JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return bad('SCHEMA', 'a tick must be an object {dag, slice}');
  const o = json as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.join(',') !== 'dag,slice') return bad('SCHEMA', 'a tick has exactly the members dag and slice');
  const { dag, slice } = o;
  if (typeof dag !== 'string' || !isPlausibleDate(dag)) return bad('INVALID_DATE', 'tick dag is not a date');
  if (typeof slice !== 'number' || !Number.isInteger(slice) || slice < 0 || slice >= slices)
    return bad('SCHEMA', `tick slice is not an integer 0..${slices - 1}`);
  if (slice !== rec.partition) return bad('SCHEMA', `tick for slice ${slice} on partition ${rec.partition}`);
  if (dag > addDays(today, 1)) return bad('INVALID_DATE', `tick dag ${dag} is after tomorrow (${today})`);
  return { ok: true, tick: { dag, slice } };
}

/** The slice of a client (its pseudonym is hex): which tick re-evaluates it. */
export function sliceOf(clientId: string, slices: number): number {
  const n = Number.parseInt(clientId.slice(0, 8), 16);
  return Number.isNaN(n) ? 0 : n % slices;
}
