/** `samenloop topics create` on the real broker; exit 3 when Kafka cannot be reached. */
import { loadConfig } from '../../../services/config';
import { gemeenteTopics, inputTopics } from '../../../services/topics';
import { cliEnv, samenloop } from '../../support/cli';
import { testKafka } from '../../support/kafka';

describe('samenloop topics create', () => {
  it('creates every topic with the configured partitions and input retention, idempotently', async () => {
    // TOPIC_CREATE=false is for the processor: this command is how the owners make the topics
    const { env } = cliEnv({ GEMEENTEN: '0363', INPUT_RETENTION_MS: '604800000', TOPIC_CREATE: 'false' });
    const cfg = loadConfig(env);
    const first = await samenloop(['topics', 'create', '--gemeente', '0599'], env);
    expect([first.code, first.stderr]).toEqual([0, '']);
    const expected = [
      ...inputTopics(cfg),
      cfg.TOPIC_DLQ,
      cfg.TOPIC_VERWERKINGEN,
      ...gemeenteTopics(cfg, '0363'),
      ...gemeenteTopics(cfg, '0599'),
    ];
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: expected });
      // a gemeente's opdrachten and uploads topics get 1 partition (few records, many gemeenten)
      expect(meta.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(
        expected.map((t) => [t, /\.(opdrachten|uploads)$/.test(t) ? 1 : 3]).sort(),
      );
      // the daily ticks' topic: one partition per slice of the clients
      const daily = await admin.fetchTopicMetadata({ topics: [cfg.TOPIC_DAGELIJKS] });
      expect(daily.topics[0]!.partitions).toHaveLength(cfg.DAGELIJKS_SLICES);
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: 2, name: cfg.TOPIC_ZORGTOEWIJZINGEN, configNames: ['retention.ms'] },
          { type: 2, name: `${cfg.TOPIC_GEMEENTE_PREFIX}0363.opdrachten`, configNames: ['retention.ms'] },
          { type: 2, name: `${cfg.TOPIC_GEMEENTE_PREFIX}0363.samenloop`, configNames: ['retention.ms'] },
        ],
      });
      const retention = configs.resources.map((r) => r.configEntries[0]?.configValue);
      expect(retention.slice(0, 2)).toEqual(['604800000', '604800000']);
      expect(retention[2]).not.toBe('604800000');
    } finally {
      await admin.disconnect();
    }
    // and the daily ticks' topic and the register's changelog
    expect(first.stdout).toContain(`${expected.length + 2} created, 0 already there`);
    const again = await samenloop(['topics', 'create', '--gemeente', '0599'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`0 created, ${expected.length + 2} already there`);
  });

  it('exit 3 when Kafka cannot be reached, saying where it looked', async () => {
    const { env } = cliEnv({ KAFKA_BROKERS: '127.0.0.1:1' });
    const r = await samenloop(['topics', 'create'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Kafka at 127.0.0.1:1 could not be reached');
    expect(r.stderr).toContain('KAFKA_BROKERS');
  });
});
