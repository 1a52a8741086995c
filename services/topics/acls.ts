/**
 * The Kafka ACLs of each principal, derived from the topic names (pure). A broker with
 * allow.everyone.if.no.acl.found=false lets a principal do only this; `samenloop acls` prints them and
 * creates them. Every prefix ends with a dot, so gemeente 036 never matches 0363's resources.
 */
import { gemeenteTopic, inputTopics, type TopicNames } from './index';

export type AclResource = 'TOPIC' | 'GROUP' | 'TRANSACTIONAL_ID' | 'CLUSTER';
export type AclPattern = 'LITERAL' | 'PREFIXED';
/** READ and WRITE include DESCRIBE (Kafka's implied operations). */
export type AclOperation = 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE';

export interface Acl {
  principal: string;
  resource: AclResource;
  pattern: AclPattern;
  name: string;
  operation: AclOperation;
  /** Why: one line for the printout. */
  why: string;
}

/** The principal of gemeente `code` when none is given: its SCRAM user or certificate CN `gemeente-<code>`. */
export const defaultGemeentePrincipal = (code: string): string => `User:gemeente-${code}`;

/** The prefix of a gemeente's resources (topics, consumer groups): `<TOPIC_GEMEENTE_PREFIX><code>.` */
export function gemeentePrefix(t: TopicNames, code: string): string {
  return `${t.TOPIC_GEMEENTE_PREFIX}${code}.`;
}

/**
 * A gemeente: read its notifications and beëindigingen, write its toewijzingen, opdrachten and uploads,
 * its own consumer groups (`gemeente.<code>.…`); nothing of another gemeente, nothing shared.
 */
export function gemeenteAcls(t: TopicNames, code: string, principal = defaultGemeentePrincipal(code)): Acl[] {
  const topic = (
    channel: Parameters<typeof gemeenteTopic>[2],
    operation: AclOperation,
    why: string,
  ): Acl => ({
    principal,
    resource: 'TOPIC',
    pattern: 'LITERAL',
    name: gemeenteTopic(t, code, channel),
    operation,
    why,
  });
  return [
    topic('samenloop', 'READ', 'its notifications'),
    topic('beeindigingen', 'READ', 'its beëindigingen (WMO301 for its aanbieders)'),
    topic('toewijzingen', 'WRITE', 'its Wmo toewijzingen (WMO301)'),
    topic('opdrachten', 'WRITE', 'its commands (bevestigen, afwijzen)'),
    topic('uploads', 'WRITE', 'its CSV upload rows'),
    {
      principal,
      resource: 'GROUP',
      pattern: 'PREFIXED',
      name: gemeentePrefix(t, code),
      operation: 'READ',
      why: 'its consumer groups: ids starting with the prefix (the trailing dot keeps 036 from 0363)',
    },
  ];
}

/** An ACL maker for one principal. */
const aclsOf =
  (principal: string) =>
  (resource: AclResource, pattern: AclPattern, name: string, operation: AclOperation, why: string): Acl => ({
    principal,
    resource,
    pattern,
    name,
    operation,
    why,
  });

/** What the processor's ACLs are made from. */
export interface ProcessorAclSettings extends TopicNames {
  KAFKA_GROUP_ID: string;
  TOPIC_DAGELIJKS: string;
  TOPIC_CHANGELOG: string;
}

/** The prefix of the processor's throw-away consumer groups when it rebuilds a lost register (kafka/rebuild.ts). */
export const REBUILD_GROUP_PREFIX = 'samenloop-rebuild-';

/**
 * The processor: read the inputs and every gemeente's input topics, write the outputs and the dead
 * letters, create the topics it makes (drop CREATE where topics are made by their owners), its consumer
 * group and its rebuild groups, and its transactional ids `<KAFKA_GROUP_ID>.<topic>.<partition>`.
 */
