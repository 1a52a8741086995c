import type { Batch, IHeaders, KafkaMessage } from 'kafkajs';
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
