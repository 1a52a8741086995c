/**
 * What the operators' metrics read off a notification that was sent: its gemeente, its type and the
 * state of the beëindiging it carries (a proposal opened or closed). Pure: reads the rendered record in
 * either CloudEvents content mode.
 */
import { readCloudEvent } from './cloudevents';
import type { Rendered } from './render';

export interface SentNotification {
  gemeente: string;
  type: string;
  /** The beëindiging of a signal or vervallen: `open` while it is a proposal (status voorgesteld). */
  proposal?: { id: string; open: boolean };
}

export function sentNotification(r: Rendered): SentNotification | undefined {
  if (r.channel !== 'samenloop' || r.contentType === null) return undefined;
  const e = readCloudEvent(r.value, { ...r.headers, 'content-type': r.contentType });
  if (e === undefined) return undefined;
  const data = e.data as { beeindiging?: { id?: unknown; status?: unknown } } | null;
  const b = data?.beeindiging;
  const base = { gemeente: r.gemeente, type: e.type };
  if (e.type === 'nl.samenloop.opdracht.afgewezen' || !b || typeof b.id !== 'string') return base;
  // a vervallen takes the decision away: its proposal, if any, is no longer open
  const open = e.type === 'nl.samenloop.signaal' && b.status === 'voorgesteld';
  return { ...base, proposal: { id: b.id, open } };
}