export function processorAcls(s: ProcessorAclSettings, principal = 'User:processor'): Acl[] {
  if (s.TOPIC_GEMEENTE_PREFIX === '')
    throw new Error('TOPIC_GEMEENTE_PREFIX is empty: no prefixed ACL can confine the gemeente topics');
  const acl = aclsOf(principal);
  const inputs = inputTopics(s).flatMap((t) => [
    acl('TOPIC', 'LITERAL', t, 'READ', 'an input'),
    acl('TOPIC', 'LITERAL', t, 'CREATE', 'an input it creates at start'),
  ]);
  const gemeenten = s.TOPIC_GEMEENTE_PREFIX;
  return [
    ...inputs,
    acl('TOPIC', 'LITERAL', s.TOPIC_DLQ, 'WRITE', 'dead letters'),
    acl('TOPIC', 'LITERAL', s.TOPIC_DLQ, 'CREATE', 'the dead-letter topic it creates at start'),
    acl('TOPIC', 'LITERAL', s.TOPIC_DAGELIJKS, 'READ', "the daily re-evaluation's ticks"),
    acl('TOPIC', 'LITERAL', s.TOPIC_DAGELIJKS, 'WRITE', 'the ticks it sends at its start and at a new day'),
    acl('TOPIC', 'LITERAL', s.TOPIC_DAGELIJKS, 'CREATE', "the ticks' topic it creates at start"),
    acl('TOPIC', 'LITERAL', s.TOPIC_CHANGELOG, 'READ', "the register's changelog, read when Redis lost it"),
    acl('TOPIC', 'LITERAL', s.TOPIC_CHANGELOG, 'WRITE', 'every change of the register, in its transactions'),
    acl('TOPIC', 'LITERAL', s.TOPIC_CHANGELOG, 'CREATE', "the register's changelog it creates at start"),
    acl('TOPIC', 'PREFIXED', gemeenten, 'READ', "the gemeenten's toewijzingen, opdrachten and uploads"),
    acl('TOPIC', 'PREFIXED', gemeenten, 'WRITE', "the gemeenten's notifications and beëindigingen"),
    acl('TOPIC', 'PREFIXED', gemeenten, 'CREATE', "a gemeente's topics on its first output"),
    acl('GROUP', 'LITERAL', s.KAFKA_GROUP_ID, 'READ', 'its consumer group'),
    acl('GROUP', 'PREFIXED', REBUILD_GROUP_PREFIX, 'READ', 'the groups of a register rebuild'),
    acl('TRANSACTIONAL_ID', 'PREFIXED', `${s.KAFKA_GROUP_ID}.`, 'WRITE', 'its transactional producers'),
  ];
}

/** What the console's ACLs are made from. */
export interface ConsoleAclSettings extends TopicNames {
  TOPIC_VERWERKINGEN: string;
  TOPIC_DAGELIJKS: string;
  TOPIC_CHANGELOG: string;
  KAFKA_CLIENT_ID: string;
}

/** The prefix of the command line's throw-away consumer groups (cli/read-topic.ts). */
export const CLI_GROUP_PREFIX = 'samenloop-cli-';

/**
 * The console: the `samenloop` command line of the operators (import, report, bevestig/afwijs, dlq,
 * topics, inspect's audit record). Its transactional ids have prefixes of their own, never one that could
 * match the processor's (`<KAFKA_GROUP_ID>.`): a console must not fence the processor's producers.
 */
export function consoleAcls(s: ConsoleAclSettings, principal = 'User:console'): Acl[] {
  if (s.TOPIC_GEMEENTE_PREFIX === '')
    throw new Error('TOPIC_GEMEENTE_PREFIX is empty: no prefixed ACL can confine the gemeente topics');
  const acl = aclsOf(principal);
  const g = s.TOPIC_GEMEENTE_PREFIX;
  return [
    acl('TOPIC', 'PREFIXED', g, 'READ', 'report (notifications), import (uploads history)'),
    acl('TOPIC', 'PREFIXED', g, 'WRITE', 'import (uploads), bevestig and afwijs (opdrachten)'),
    acl('TOPIC', 'PREFIXED', g, 'CREATE', "import and topics create make a gemeente's topics"),
    acl('TOPIC', 'LITERAL', s.TOPIC_DLQ, 'READ', 'dlq list'),
    ...inputTopics(s).map((t) => acl('TOPIC', 'LITERAL', t, 'WRITE', 'dlq resend')),
    acl('TOPIC', 'LITERAL', s.TOPIC_VERWERKINGEN, 'WRITE', 'the audit records'),
    acl('TOPIC', 'LITERAL', s.TOPIC_VERWERKINGEN, 'CREATE', 'the audit topic'),
    acl('TOPIC', 'LITERAL', s.TOPIC_DAGELIJKS, 'CREATE', "topics create makes the daily ticks' topic"),
    acl('TOPIC', 'LITERAL', s.TOPIC_CHANGELOG, 'CREATE', "topics create makes the register's changelog"),
    acl('GROUP', 'PREFIXED', CLI_GROUP_PREFIX, 'READ', 'the throw-away groups that read a topic'),
    ...['cli', 'import', 'dlq'].map((kind) =>
      acl(
        'TRANSACTIONAL_ID',
        'PREFIXED',
        `${s.KAFKA_CLIENT_ID}-${kind}-`,
        'WRITE',
        `its ${kind} transactions`,
      ),
    ),
  ];
}

/** One line per ACL, aligned, as `samenloop acls` prints them. */
export function formatAcls(acls: readonly Acl[]): string[] {
  const w = (f: (a: Acl) => string) => Math.max(...acls.map((a) => f(a).length));
  const wp = w((a) => a.principal);
  const wo = w((a) => a.operation);
  const wr = w((a) => a.resource);
  const wn = w((a) => a.name);
  return acls.map(
    (a) =>
      `${a.principal.padEnd(wp)}  ALLOW  ${a.operation.padEnd(wo)}  ${a.resource.padEnd(wr)}  ` +
      `${a.pattern.padEnd(8)}  ${a.name.padEnd(wn)}  # ${a.why}`,
  );
}
