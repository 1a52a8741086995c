import type { Admin } from 'kafkajs';
import { committedOffsets } from '../../services/kafka/rebuild';
import { isolatedConfig, testKafka } from '../support/kafka';
import { createTopicsAndWait } from '../support/topics';

/**
 * committedOffsets (services/kafka/rebuild.ts), which the takeover of every partition and every recovery reads:
 * the group's committed offsets of the topics asked for, in one OffsetFetch, without kafkajs' metadata requests
 * per topic (with 340 gemeenten ≈680 requests of up to 680 topics each). Real Kafka.
 */
describe('committedOffsets', () => {
  let admin: Admin;
  const { run } = isolatedConfig();
  const topics = [`${run}.a`, `${run}.b`, `${run}.c`];

  beforeAll(async () => {
    admin = testKafka().admin();
    await admin.connect();
    await createTopicsAndWait(
      admin,
      topics.map((topic) => ({ topic, numPartitions: 2 })),
    );
    await admin.setOffsets({
      groupId: run,
      topic: topics[0]!,
      partitions: [
        { partition: 0, offset: '7' },
        { partition: 1, offset: '0' },
      ],
    });
    await admin.setOffsets({ groupId: run, topic: topics[1]!, partitions: [{ partition: 1, offset: '3' }] });
    // another group's offset of a topic asked for is not this group's
    await admin.setOffsets({
      groupId: `${run}.other`,
      topic: topics[2]!,
      partitions: [{ partition: 0, offset: '9' }],
    });
  }, 120000);

  afterAll(async () => {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  });

  it('gives the group offsets above 0 of the topics asked for, in one request and without metadata', async () => {
    const requests: string[] = [];
    const off = admin.on(admin.events.REQUEST, (e) => requests.push(e.payload.apiName));
    try {
      const committed = await committedOffsets(admin, run, [topics[0]!, topics[2]!, `${run}.missing`]);
      expect([...committed]).toEqual([[`${topics[0]}/0`, 7n]]);
    } finally {
      off();
    }
    expect(requests.filter((r) => r === 'Metadata')).toEqual([]);
    expect(requests.filter((r) => r === 'OffsetFetch')).toHaveLength(1);

    expect([...(await committedOffsets(admin, run, topics))].sort()).toEqual([
      [`${topics[0]}/0`, 7n],
      [`${topics[1]}/1`, 3n],
    ]);
    expect((await committedOffsets(admin, run, [])).size).toBe(0);
    expect((await committedOffsets(admin, `${run}.none`, topics)).size).toBe(0);
  });
});
