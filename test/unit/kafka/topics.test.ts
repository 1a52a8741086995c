import { loadConfig } from '../../../services/config';
import { minInsyncReplicas } from '../../../services/config/operations';
import { topicSpec } from '../../../services/kafka/topics';
import { gemeenteTopic, wmoTopic } from '../../../services/topics';

describe('how the service creates a topic', () => {
  it('min.insync.replicas is the replication factor − 1, at least 1', () => {
    expect([1, 2, 3, 4, 5].map(minInsyncReplicas)).toEqual([1, 1, 2, 3, 4]);
  });

  it('every topic gets it; opdrachten and uploads 1 partition; inputs kept 30 days, the DLQ sized, the changelog compacted', () => {
    const cfg = loadConfig({ TOPIC_REPLICATION_FACTOR: '3', TOPIC_PARTITIONS: '6' });
    const isr = { name: 'min.insync.replicas', value: '2' };
    const keep = { name: 'retention.ms', value: String(30 * 24 * 3600 * 1000) };
    expect(topicSpec(cfg, cfg.TOPIC_CHANGELOG)).toEqual({
      topic: 'samenloop.register.changelog',
      numPartitions: 6,
      replicationFactor: 3,
      configEntries: [isr, { name: 'cleanup.policy', value: 'compact' }],
    });
    expect(
      topicSpec(loadConfig({ INPUT_RETENTION_MS: '-1' }), cfg.TOPIC_INDICATIEBESLUITEN).configEntries,
    ).toContainEqual({ name: 'retention.ms', value: '-1' });
    expect(topicSpec(cfg, wmoTopic(cfg, '0363'))).toEqual({
      topic: wmoTopic(cfg, '0363'),
      numPartitions: 6,
      replicationFactor: 3,
      configEntries: [isr, keep],
    });
    for (const channel of ['opdrachten', 'uploads'] as const) {
      const spec = topicSpec(cfg, gemeenteTopic(cfg, '0363', channel));
      expect({ partitions: spec.numPartitions, config: spec.configEntries }).toEqual({
        partitions: 1,
        config: [isr, keep],
      });
    }
    // the outputs as short as their use allows (README "Retention")
    const days = (n: number) => ({ name: 'retention.ms', value: String(n * 24 * 3600 * 1000) });
    expect(topicSpec(cfg, gemeenteTopic(cfg, '0363', 'beeindigingen'))).toMatchObject({
      numPartitions: 6,
      configEntries: [isr, days(30)],
    });
    // a gemeente's signals: the latest per decision reference stays, tombstones go after a week
    expect(topicSpec(cfg, gemeenteTopic(cfg, '0363', 'samenloop'))).toMatchObject({
      numPartitions: 6,
      configEntries: [
        isr,
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'delete.retention.ms', value: String(7 * 24 * 3600 * 1000) },
        { name: 'segment.ms', value: String(24 * 3600 * 1000) },
        { name: 'min.cleanable.dirty.ratio', value: '0.5' },
        { name: 'max.compaction.lag.ms', value: String(7 * 24 * 3600 * 1000) },
      ],
    });
    // the DLQ (raw input) shortest, the audit trail longest
    expect(topicSpec(cfg, cfg.TOPIC_DLQ).configEntries).toEqual([
      isr,
      days(7),
      { name: 'max.message.bytes', value: String(cfg.MAX_MESSAGE_BYTES + 64 * 1024) },
    ]);
    expect(topicSpec(cfg, cfg.TOPIC_VERWERKINGEN).configEntries).toEqual([isr, days(5 * 365)]);
  });

  it('every retention is a setting', () => {
    const cfg = loadConfig({
      DLQ_RETENTION_MS: '3600000',
      BEEINDIGINGEN_RETENTION_MS: '86400000',
      VERWERKINGEN_RETENTION_MS: '-1',
      SIGNALEN_DELETE_RETENTION_MS: '100',
      SIGNALEN_SEGMENT_MS: '1000',
      SIGNALEN_MIN_CLEANABLE_DIRTY_RATIO: '0.01',
      SIGNALEN_MAX_COMPACTION_LAG_MS: '2000',
    });
    const config = (topic: string) =>
      Object.fromEntries(topicSpec(cfg, topic).configEntries.map((e) => [e.name, e.value]));
    expect(config(cfg.TOPIC_DLQ)['retention.ms']).toBe('3600000');
    expect(config(gemeenteTopic(cfg, '0363', 'beeindigingen'))['retention.ms']).toBe('86400000');
    expect(config(cfg.TOPIC_VERWERKINGEN)['retention.ms']).toBe('-1');
    expect(config(gemeenteTopic(cfg, '0363', 'samenloop'))).toMatchObject({
      'delete.retention.ms': '100',
      'segment.ms': '1000',
      'min.cleanable.dirty.ratio': '0.01',
      'max.compaction.lag.ms': '2000',
    });
  });

  it('a retention out of bounds stops the start with the variable named', () => {
    expect(() => loadConfig({ DLQ_RETENTION_MS: '-1' })).toThrow(/DLQ_RETENTION_MS="-1"/);
    expect(() => loadConfig({ SIGNAAL_BEWAAR_DAGEN: '0' })).toThrow(/SIGNAAL_BEWAAR_DAGEN="0"/);
    expect(() => loadConfig({ SIGNALEN_MIN_CLEANABLE_DIRTY_RATIO: '0' })).toThrow(
      /SIGNALEN_MIN_CLEANABLE_DIRTY_RATIO="0"/,
    );
  });
});
