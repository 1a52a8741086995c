import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '../../../services/config';
import { kafkaSecurity } from '../../../services/kafka/client';
import { redisConnectionOptions } from '../../../services/config/redis-connection';

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '';
}

describe('the security settings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samenloop-sec-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are off by default: PLAINTEXT Kafka, no TLS for redis://', () => {
    const cfg = loadConfig({});
    expect(cfg.KAFKA_SECURITY_PROTOCOL).toBe('PLAINTEXT');
    expect(kafkaSecurity(cfg)).toEqual({});
    expect(redisConnectionOptions(cfg)).toEqual({});
  });

  it('build SCRAM over TLS with the CA, the server name and secrets from files', () => {
    const cfg = loadConfig({
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SSL_CA_FILE: file('ca.crt', PEM_CERT),
      KAFKA_SSL_SERVERNAME: 'kafka.example.org',
      KAFKA_SASL_USERNAME: 'processor',
      KAFKA_SASL_PASSWORD_FILE: file('kafka.password', 's3cret-from-a-file\n'),
    });
    expect(kafkaSecurity(cfg)).toEqual({
      ssl: { rejectUnauthorized: true, ca: [PEM_CERT], servername: 'kafka.example.org' },
      sasl: { mechanism: 'scram-sha-512', username: 'processor', password: 's3cret-from-a-file' },
    });
  });

  it('build mutual TLS from a certificate and its key', () => {
    const cfg = loadConfig({
      KAFKA_SECURITY_PROTOCOL: 'SSL',
      KAFKA_SSL_CERT: PEM_CERT,
      KAFKA_SSL_KEY: PEM_KEY,
    });
    expect(kafkaSecurity(cfg)).toEqual({ ssl: { rejectUnauthorized: true, cert: PEM_CERT, key: PEM_KEY } });
  });

  it('build Redis TLS with a client certificate and the ACL user', () => {
    const cfg = loadConfig({
      REDIS_URL: 'rediss://redis.example.org:6380',
      REDIS_USERNAME: 'samenloop',
      REDIS_PASSWORD_FILE: file('redis.password', 'pw\n'),
      REDIS_TLS_CA: PEM_CERT,
      REDIS_TLS_CERT: PEM_CERT,
      REDIS_TLS_KEY: PEM_KEY,
    });
    expect(redisConnectionOptions(cfg)).toEqual({
      username: 'samenloop',
      password: 'pw',
      tls: { rejectUnauthorized: true, ca: [PEM_CERT], cert: PEM_CERT, key: PEM_KEY },
    });
  });

  it.each([
    [
      { KAFKA_SASL_USERNAME: 'x' },
      'KAFKA_SECURITY_PROTOCOL=PLAINTEXT: KAFKA_SASL_USERNAME would not be used',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'x' },
      'KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE): required',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT: PEM_CERT },
      'KAFKA_SSL_CERT and KAFKA_SSL_KEY: give both',
    ],
    [{ REDIS_TLS_CA: PEM_CERT }, 'REDIS_URL is not rediss://: REDIS_TLS_CA would not be used'],
    [{ KAFKA_SECURITY_PROTOCOL: 'TLS' }, 'KAFKA_SECURITY_PROTOCOL="TLS"'],
    [
      { KAFKA_SASL_PASSWORD: 'a', KAFKA_SASL_PASSWORD_FILE: '/x' },
      'KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are both set',
    ],
    [
      { KAFKA_SASL_PASSWORD_FILE: '/nonexistent/pw' },
      'KAFKA_SASL_PASSWORD_FILE="/nonexistent/pw": cannot read it (ENOENT)',
    ],
    [{ TOPIC_WMO_TOEWIJZINGEN: 'wmo.toewijzingen' }, 'TOPIC_WMO_TOEWIJZINGEN: no longer read'],
  ])('refuse %j at start, naming the setting', (env, message) => {
    expect(problemsOf(env)).toContain(message);
  });

  it('never show a secret or a key in an error', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nTOP-SECRET-KEY\n-----END PUBLIC KEY-----';
    const m1 = problemsOf({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT: PEM_CERT, KAFKA_SSL_KEY: key });
    expect(m1).toContain('KAFKA_SSL_KEY (value not shown)');
    expect(m1).not.toContain('TOP-SECRET');
    const m2 = problemsOf({ KAFKA_SSL_KEY_FILE: file('bad.key', key) });
    expect(m2).toContain(`KAFKA_SSL_KEY_FILE="${path.join(dir, 'bad.key')}"`);
    expect(m2).not.toContain('TOP-SECRET');
    const m3 = problemsOf({ SAMENLOOP_HMAC_SECRET: 'short-secret' });
    expect(m3).toContain('SAMENLOOP_HMAC_SECRET (value not shown)');
    expect(m3).not.toContain('short-secret');
  });
});
