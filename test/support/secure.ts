/**
 * The secured side of the local stack (infra/secure.sh, started by infra/up.sh): where its SASL_SSL and SSL
 * listeners and its TLS Redis are (.run/secure.env), and the environment of a client that uses them with
 * the certificates and passwords of .run/tls/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kafkaBrokers, PROJECT_ROOT } from './infra';

export interface SecureStack {
  saslBrokers: string;
  sslBrokers: string;
  redisTlsUrl: string;
  tlsDir: string;
  file(name: string): string;
}

export function secureStack(): SecureStack {
  const envFile = path.join(PROJECT_ROOT, '.run', 'secure.env');
  if (!fs.existsSync(envFile))
    throw new Error(
      `${envFile} is missing: the broker was not started by this checkout's infra/up.sh, which adds the ` +
        'SASL_SSL and SSL listeners, the ACLs and the TLS Redis (bash infra/down.sh && bash infra/up.sh)',
    );
  const v: Record<string, string> = {};
  for (const line of fs.readFileSync(envFile, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) v[m[1]!] = m[2]!;
  }
  if (v.KAFKA_PLAINTEXT_BROKERS !== kafkaBrokers().join(','))
    throw new Error(
      `.run/secure.env belongs to the broker on ${v.KAFKA_PLAINTEXT_BROKERS}, the tests use ` +
        `${kafkaBrokers().join(',')}: start the broker with this checkout's infra/up.sh`,
    );
  const tlsDir = v.TLS_DIR!;
  return {
    saslBrokers: v.KAFKA_SASL_BROKERS!,
    sslBrokers: v.KAFKA_SSL_BROKERS!,
    redisTlsUrl: v.REDIS_TLS_URL!,
    tlsDir,
    file: (name) => path.join(tlsDir, name),
  };
}

/** Kafka over SASL_SSL (SCRAM-SHA-512) as `user`, secrets from files. */
export function saslEnv(s: SecureStack, user: string): Record<string, string> {
  return {
    KAFKA_BROKERS: s.saslBrokers,
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SSL_CA_FILE: s.file('ca.crt'),
    KAFKA_SASL_USERNAME: user,
    KAFKA_SASL_PASSWORD_FILE: s.file(`${user}.password`),
  };
}

/** Kafka over mutual TLS with the certificate `<name>.crt` (CN=<name>: principal User:<name>). */
export function mtlsEnv(s: SecureStack, name: string): Record<string, string> {
  return {
    KAFKA_BROKERS: s.sslBrokers,
    KAFKA_SECURITY_PROTOCOL: 'SSL',
    KAFKA_SSL_CA_FILE: s.file('ca.crt'),
    KAFKA_SSL_CERT_FILE: s.file(`${name}.crt`),
    KAFKA_SSL_KEY_FILE: s.file(`${name}.key`),
  };
}

/** Redis over TLS with the client certificate and the ACL user `samenloop`. */
export function redisTlsEnv(s: SecureStack): Record<string, string> {
  return {
    REDIS_URL: s.redisTlsUrl,
    REDIS_USERNAME: 'samenloop',
    REDIS_PASSWORD_FILE: s.file('redis.password'),
    REDIS_TLS_CA_FILE: s.file('ca.crt'),
    REDIS_TLS_CERT_FILE: s.file('redis-client.crt'),
    REDIS_TLS_KEY_FILE: s.file('redis-client.key'),
  };
}
