import * as fs from 'node:fs';
import { z } from 'zod';
import { POLICIES, type Policy } from '../domain/policy';
import { productcodeRegelsSchema, type ProductcodeRegels } from '../domain/productcodes';
import { HIDDEN_VARIABLES, readFileVariables, securityProblems, securityShape } from './security';
import { operationsShape } from './operations';
import { ConfigError } from './errors';
import { KEY_ID_PATTERN, parseRegisterKeys, type RegisterKeys } from './register-keys';

/**
 * Configuration from the environment, validated by zod. Every variable has a default that runs on the
 * local stack (`npm run infra:up`); a bad value stops the process with an error naming the variable.
 */

const csv = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const policy = z.enum(POLICIES);

const topicName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,200}$/, 'a Kafka topic name: letters, digits, ".", "_" or "-"');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

const DAY_MS = 24 * 3600 * 1000;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Input partitions one process handles at once (KAFKA_PARTITIONS_CONCURRENTLY). Four drain ×1.25–1.4 faster than
 * one and shorten the wait for outputs (README, Performance, nineteenth and twentieth rounds); each partition in
 * hand holds a look-ahead window of decoded records and states (≈40 MB more at peak than one).
 */
export const DEFAULT_PARTITIONS_CONCURRENTLY = 4;

/**
 * How far V8 lets the old generation grow past what the last full collection kept, in percent
 * (HEAP_GROWING_PERCENT; V8's --heap-growing-percent). V8's own choice (0) lets it grow up to four times for
 * speed: the processor keeps about 40 MB live but its heap grew to 130 MB and its RSS to 280–420 MB in a
 * drain; 100 (twice) holds it near 215 MB for a few percent more CPU (README, Performance, thirteenth round).
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 100;

const schema = z.object({
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform(csv)
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port')).min(1)),
  KAFKA_CLIENT_ID: z.string().min(1).default('samenloop'),
  KAFKA_GROUP_ID: z.string().min(1).default('samenloop-processor'),
  KAFKA_SESSION_TIMEOUT_MS: int(6000, 300000).default(30000),
  /** Input partitions whose batches one process handles at the same time (kafkajs partitionsConsumedConcurrently). */
  KAFKA_PARTITIONS_CONCURRENTLY: int(1, 64).default(DEFAULT_PARTITIONS_CONCURRENTLY),
  /** The processor's heap growth past its live data, in percent; 0 leaves it to V8 (services/cli/heap.ts). */
  HEAP_GROWING_PERCENT: int(0, 400).default(DEFAULT_HEAP_GROWING_PERCENT),
  /** How long the start may wait out retriable Kafka and Redis errors before it gives up (exit 3). */
  START_TIMEOUT_MS: int(1000, 86400000).default(300000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]*$/, 'letters, digits, ":", "_", "." or "-"')
    .default('samenloop:'),
  REDIS_CLUSTER_NODES: z
    .string()
    .transform(csv)
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port')).min(1))
    .optional(),
  SAMENLOOP_HMAC_SECRET: z
    .string()
    .min(16, 'at least 16 characters')
    .default('local-development-secret-change-me'),
  /**
   * Encryption at rest of the register (services/register/keys.ts): on unless `off` (development only);
   * the keys `<id>:<base64 of 32 bytes>`, comma-separated (or REGISTER_KEYS_FILE), and the id of the key
   * new values are sealed with (may be left out when there is one key).
   */
  REGISTER_ENCRYPTION: z.enum(['on', 'off']).default('on'),
  REGISTER_KEYS: z
    .string()
    .transform((text, ctx): RegisterKeys => {
      const r = parseRegisterKeys(text);
      for (const message of r.problems) ctx.addIssue({ code: 'custom', message });
      return r.keys ?? z.NEVER;
    })
    .optional(),
  REGISTER_KEY_ID: z
    .string()
    .regex(KEY_ID_PATTERN, 'a key id: 1 to 32 letters, digits, "_" or "-"')
    .optional(),
  TOPIC_INDICATIEBESLUITEN: topicName.default('wlz.indicatiebesluiten'),
  TOPIC_ZORGTOEWIJZINGEN: topicName.default('wlz.zorgtoewijzingen'),
  /** Off by default: a trusted chain bridge (GGk) topic of many gemeenten's WMO301s (services/topics). */
  TOPIC_WMO_TRUSTED_BRIDGE: topicName.optional(),
  TOPIC_DLQ: topicName.default('samenloop.dlq'),
  TOPIC_VERWERKINGEN: topicName.default('samenloop.verwerkingen'),
  TOPIC_GEMEENTE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"')
    .default('gemeente.'),
  TOPIC_PARTITIONS: int(1, 1000).default(6),
  TOPIC_REPLICATION_FACTOR: int(1, 10).default(1),
  TOPIC_REFRESH_MS: int(1000, 3_600_000).default(30000),
  /**
   * How long the inputs are kept: 30 days. The register is rebuilt from its changelog (TOPIC_CHANGELOG), not
   * from the inputs, so they need not be kept for ever (README, "Redis lost"); -1 keeps them for ever.
   */
  INPUT_RETENTION_MS: z.coerce
    .number()
    .int()
    .min(-1)
    .default(30 * 24 * 3600 * 1000),
  /** The register's compacted changelog: every client's latest state, keyed by its pseudonym. */
  TOPIC_CHANGELOG: topicName.default('samenloop.register.changelog'),
  /**
   * Days a client is kept after its last Wlz and Wmo relation ended (or after its death): then it is deleted
   * from the register and the changelog (README, "Bewaartermijn").
   */
  REGISTER_BEWAARTERMIJN_DAGEN: int(1, 3660).default(183),
  // Minimal retention of the outputs (README "Retention"): the DLQ holds raw input (BSNs) and is kept shortest
  DLQ_RETENTION_MS: int(3_600_000, 365 * DAY_MS).default(7 * DAY_MS),
  BEEINDIGINGEN_RETENTION_MS: int(DAY_MS, 3650 * DAY_MS).default(30 * DAY_MS),
  /** The audit trail (AVG art. 5(2), NEN 7513); -1: forever. */
  VERWERKINGEN_RETENTION_MS: z.coerce
    .number()
    .int()
    .min(-1)
    .default(5 * 365 * DAY_MS),
  /** Days a retracted signal stays on the gemeente's compacted notification topic before its tombstone. */
  SIGNAAL_BEWAAR_DAGEN: int(1, 3650).default(30),
  /** The notification topic's compaction: how long a tombstone stays readable, when a segment closes, how eager. */
  SIGNALEN_DELETE_RETENTION_MS: int(0, 365 * DAY_MS).default(7 * DAY_MS),
  SIGNALEN_SEGMENT_MS: int(1000, 365 * DAY_MS).default(DAY_MS),
  SIGNALEN_MIN_CLEANABLE_DIRTY_RATIO: z.coerce.number().gt(0).max(1).default(0.5),
  SIGNALEN_MAX_COMPACTION_LAG_MS: int(1000, 365 * DAY_MS).default(7 * DAY_MS),
  GEMEENTEN: z
    .string()
    .default('')
    .transform(csv)
    .pipe(z.array(z.string().regex(/^\d{4}$/, '4-digit gemeentecodes'))),
  DEFAULT_POLICY: policy.default('voorstel'),
  GEMEENTE_POLICIES: z
    .string()
    .default('')
    .transform(csv)
    .pipe(
      z.array(
        z.string().regex(new RegExp(`^\\d{4}=(${POLICIES.join('|')})$`), 'entries like 0363=automatisch'),
      ),
    )
    .transform((xs) => Object.fromEntries(xs.map((x) => x.split('=') as [string, Policy]))),
  /** Path of a JSON file of per-gemeente productcode rules (services/domain/productcodes.ts); read at start. */
  PRODUCTCODE_REGELS: z
    .string()
    .transform((file, ctx): ProductcodeRegels => {
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `cannot read it as JSON: ${(err as Error).message}` });
        return z.NEVER;
      }
      const r = productcodeRegelsSchema.safeParse(json);
      if (!r.success) {
        for (const i of r.error.issues)
          ctx.addIssue({ code: 'custom', message: `${i.path.join('.') || '(file)'}: ${i.message}` });
        return z.NEVER;
      }
      return r.data;
    })
    .optional(),
  MAX_MESSAGE_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  // Kafka's default max.message.bytes (broker and topic): an output never becomes a larger record
  MAX_OUTPUT_BYTES: int(4096, 64 * 1024 * 1024).default(1048588),
  SAMENLOOP_TODAY: isoDate.optional(),
  /** The daily re-evaluation: its tick topic, one partition (slice of the clients) per tick, and how often the day is checked. */
  TOPIC_DAGELIJKS: topicName.default('samenloop.dagelijks'),
  DAGELIJKS_SLICES: int(1, 1000).default(6),
  DAGELIJKS_CHECK_MS: int(100, 3_600_000).default(60000),
  CLOUDEVENTS_SOURCE: z.string().min(1).default('urn:samenloop:processor'),
  HTTP_PORT: int(0, 65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  // TLS, mutual TLS and SASL for Kafka; TLS and an ACL user for Redis (./security.ts)
  ...securityShape,
  ...operationsShape,
});

