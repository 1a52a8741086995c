import type { GemeenteCommand } from '../engine';
import { parseMessage, type TopicKind } from '../ingest';
import type { IngestError, ParsedMessage } from '../ingest/types';
import { parseCommand } from '../../schemas/command';

/** One Kafka record as the pipeline sees it, independent of the client library. */
export interface InputRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface TopicMap {
  inputs: Record<string, TopicKind>;
  /** Matches `<prefix><gemeentecode>.opdrachten` and yields the gemeentecode. */
  opdrachtGemeente(topic: string): string | undefined;
}

export type Decoded =
  | { kind: 'facts'; message: ParsedMessage }
  | { kind: 'command'; gemeente: string; command: GemeenteCommand }
  | { kind: 'command-invalid'; gemeente: string; reason: string; raw: unknown }
  | { kind: 'dead-letter'; error: IngestError };

/** Step 1 of the pipeline: bytes to facts or a command, or a reason to dead-letter. Pure. */
export function decode(rec: InputRecord, topics: TopicMap, maxBytes: number): Decoded {
  const gemeente = topics.opdrachtGemeente(rec.topic);
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
  const kind = topics.inputs[rec.topic];
  if (kind === undefined) {
    return {
      kind: 'dead-letter',
      error: { code: 'WRONG_TOPIC', reason: `no parser for topic ${rec.topic}` },
    };
  }
  const r = parseMessage(kind, rec.value ?? Buffer.alloc(0), rec.headers, { maxBytes });
  return r.ok ? { kind: 'facts', message: r.message } : { kind: 'dead-letter', error: r.error };
}

function safeJson(value: Buffer): unknown {
  try {
    return JSON.parse(value.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function topicMap(cfg: {
  TOPIC_INDICATIEBESLUITEN: string;
  TOPIC_ZORGTOEWIJZINGEN: string;
  TOPIC_WMO_TOEWIJZINGEN: string;
  TOPIC_GEMEENTE_PREFIX: string;
}): TopicMap {
  const prefix = cfg.TOPIC_GEMEENTE_PREFIX;
  return {
    inputs: {
      [cfg.TOPIC_INDICATIEBESLUITEN]: 'indicatiebesluiten',
      [cfg.TOPIC_ZORGTOEWIJZINGEN]: 'zorgtoewijzingen',
      [cfg.TOPIC_WMO_TOEWIJZINGEN]: 'wmo-toewijzingen',
    },
    opdrachtGemeente(topic) {
      if (!topic.startsWith(prefix) || !topic.endsWith('.opdrachten')) return undefined;
      const code = topic.slice(prefix.length, topic.length - '.opdrachten'.length);
      return /^\d{4}$/.test(code) ? code : undefined;
    },
  };
}
