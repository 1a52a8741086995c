import { ConfigError, loadConfig, policyFor } from '../../../services/config';
import { gemeenteTopic } from '../../../services/topics';

describe('configuration from the environment', () => {
  it('has defaults that run on the local stack', () => {
    const cfg = loadConfig({});
    expect(cfg.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(cfg.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(cfg.TOPIC_INDICATIEBESLUITEN).toBe('wlz.indicatiebesluiten');
    expect(cfg.TOPIC_ZORGTOEWIJZINGEN).toBe('wlz.zorgtoewijzingen');
    expect(cfg.TOPIC_WMO_TRUSTED_BRIDGE).toBeUndefined();
    expect(cfg.TOPIC_DLQ).toBe('samenloop.dlq');
    expect(cfg.KAFKA_GROUP_ID).toBe('samenloop-processor');
    expect(cfg.TOPIC_PARTITIONS).toBe(6);
    expect(cfg.MAX_MESSAGE_BYTES).toBe(1024 * 1024);
    expect(cfg.LOG_LEVEL).toBe('info');
    expect(gemeenteTopic(cfg, '0363', 'samenloop')).toBe('gemeente.0363.samenloop');
  });

  it('parses lists, numbers and policies', () => {
    const cfg = loadConfig({
      KAFKA_BROKERS: 'a:9092, b:9093',
      TOPIC_PARTITIONS: '12',
      GEMEENTEN: '0363,0599',
      GEMEENTE_POLICIES: '0363=automatisch,0599=alleen-signaal',
    });
    expect(cfg.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(cfg.TOPIC_PARTITIONS).toBe(12);
    expect(cfg.GEMEENTEN).toEqual(['0363', '0599']);
    const policy = policyFor(cfg);
    expect(policy('0363')).toBe('automatisch');
    expect(policy('0599')).toBe('alleen-signaal');
    expect(policy('0344')).toBe('voorstel');
  });

  it('reads the Redis Cluster nodes; without them a single Redis is used', () => {
    expect(loadConfig({}).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(loadConfig({ REDIS_CLUSTER_NODES: '' }).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(
      loadConfig({ REDIS_CLUSTER_NODES: 'redis-0:7000, redis-1:7001,10.0.0.3:7002' }).REDIS_CLUSTER_NODES,
    ).toEqual(['redis-0:7000', 'redis-1:7001', '10.0.0.3:7002']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ KAFKA_BROKERS: '' }).KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
  });

  it.each([
    ['KAFKA_BROKERS', 'localhost'],
    ['REDIS_URL', 'http://x'],
    ['REDIS_CLUSTER_NODES', '127.0.0.1'],
    ['REDIS_CLUSTER_NODES', 'a:7000,b 7001'],
    ['REDIS_CLUSTER_NODES', ' , '],
    ['TOPIC_PARTITIONS', 'zes'],
    ['TOPIC_PARTITIONS', '0'],
    ['LOG_LEVEL', 'loud'],
    ['GEMEENTEN', '363'],
    ['GEMEENTE_POLICIES', '0363=sometimes'],
    ['DEFAULT_POLICY', 'never'],
    ['SAMENLOOP_TODAY', '23-11-2026'],
    ['TOPIC_DLQ', 'bad topic'],
    ['SAMENLOOP_HMAC_SECRET', 'short'],
    ['MAX_MESSAGE_BYTES', '-1'],
  ])('rejects %s=%s with an error naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(1);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'x', HTTP_PORT: '99999' })).toThrow(
      /LOG_LEVEL[\s\S]*HTTP_PORT|HTTP_PORT[\s\S]*LOG_LEVEL/,
    );
  });

  it('requires a real HMAC secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SAMENLOOP_HMAC_SECRET/);
    expect(
      loadConfig({ NODE_ENV: 'production', SAMENLOOP_HMAC_SECRET: 'a-real-secret-of-32-characters!!' })
        .NODE_ENV,
    ).toBe('production');
  });
});
