import type { Batch, IHeaders, KafkaMessage } from 'kafkajs';
import { scrubBsn } from '../log';
import type { InputRecord } from '../pipeline/decode';

/** Kafka headers as a plain lower-cased string map (the first value of a repeated header). */
export function headersOf(h: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined) out[k.toLowerCase()] = Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
  }
  return out;
}

/** A consumed Kafka message as the pipeline's input record (topic, partition, offset, key, value, headers). */
export function inputRecordOf(batch: Pick<Batch, 'topic' | 'partition'>, m: KafkaMessage): InputRecord {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: m.offset,
    key: m.key,
    value: m.value,
    headers: headersOf(m.headers),
  };
}

/**
 * The headers of a dead letter: the input record's own headers (for a replay: its content-type), then
 * `samenloop-source-topic`, `-partition`, `-offset`, `samenloop-error-code` and `samenloop-error-reason`.
 * No header carries a BSN in any form: the reason names fields and rules, and every name and value, the
 * copied ones too, goes through scrubBsn. The record's key and value stay the raw input.
 */
export function deadLetterHeaders(
  rec: InputRecord,
  error: { code: string; reason: string },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(rec.headers)) out[scrubBsn(name)] = scrubBsn(value);
  return {
    ...out,
    'samenloop-source-topic': rec.topic,
    'samenloop-source-partition': String(rec.partition),
    'samenloop-source-offset': rec.offset,
    'samenloop-error-code': error.code,
    'samenloop-error-reason': scrubBsn(error.reason),
  };
}
