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
    for (const channel of ['samenloop', 'beeindigingen'] as const) {
      const spec = topicSpec(cfg, gemeenteTopic(cfg, '0363', channel));
      expect({ partitions: spec.numPartitions, config: spec.configEntries }).toEqual({
        partitions: 6,
        config: [isr],
      });
    }
    expect(topicSpec(cfg, cfg.TOPIC_DLQ).configEntries).toEqual([
      isr,
      { name: 'max.message.bytes', value: String(cfg.MAX_MESSAGE_BYTES + 64 * 1024) },
    ]);
    expect(topicSpec(cfg, cfg.TOPIC_VERWERKINGEN).configEntries).toEqual([
      isr,
      { name: 'retention.ms', value: '-1' },
    ]);
  });
});
