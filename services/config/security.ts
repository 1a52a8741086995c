import * as fs from 'node:fs';
import { z } from 'zod';

/**
 * The security settings: TLS, mutual TLS and SASL SCRAM for Kafka; TLS, client certificates and an ACL
 * user for Redis. Part of the configuration schema (./index.ts). Every certificate, key and password can
 * be given in the variable itself or, as Docker and Kubernetes secrets are mounted, in a file named by the
 * same variable with `_FILE` appended (`KAFKA_SASL_PASSWORD_FILE=/run/secrets/kafka-password`). A secret
 * never appears in an error message or a log line: a bad one is named, never shown.
 */

/** The variables that may come from a file (`<name>_FILE`). */
export const FILE_VARIABLES = [
  'KAFKA_SSL_CA',
  'KAFKA_SSL_CERT',
  'KAFKA_SSL_KEY',
  'KAFKA_SSL_KEY_PASSWORD',
  'KAFKA_SASL_PASSWORD',
  'REDIS_PASSWORD',
  'REDIS_TLS_CA',
  'REDIS_TLS_CERT',
  'REDIS_TLS_KEY',
  'SAMENLOOP_HMAC_SECRET',
  'REGISTER_KEYS',
] as const;

/** The variables whose values are never shown (certificates are public, but long: not shown either). */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  ...FILE_VARIABLES.filter((v) => !v.endsWith('_CA') && !v.endsWith('_CERT')),
]);

/** The variables whose values are not shown in an error: secrets and PEM contents. */
export const HIDDEN_VARIABLES: ReadonlySet<string> = new Set(FILE_VARIABLES);

/** Passwords from a file lose their final line break (`echo secret > file`); PEM files are kept whole. */
const TRIMMED = new Set([
  'REGISTER_KEYS',
  'KAFKA_SSL_KEY_PASSWORD',
  'KAFKA_SASL_PASSWORD',
  'REDIS_PASSWORD',
  'SAMENLOOP_HMAC_SECRET',
]);

export interface FileVariables {
  /** The values read, by variable name (without `_FILE`). */
  values: Record<string, string>;
  /** The variables whose value came from a file: name -> the `_FILE` path. */
  fromFile: Record<string, string>;
  problems: string[];
}

/** Reads the `<name>_FILE` variables of FILE_VARIABLES; a variable and its `_FILE` together is a problem. */
export function readFileVariables(env: NodeJS.ProcessEnv): FileVariables {
  const out: FileVariables = { values: {}, fromFile: {}, problems: [] };
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      out.problems.push(`${name} and ${name}_FILE are both set: give one of them`);
      continue;
    }
    try {
      const text = fs.readFileSync(file, 'utf8');
      out.values[name] = TRIMMED.has(name) ? text.replace(/\r?\n$/, '') : text;
      out.fromFile[name] = file;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      out.problems.push(`${name}_FILE=${JSON.stringify(file)}: cannot read it (${code})`);
    }
  }
  return out;
}

const pem = (what: 'CERTIFICATE' | 'PRIVATE KEY') =>
  z
    .string()
    .refine(
      (s) => new RegExp(`-----BEGIN [A-Z0-9 ]*${what}-----[\\s\\S]+-----END [A-Z0-9 ]*${what}-----`).test(s),
      `PEM text with a ${what} block (-----BEGIN ${what}-----)`,
    );

const hostname = z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'a host name');

/** The zod shape of the security settings, merged into the configuration schema. */
export const securityShape = {
  /** As Kafka's own security.protocol: PLAINTEXT, SSL (TLS; mutual TLS with a client certificate) or SASL_SSL. */
  KAFKA_SECURITY_PROTOCOL: z.enum(['PLAINTEXT', 'SSL', 'SASL_SSL']).default('PLAINTEXT'),
  /** PEM CA bundle the brokers' certificates must chain to (default: Node's public CAs). */
  KAFKA_SSL_CA: pem('CERTIFICATE').optional(),
  /** Client certificate (PEM, with its chain) and key for mutual TLS. */
  KAFKA_SSL_CERT: pem('CERTIFICATE').optional(),
  KAFKA_SSL_KEY: pem('PRIVATE KEY').optional(),
  KAFKA_SSL_KEY_PASSWORD: z.string().min(1).optional(),
  /** The name the brokers' certificates must carry, when it is not the host of KAFKA_BROKERS. */
  KAFKA_SSL_SERVERNAME: hostname.optional(),
  KAFKA_SASL_MECHANISM: z.enum(['SCRAM-SHA-512', 'SCRAM-SHA-256']).default('SCRAM-SHA-512'),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** Redis ACL user and its password (beside or instead of the ones in REDIS_URL). */
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  /** For rediss://: the CA bundle, the client certificate and key, the name the server's certificate carries. */
  REDIS_TLS_CA: pem('CERTIFICATE').optional(),
  REDIS_TLS_CERT: pem('CERTIFICATE').optional(),
  REDIS_TLS_KEY: pem('PRIVATE KEY').optional(),
  REDIS_TLS_SERVERNAME: hostname.optional(),
};

