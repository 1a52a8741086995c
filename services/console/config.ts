/**
 * The console's own settings (CONSOLE_* and OIDC_*), beside the processor's (services/config): Kafka,
 * Redis, topic names and the HMAC secret come from there. Validated by zod; a bad value names the variable.
 */
import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '../config';

const csv = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  CONSOLE_PORT: int(0, 65535).default(8081),
  CONSOLE_HOST: z.string().min(1).default('127.0.0.1'),
  /** The address the browser uses (the OIDC redirect_uri is built from it). */
  CONSOLE_BASE_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, 'scheme and host, no path (e.g. https://samenloop.gemeente.nl)')
    .default('http://localhost:8081'),
  /** The gemeenten whose notification topics this console reads (and whose users it serves). */
  CONSOLE_GEMEENTEN: z
    .string()
    .default('9999,9998')
    .transform(csv)
    .pipe(z.array(z.string().regex(/^\d{4}$/, '4-digit gemeentecodes')).min(1)),
  CONSOLE_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]+$/, 'letters, digits, ":", "_", "." or "-"')
    .default('samenloop-console:'),
  CONSOLE_GROUP_ID: z.string().min(1).default('samenloop-console'),
  /** At least 32 characters: keys the CSRF tokens. */
  CONSOLE_SESSION_SECRET: z
    .string()
    .min(32, 'at least 32 characters')
    .default('local-console-secret-change-me-0123456789'),
  CONSOLE_SESSION_HOURS: int(1, 24).default(8),
  /** Secure cookies (default: when CONSOLE_BASE_URL is https, or on localhost where browsers allow them). */
  CONSOLE_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  CONSOLE_LOGIN_RATE_MAX: int(1, 10000).default(20),
  CONSOLE_UPLOAD_MAX_BYTES: int(1024, 1024 * 1024 * 1024).default(100 * 1024 * 1024),
  OIDC_ISSUER: z.string().url().default('http://localhost:8082'),
  OIDC_CLIENT_ID: z.string().min(1).default('samenloop-console'),
  OIDC_CLIENT_SECRET: z.string().min(1).default('local-console-client-secret'),
  /** The claim naming the user's gemeente(n): a code or a list of codes. */
  OIDC_GEMEENTE_CLAIM: z.string().min(1).default('gemeente'),
});

export type ConsoleSettings = z.output<typeof schema> & { cookieSecure: boolean };
export interface ConsoleConfig {
  base: Config;
  console: ConsoleSettings;
}

export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const base = loadConfig(env);
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') input[key] = v;
  }
  const r = schema.safeParse(input);
  if (!r.success)
    throw new ConfigError(
      r.error.issues.map((i) => {
        const name = String(i.path[0] ?? '?');
        const shown = /SECRET/.test(name) ? '(hidden)' : JSON.stringify(input[name] ?? '');
        return `${name}=${shown}: ${i.message}`;
      }),
    );
  const c = r.data;
  if (base.NODE_ENV === 'production' && env.CONSOLE_SESSION_SECRET === undefined)
    throw new ConfigError(['CONSOLE_SESSION_SECRET: must be set in production']);
  const host = new URL(c.CONSOLE_BASE_URL).hostname;
  const cookieSecure =
    c.CONSOLE_COOKIE_SECURE !== undefined
      ? c.CONSOLE_COOKIE_SECURE === 'true'
      : c.CONSOLE_BASE_URL.startsWith('https:') || host === 'localhost';
  return { base, console: { ...c, cookieSecure } };
}
