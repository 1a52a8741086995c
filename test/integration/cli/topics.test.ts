/** `samenloop topics create` on the real broker; exit 3 when Kafka cannot be reached. */
import { loadConfig } from '../../../services/config';
import { gemeenteTopics, inputTopics } from '../../../services/topics';
import { cliEnv, samenloop } from '../../support/cli';
import { testKafka, waitFor } from '../../support/kafka';
import { createTopicsAndWait } from '../../support/topics';

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

  it('reports the settings of existing topics that differ, and with --alter sets them, keeping other overrides', async () => {
    const { env } = cliEnv({ GEMEENTEN: '0363' });
    const cfg = loadConfig(env);
    const signalen = `${cfg.TOPIC_GEMEENTE_PREFIX}0363.samenloop`;
    const admin = testKafka().admin();
    await admin.connect();
    try {
      // as an older samenloop made them: the notification topic not compacted, the DLQ kept forever, and an
      // override of the operator's own on the DLQ
      await createTopicsAndWait(admin, [
        { topic: signalen, numPartitions: 3, replicationFactor: 1 },
        {
          topic: cfg.TOPIC_DLQ,
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [
            { name: 'retention.ms', value: '-1' },
            { name: 'message.timestamp.type', value: 'LogAppendTime' },
          ],
        },
      ]);
      const report = await samenloop(['topics', 'create'], env);
      expect([report.code, report.stderr]).toEqual([0, '']);
      expect(report.stdout).toContain(`differs  ${cfg.TOPIC_DLQ} retention.ms=604800000 (was -1)`);
      expect(report.stdout).toContain(`differs  ${signalen} cleanup.policy=compact (was delete)`);
      expect(report.stdout).toContain('`samenloop topics create --alter` sets them');
      const settings = async (topic: string) => {
        const r = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: 2, name: topic }],
        });
        return Object.fromEntries(r.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
      };
      // only reported: nothing changed
      expect((await settings(cfg.TOPIC_DLQ))['retention.ms']).toBe('-1');

      const altered = await samenloop(['topics', 'create', '--alter'], env);
      expect([altered.code, altered.stderr]).toEqual([0, '']);
      expect(altered.stdout).toContain(`altered  ${signalen} cleanup.policy=compact (was delete)`);
      // The controller has the change when --alter returns; a broker answers describeConfigs from its copy of
      // the metadata, which follows a moment later (on a loaded machine, seconds): wait for it.
      const settled = async (topic: string, wanted: Record<string, string>) =>
        waitFor(
          async () => {
            const now = await settings(topic);
            return Object.entries(wanted).every(([k, v]) => now[k] === v) ? now : undefined;
          },
          30000,
          200,
          `the settings of ${topic}`,
        ).catch(() => settings(topic));
      const dlq = { 'retention.ms': '604800000', 'message.timestamp.type': 'LogAppendTime' };
      expect(await settled(cfg.TOPIC_DLQ, dlq)).toMatchObject(dlq);
      const compacted = {
        'cleanup.policy': 'compact',
        'delete.retention.ms': String(cfg.SIGNALEN_DELETE_RETENTION_MS),
        'max.compaction.lag.ms': String(cfg.SIGNALEN_MAX_COMPACTION_LAG_MS),
      };
      expect(await settled(signalen, compacted)).toMatchObject(compacted);
      // in line now: nothing to report (once every broker has the change)
      const again = await waitFor(
        async () => {
          const r = await samenloop(['topics', 'create'], env);
          return /differs|altered/.test(r.stdout) ? undefined : r;
        },
        30000,
        500,
        'a report without differences',
      ).catch(() => samenloop(['topics', 'create'], env));
      expect(again.stdout).not.toMatch(/differs|altered/);
    } finally {
      await admin.disconnect();
    }
  });

  it('exit 3 when Kafka cannot be reached, saying where it looked', async () => {
    const { env } = cliEnv({ KAFKA_BROKERS: '127.0.0.1:1' });
    const r = await samenloop(['topics', 'create'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Kafka at 127.0.0.1:1 could not be reached');
    expect(r.stderr).toContain('KAFKA_BROKERS');
  });
});
