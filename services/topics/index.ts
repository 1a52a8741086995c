/**
 * Every topic name samenloop reads or writes, built and parsed here and nowhere else. The names come from
 * the configuration (TOPIC_*); a gemeente's topics are `<TOPIC_GEMEENTE_PREFIX><code>.<channel>`. Pure.
 */
import type { InputKind } from '../ingest/kinds';

/** The part of the configuration that names topics. */
export interface TopicNames {
  TOPIC_INDICATIEBESLUITEN: string;
  TOPIC_ZORGTOEWIJZINGEN: string;
  /**
   * The trusted chain bridge (a GGk connection) that forwards WMO301s of many gemeenten on one topic, whose
   * Afzender is believed; unset (the default): no such topic, every gemeente writes its own.
   */
  TOPIC_WMO_TRUSTED_BRIDGE?: string | undefined;
  TOPIC_DLQ: string;
  TOPIC_GEMEENTE_PREFIX: string;
}

export const GEMEENTE_CHANNELS = [
  'samenloop',
  'beeindigingen',
  'toewijzingen',
  'opdrachten',
  'uploads',
] as const;
export type GemeenteChannel = (typeof GEMEENTE_CHANNELS)[number];
/**
 * The channels a gemeente writes and the processor reads: its Wmo toewijzingen (WMO301), its commands and
 * its CSV uploads. The gemeente of a record on them is the topic's: who may write there is who it is.
 */
export const GEMEENTE_INPUT_CHANNELS = [
  'toewijzingen',
  'opdrachten',
  'uploads',
] as const satisfies readonly GemeenteChannel[];
export type GemeenteInputChannel = (typeof GEMEENTE_INPUT_CHANNELS)[number];
/** The channels the processor writes. */
export type OutputChannel = Exclude<GemeenteChannel, GemeenteInputChannel>;

const GEMEENTECODE = /^\d{4}$/;

/**
 * The setting that names each shared input kind's topic: a new input kind does not compile without one or
 * a place in the gemeente channels. The Wmo toewijzingen are per gemeente (`toewijzingen`), never shared:
 * a gemeente's identity comes from where it writes, not from what it writes.
 */
const INPUT_TOPIC_SETTING = {
  indicatiebesluiten: 'TOPIC_INDICATIEBESLUITEN',
  zorgtoewijzingen: 'TOPIC_ZORGTOEWIJZINGEN',
} as const satisfies Record<Exclude<InputKind, 'wmo-toewijzingen'>, keyof TopicNames>;

/** The input kinds with one shared topic (the chain's Wlz messages). */
export type SharedInputKind = keyof typeof INPUT_TOPIC_SETTING;
const SHARED_KINDS = Object.keys(INPUT_TOPIC_SETTING) as SharedInputKind[];

/** The input topic of a shared input kind. */
export function inputTopicOf(t: TopicNames, kind: SharedInputKind): string {
  return t[INPUT_TOPIC_SETTING[kind]];
}

/** A gemeente's own topic for its Wmo toewijzingen (WMO301). */
export function wmoTopic(t: TopicNames, gemeente: string): string {
  return gemeenteTopic(t, gemeente, 'toewijzingen');
}

/** The topic a message of `kind` goes to; for a WMO301 that of its gemeente. */
export function topicForInput(t: TopicNames, kind: InputKind, gemeente: string): string {
  return kind === 'wmo-toewijzingen' ? wmoTopic(t, gemeente) : inputTopicOf(t, kind);
}

/** The shared input topics: the Wlz inputs, and the trusted WMO301 bridge when one is configured. */
export function inputTopics(t: TopicNames): string[] {
  const bridge = t.TOPIC_WMO_TRUSTED_BRIDGE;
  return [...SHARED_KINDS.map((k) => inputTopicOf(t, k)), ...(bridge ? [bridge] : [])];
}

/** The input kind a shared topic carries, or undefined when it is no shared input topic. */
export function inputKindOf(t: TopicNames, topic: string): InputKind | undefined {
  if (t.TOPIC_WMO_TRUSTED_BRIDGE && topic === t.TOPIC_WMO_TRUSTED_BRIDGE) return 'wmo-toewijzingen';
  return SHARED_KINDS.find((k) => inputTopicOf(t, k) === topic);
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

/** The gemeentecode of a Wmo toewijzingen topic, or undefined. */
export function toewijzingenGemeente(t: TopicNames, topic: string): string | undefined {
  const p = parseGemeenteTopic(t, topic);
  return p?.channel === 'toewijzingen' ? p.gemeente : undefined;
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