export type Config = z.output<typeof schema>;

export { ConfigError };

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Certificates, keys and passwords may come from files (<name>_FILE); their values are never shown.
  const files = readFileVariables(env);
  if (files.problems.length > 0) throw new ConfigError(files.problems);
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = files.values[key] ?? env[key];
    if (v !== undefined && v !== '') input[key] = v;
  }
  const r = schema.safeParse(input);
  if (!r.success) {
    throw new ConfigError(
      r.error.issues.map((i) => {
        const name = String(i.path[0] ?? '?');
        const file = files.fromFile[name];
        if (file !== undefined) return `${name}_FILE=${JSON.stringify(file)}: ${i.message}`;
        if (HIDDEN_VARIABLES.has(name)) return `${name} (value not shown): ${i.message}`;
        return `${name}=${JSON.stringify(input[name] ?? '')}: ${i.message}`;
      }),
    );
  }
  const cfg = r.data;
  const problems = securityProblems(cfg);
  if (env.TOPIC_WMO_TOEWIJZINGEN)
    problems.push(
      'TOPIC_WMO_TOEWIJZINGEN: no longer read. Each gemeente writes its WMO301 to its own topic ' +
        `${cfg.TOPIC_GEMEENTE_PREFIX}<code>.toewijzingen; a trusted chain bridge (GGk) that forwards those of ` +
        'many gemeenten is TOPIC_WMO_TRUSTED_BRIDGE',
    );
  problems.push(...registerKeyProblems(cfg));
  if (problems.length > 0) throw new ConfigError(problems);
  if (cfg.NODE_ENV === 'production' && input.SAMENLOOP_HMAC_SECRET === undefined) {
    throw new ConfigError(['SAMENLOOP_HMAC_SECRET: must be set in production (it keys the BSN pseudonyms)']);
  }
  return cfg;
}

