import type { GemeenteCommand } from '../domain/commands';
import { parseCommand, parseMessage, parseUploadRecord } from '../ingest';
import { checkJsonLimits } from '../ingest/json';
import type { IngestError, ParsedMessage } from '../ingest/types';
import {
  inputKindOf,
  opdrachtGemeente,
  toewijzingenGemeente,
  uploadGemeente,
  type TopicNames,
} from '../topics';

/** One Kafka record as the pipeline sees it, independent of the client library. */
export interface InputRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export type Decoded =
  | { kind: 'facts'; message: ParsedMessage }
  | { kind: 'command'; gemeente: string; command: GemeenteCommand }
  | { kind: 'command-invalid'; gemeente: string; reason: string; raw: unknown }
  | { kind: 'dead-letter'; error: IngestError };

/** Step 1 of the pipeline: bytes to facts or a command, or a reason to dead-letter. Pure. */
export function decode(rec: InputRecord, topics: TopicNames, maxBytes: number): Decoded {
  const gemeente = opdrachtGemeente(topics, rec.topic);
  if (gemeente !== undefined) {
    const value = rec.value ?? Buffer.alloc(0);
    if (value.length > maxBytes) {
      return {
        kind: 'dead-letter',
        error: { code: 'TOO_LARGE', reason: `command of ${value.length} bytes` },
      };
    }
    const r = parseCommand(value);
    if (r.ok) return { kind: 'command', gemeente, command: r.cmd };
    return { kind: 'command-invalid', gemeente, reason: r.reason, raw: safeJson(value) };
  }
  const uploader = uploadGemeente(topics, rec.topic);
  if (uploader !== undefined) {
    const r = parseUploadRecord(uploader, rec.value ?? Buffer.alloc(0), maxBytes);
    return r.ok ? { kind: 'facts', message: r.message } : { kind: 'dead-letter', error: r.error };
  }
  const owner = toewijzingenGemeente(topics, rec.topic);
  if (owner !== undefined) {
    // The gemeente is the topic's (its ACLs say who may write there), never the message's own word.
    const r = parseMessage('wmo-toewijzingen', rec.value ?? Buffer.alloc(0), rec.headers, { maxBytes });
    if (!r.ok) return { kind: 'dead-letter', error: r.error };
    if (r.message.facts.some((f) => 'gemeente' in f && f.gemeente !== owner)) {
      return {
        kind: 'dead-letter',
        error: {
          code: 'WRONG_SENDER',
          reason: `the Afzender is another gemeente than ${owner}, whose toewijzingen topic this is`,
        },
      };
    }
    return { kind: 'facts', message: r.message };
  }
  const kind = inputKindOf(topics, rec.topic);
  if (kind === undefined) {
    return {
      kind: 'dead-letter',
      error: { code: 'WRONG_TOPIC', reason: `no parser for topic ${rec.topic}` },
    };
  }
  const r = parseMessage(kind, rec.value ?? Buffer.alloc(0), rec.headers, { maxBytes });
  return r.ok ? { kind: 'facts', message: r.message } : { kind: 'dead-letter', error: r.error };
}

/** The command as far as it is JSON within the input limits (JSON.parse is slow on hostile nesting), or undefined. */
function safeJson(value: Buffer): unknown {
  const text = value.toString('utf8');
  if (checkJsonLimits(text) !== undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
