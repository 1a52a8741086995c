/**
 * Every topic name samenloop reads or writes, built and parsed here and nowhere else. The names come from
 * the configuration (TOPIC_*); a gemeente's topics are `<TOPIC_GEMEENTE_PREFIX><code>.<channel>`. Pure.
 */
import type { InputKind } from '../ingest/kinds';

/** The part of the configuration that names topics. */
export interface TopicNames {
  TOPIC_INDICATIEBESLUITEN: string;
  TOPIC_ZORGTOEWIJZINGEN: string;
  TOPIC_WMO_TOEWIJZINGEN: string;
  TOPIC_DLQ: string;
  TOPIC_GEMEENTE_PREFIX: string;
}

export const GEMEENTE_CHANNELS = ['samenloop', 'beeindigingen', 'opdrachten', 'uploads'] as const;
export type GemeenteChannel = (typeof GEMEENTE_CHANNELS)[number];
/** The channels a gemeente writes and the processor reads: its commands and its CSV uploads. */
export const GEMEENTE_INPUT_CHANNELS = [
  'opdrachten',
  'uploads',
] as const satisfies readonly GemeenteChannel[];
export type GemeenteInputChannel = (typeof GEMEENTE_INPUT_CHANNELS)[number];
/** The channels the processor writes. */
export type OutputChannel = Exclude<GemeenteChannel, GemeenteInputChannel>;

const GEMEENTECODE = /^\d{4}$/;

/** The setting that names each input kind's topic: a new input kind does not compile without one. */
const INPUT_TOPIC_SETTING = {
  indicatiebesluiten: 'TOPIC_INDICATIEBESLUITEN',
  zorgtoewijzingen: 'TOPIC_ZORGTOEWIJZINGEN',
  'wmo-toewijzingen': 'TOPIC_WMO_TOEWIJZINGEN',
} as const satisfies Record<InputKind, keyof TopicNames>;

const INPUT_KINDS = Object.keys(INPUT_TOPIC_SETTING) as InputKind[];

/** The input topic of each input kind. */
export function inputTopicOf(t: TopicNames, kind: InputKind): string {
  return t[INPUT_TOPIC_SETTING[kind]];
}

/** The Wlz and Wmo input topics (not the gemeenten's opdrachten topics). */
export function inputTopics(t: TopicNames): string[] {
  return INPUT_KINDS.map((k) => inputTopicOf(t, k));
}

/** The input kind a topic carries, or undefined when it is no input topic. */
export function inputKindOf(t: TopicNames, topic: string): InputKind | undefined {
  return INPUT_KINDS.find((k) => inputTopicOf(t, k) === topic);
}

export function gemeenteTopic(t: TopicNames, gemeente: string, channel: GemeenteChannel): string {
  return `${t.TOPIC_GEMEENTE_PREFIX}${gemeente}.${channel}`;
}

/** All topics of one gemeente. */
export function gemeenteTopics(t: TopicNames, gemeente: string): string[] {
  return GEMEENTE_CHANNELS.map((c) => gemeenteTopic(t, gemeente, c));
}

/** A gemeente topic's gemeentecode and channel, or undefined for any other topic. */
export function parseGemeenteTopic(
  t: TopicNames,
  topic: string,
): { gemeente: string; channel: GemeenteChannel } | undefined {
  const prefix = t.TOPIC_GEMEENTE_PREFIX;
  if (!topic.startsWith(prefix)) return undefined;
  const rest = topic.slice(prefix.length);
  const dot = rest.indexOf('.');
  const gemeente = rest.slice(0, dot);
  const channel = rest.slice(dot + 1) as GemeenteChannel;
  if (dot < 0 || !GEMEENTECODE.test(gemeente) || !GEMEENTE_CHANNELS.includes(channel)) return undefined;
  return { gemeente, channel };
}

/** The gemeente and channel of a topic a gemeente writes (opdrachten, uploads), or undefined. */
export function gemeenteInput(
  t: TopicNames,
  topic: string,
): { gemeente: string; channel: GemeenteInputChannel } | undefined {
  const p = parseGemeenteTopic(t, topic);
  if (p === undefined) return undefined;
  const channel = GEMEENTE_INPUT_CHANNELS.find((c) => c === p.channel);
  return channel === undefined ? undefined : { gemeente: p.gemeente, channel };
}

/** The gemeentecode of an uploads topic, or undefined. */
export function uploadGemeente(t: TopicNames, topic: string): string | undefined {
  const p = parseGemeenteTopic(t, topic);
  return p?.channel === 'uploads' ? p.gemeente : undefined;
}

/** The gemeentecode of an opdrachten topic, or undefined. */
export function opdrachtGemeente(t: TopicNames, topic: string): string | undefined {
  const p = parseGemeenteTopic(t, topic);
  return p?.channel === 'opdrachten' ? p.gemeente : undefined;
}