/** The encryption settings together (a missing REGISTER_KEYS is refused where the register is opened). */
function registerKeyProblems(cfg: Config): string[] {
  const ids = cfg.REGISTER_KEYS?.ids;
  const current = cfg.REGISTER_KEY_ID;
  if (cfg.REGISTER_ENCRYPTION === 'off') {
    const unused = [ids && 'REGISTER_KEYS', current && 'REGISTER_KEY_ID'].filter(Boolean);
    if (cfg.NODE_ENV === 'production')
      return ['REGISTER_ENCRYPTION=off: not allowed in production (the register holds BSNs and health data)'];
    return unused.length > 0 ? [`REGISTER_ENCRYPTION=off: ${unused.join(', ')} would not be used`] : [];
  }
  if (current !== undefined && ids === undefined)
    return [`REGISTER_KEY_ID=${JSON.stringify(current)}: REGISTER_KEYS (or REGISTER_KEYS_FILE) is not set`];
  if (current !== undefined && ids !== undefined && !ids.includes(current))
    return [
      `REGISTER_KEY_ID=${JSON.stringify(current)}: not among the ids of REGISTER_KEYS (${ids.join(', ')})`,
    ];
  if (current === undefined && ids !== undefined && ids.length > 1)
    return [
      `REGISTER_KEY_ID: required when REGISTER_KEYS holds several keys (${ids.join(', ')}): the key of new writes`,
    ];
  return [];
}

export function policyFor(cfg: Config): (gemeente: string) => Policy {
  return (gemeente) => cfg.GEMEENTE_POLICIES[gemeente] ?? cfg.DEFAULT_POLICY;
}
