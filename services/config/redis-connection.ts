import type { RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';

/** The settings of a Redis connection (services/config: REDIS_URL and the security settings). */
export interface RedisConnectionSettings {
  REDIS_URL: string;
  REDIS_USERNAME?: string | undefined;
  REDIS_PASSWORD?: string | undefined;
  REDIS_TLS_CA?: string | undefined;
  REDIS_TLS_CERT?: string | undefined;
  REDIS_TLS_KEY?: string | undefined;
  REDIS_TLS_SERVERNAME?: string | undefined;
}

/**
 * The ioredis options of a Redis connection: the ACL user and password (REDIS_USERNAME / REDIS_PASSWORD,
 * or those in REDIS_URL), and for `rediss://` TLS that checks the server's certificate against
 * REDIS_TLS_CA (else Node's public CAs) and its name, with a client certificate when one is configured.
 * For one Redis these come beside the URL; for a cluster they apply to every node.
 */
export function redisConnectionOptions(cfg: RedisConnectionSettings): RedisOptions {
  const u = new URL(cfg.REDIS_URL);
  const options: RedisOptions = {};
  const username = cfg.REDIS_USERNAME ?? (u.username ? decodeURIComponent(u.username) : undefined);
  const password = cfg.REDIS_PASSWORD ?? (u.password ? decodeURIComponent(u.password) : undefined);
  if (username !== undefined) options.username = username;
  if (password !== undefined) options.password = password;
  if (u.protocol === 'rediss:') {
    const tls: ConnectionOptions = { rejectUnauthorized: true };
    if (cfg.REDIS_TLS_CA !== undefined) tls.ca = [cfg.REDIS_TLS_CA];
    if (cfg.REDIS_TLS_CERT !== undefined) tls.cert = cfg.REDIS_TLS_CERT;
    if (cfg.REDIS_TLS_KEY !== undefined) tls.key = cfg.REDIS_TLS_KEY;
    // else Node checks the host connected to (each node's own, in a cluster)
    if (cfg.REDIS_TLS_SERVERNAME !== undefined) tls.servername = cfg.REDIS_TLS_SERVERNAME;
    options.tls = tls;
  }
  return options;
}
