/**
 * The audit trail of every processing of client data by the command line (AVG), modelled on the Logius
 * "Logboek Dataverwerkingen" standard: a record per processing per data subject with a trace id, the
 * processing activity, the pseudonymised data subject (never a BSN in clear), the actor and the time, on
 * TOPIC_VERWERKINGEN (samenloop.verwerkingen). Written in the same Kafka transaction as what the command
 * sends, or before it shows any client data.
 */
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import type { Message } from 'kafkajs';
import type { Config } from '../config';

/** inspect, report, bevestigen and afwijzen (command line and console); werkvoorraad, signaal and upload (console). */
export const AUDIT_ACTIVITIES = [
  'inspect',
  'report',
  'bevestigen',
  'afwijzen',
  'werkvoorraad',
  'signaal',
  'upload',
] as const;
export type AuditActivity = (typeof AUDIT_ACTIVITIES)[number];

export interface AuditRecord {
  /** The trace id of the processing: one per command run, shared by its records. */
  traceId: string;
  /** The record's own id. */
  id: string;
  tijd: string;
  activiteit: AuditActivity;
  /** The data subject: the BSN's keyed pseudonym (as in the register), or null when the command names none. */
  betrokkene: string | null;
  /** Who did it: the medewerker of a command, else SAMENLOOP_ACTOR or the operating system user. */
  actor: string;
  gemeente: string | null;
  /** What it was about besides the client, e.g. the beëindiging id of a command. */
  object: string | null;
}

export function actorOf(env: NodeJS.ProcessEnv): string {
  if (env.SAMENLOOP_ACTOR) return env.SAMENLOOP_ACTOR;
  try {
    return `os:${os.userInfo().username}`;
  } catch {
    return 'os:unknown';
  }
}

export function auditRecords(
  traceId: string,
  activiteit: AuditActivity,
  actor: string,
  gemeente: string | null,
  betrokkenen: ReadonlyArray<string | null>,
  object: string | null = null,
): AuditRecord[] {
  const tijd = new Date().toISOString();
  return betrokkenen.map((betrokkene) => ({
    traceId,
    id: randomUUID(),
    tijd,
    activiteit,
    betrokkene,
    actor,
    gemeente,
    object,
  }));
}

export const newTraceId = (): string => randomUUID();

/** The Kafka records of audit records: key the data subject (or the trace id), JSON value. */
export function auditMessages(records: readonly AuditRecord[]): Message[] {
  return records.map((r) => ({
    key: r.betrokkene ?? r.traceId,
    value: JSON.stringify(r),
    headers: { 'content-type': 'application/json' },
  }));
}

export const auditTopic = (cfg: Config): string => cfg.TOPIC_VERWERKINGEN;