/** The security settings as parsed. */
export type SecuritySettings = z.output<z.ZodObject<typeof securityShape>>;
type Security = SecuritySettings & { REDIS_URL: string };

/** What the settings say together that each alone cannot: a setting that would silently not be used. */
export function securityProblems(c: Security): string[] {
  const problems: string[] = [];
  const set = (names: string[]) => names.filter((n) => c[n as keyof Security] !== undefined);
  const tls = set([
    'KAFKA_SSL_CA',
    'KAFKA_SSL_CERT',
    'KAFKA_SSL_KEY',
    'KAFKA_SSL_KEY_PASSWORD',
    'KAFKA_SSL_SERVERNAME',
  ]);
  const sasl = set(['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']);
  const protocol = c.KAFKA_SECURITY_PROTOCOL;
  if (protocol === 'PLAINTEXT' && tls.length + sasl.length > 0)
    problems.push(
      `KAFKA_SECURITY_PROTOCOL=PLAINTEXT: ${[...tls, ...sasl].join(', ')} would not be used; ` +
        'set KAFKA_SECURITY_PROTOCOL to SSL or SASL_SSL',
    );
  if (protocol === 'SSL' && sasl.length > 0)
    problems.push(`KAFKA_SECURITY_PROTOCOL=SSL: ${sasl.join(', ')} would not be used; SASL needs SASL_SSL`);
  if (protocol === 'SASL_SSL') {
    if (c.KAFKA_SASL_USERNAME === undefined) problems.push('KAFKA_SASL_USERNAME: required with SASL_SSL');
    if (c.KAFKA_SASL_PASSWORD === undefined)
      problems.push('KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE): required with SASL_SSL');
  }
  if ((c.KAFKA_SSL_CERT === undefined) !== (c.KAFKA_SSL_KEY === undefined))
    problems.push('KAFKA_SSL_CERT and KAFKA_SSL_KEY: give both (mutual TLS) or neither');
  if (c.KAFKA_SSL_KEY_PASSWORD !== undefined && c.KAFKA_SSL_KEY === undefined)
    problems.push('KAFKA_SSL_KEY_PASSWORD: set without KAFKA_SSL_KEY');
  const redisTls = set(['REDIS_TLS_CA', 'REDIS_TLS_CERT', 'REDIS_TLS_KEY', 'REDIS_TLS_SERVERNAME']);
  if (!c.REDIS_URL.startsWith('rediss://') && redisTls.length > 0)
    problems.push(`REDIS_URL is not rediss://: ${redisTls.join(', ')} would not be used`);
  if ((c.REDIS_TLS_CERT === undefined) !== (c.REDIS_TLS_KEY === undefined))
    problems.push('REDIS_TLS_CERT and REDIS_TLS_KEY: give both (a client certificate) or neither');
  const url = safeUrl(c.REDIS_URL);
  if (url?.password && c.REDIS_PASSWORD !== undefined)
    problems.push(
      'REDIS_URL holds a password and REDIS_PASSWORD is set: give it once (REDIS_PASSWORD is advised)',
    );
  if (url?.username && c.REDIS_USERNAME !== undefined)
    problems.push('REDIS_URL holds a username and REDIS_USERNAME is set: give it once');
  return problems;
}

function safeUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

/** REDIS_URL without its password, for messages. */
export function redactUrl(s: string): string {
  const u = safeUrl(s);
  if (!u || !u.password) return s;
  u.password = '***';
  return u.toString();
}
