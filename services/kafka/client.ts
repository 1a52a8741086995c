import { Kafka, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import type { Config } from '../config';

/** The part of the configuration a Kafka connection needs. */
export type KafkaConnectionSettings = Pick<
  Config,
  | 'KAFKA_BROKERS'
  | 'KAFKA_SECURITY_PROTOCOL'
  | 'KAFKA_SSL_CA'
  | 'KAFKA_SSL_CERT'
  | 'KAFKA_SSL_KEY'
  | 'KAFKA_SSL_KEY_PASSWORD'
  | 'KAFKA_SSL_SERVERNAME'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
>;

/**
 * The kafkajs `ssl` and `sasl` options of the configuration (services/config/security.ts): TLS that
 * checks the brokers' certificates against KAFKA_SSL_CA (else Node's public CAs) and their names against
 * the broker host (or KAFKA_SSL_SERVERNAME); a client certificate for mutual TLS; SCRAM over TLS.
 */
export function kafkaSecurity(cfg: KafkaConnectionSettings): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (cfg.KAFKA_SECURITY_PROTOCOL === 'PLAINTEXT') return {};
  const ssl: ConnectionOptions = { rejectUnauthorized: true };
  if (cfg.KAFKA_SSL_CA !== undefined) ssl.ca = [cfg.KAFKA_SSL_CA];
  if (cfg.KAFKA_SSL_CERT !== undefined) ssl.cert = cfg.KAFKA_SSL_CERT;
  if (cfg.KAFKA_SSL_KEY !== undefined) ssl.key = cfg.KAFKA_SSL_KEY;
  if (cfg.KAFKA_SSL_KEY_PASSWORD !== undefined) ssl.passphrase = cfg.KAFKA_SSL_KEY_PASSWORD;
  if (cfg.KAFKA_SSL_SERVERNAME !== undefined) ssl.servername = cfg.KAFKA_SSL_SERVERNAME;
  if (cfg.KAFKA_SECURITY_PROTOCOL === 'SSL') return { ssl };
  const sasl: SASLOptions = {
    mechanism: cfg.KAFKA_SASL_MECHANISM === 'SCRAM-SHA-256' ? 'scram-sha-256' : 'scram-sha-512',
    username: cfg.KAFKA_SASL_USERNAME ?? '',
    password: cfg.KAFKA_SASL_PASSWORD ?? '',
  };
  return { ssl, sasl };
}

/** A kafkajs client on KAFKA_BROKERS with the configured security; every Kafka client is made here. */
export function createKafka(
  cfg: KafkaConnectionSettings,
  options: Omit<KafkaConfig, 'brokers' | 'ssl' | 'sasl'> = {},
): Kafka {
  return new Kafka({ ...options, brokers: cfg.KAFKA_BROKERS, ...kafkaSecurity(cfg) });
}

/**
 * The setting to look at for a failure no retry can fix (see ./retriable.ts), or undefined. `system` is
 * what failed: the start step or the command knows.
 */
export function settingHint(system: 'Kafka' | 'Redis', fatal: string): string | undefined {
  if (/SASL|SCRAM|authentication failed/i.test(fatal) && system === 'Kafka')
    return 'check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)';
  if (/^TLS /.test(fatal)) {
    if (/ALTNAME/.test(fatal))
      return system === 'Kafka'
        ? "the broker's certificate does not carry its name: check KAFKA_BROKERS or KAFKA_SSL_SERVERNAME"
        : "Redis' certificate does not carry its name: check REDIS_URL or REDIS_TLS_SERVERNAME";
    if (/ALERT|CERTIFICATE_REQUIRED/.test(fatal))
      return system === 'Kafka'
        ? 'the broker refused the client certificate: check KAFKA_SSL_CERT and KAFKA_SSL_KEY'
        : 'Redis refused the client certificate: check REDIS_TLS_CERT and REDIS_TLS_KEY';
    return system === 'Kafka'
      ? "the broker's certificate is not trusted: check KAFKA_SSL_CA (or KAFKA_SSL_CA_FILE)"
      : "Redis' certificate is not trusted: check REDIS_TLS_CA (or REDIS_TLS_CA_FILE)";
  }
  if (/AUTHORIZATION_FAILED/.test(fatal))
    return 'the principal lacks an ACL: see `samenloop acls --processor` (README, "ACLs")';
  if (system === 'Redis' && /WRONGPASS|NOAUTH|invalid (username-)?password/i.test(fatal))
    return 'check REDIS_USERNAME and REDIS_PASSWORD (or REDIS_PASSWORD_FILE)';
  if (system === 'Redis' && /NOPERM/.test(fatal))
    return 'the Redis ACL user lacks a permission: check its ACL rules';
  return undefined;
}
