import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { connectedProducer, isolatedConfig, sleep, testKafka, waitFor } from '../support/kafka';
import { createTopicsAndWait } from '../support/topics';

/**
 * A consumer of many topics fetches through an incremental fetch session (KIP-227, infra/patches/kafkajs): after
 * the first, full fetch the broker answers only for partitions with records or news (an idle fetch's answer is a
 * few bytes, however many partitions are subscribed), and every record still arrives once and in order, also
 * from a partition the fetches no longer name, after a pause and a resume, and again after a seek back (a fetch
 * that failed to name a partition whose position moved would be answered from the old position: its records
 * would never arrive). kafkajs 2.2.4 named every partition in every fetch, and the broker answered for each.
 */
describe('fetching through a fetch session', () => {
  const IDLE = 150;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer | undefined;
  const { run } = isolatedConfig();
  const busy = `${run}.busy`;
  const idle = Array.from({ length: IDLE }, (_, i) => `${run}.idle${i}`);

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, [
      { topic: busy, numPartitions: 3 },
      ...idle.map((topic) => ({ topic, numPartitions: 1 })),
    ]);
    producer = await connectedProducer(kafka);
  }, 180000);

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [busy, ...idle] }).catch(() => undefined);
    await admin.disconnect();
  }, 120000);

  it('answers an idle fetch with a few bytes, and hands out every record once and in order', async () => {
    consumer = kafka.consumer({ groupId: `${run}-g`, maxWaitTimeInMs: 200 });
    // the size of each fetch's answer (kafkajs' REQUEST event: the response's bytes)
    const fetchSizes: number[] = [];
    consumer.on(consumer.events.REQUEST, ({ payload }) => {
      if (payload.apiName === 'Fetch') fetchSizes.push(payload.size);
    });
    const seen = new Map<string, number[]>();
    await consumer.connect();
    await consumer.subscribe({ topics: [busy, ...idle], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = `${batch.topic}/${batch.partition}`;
        const list = seen.get(key) ?? [];
        seen.set(key, list);
        for (const m of batch.messages) list.push(Number(m.offset));
      },
    });
    await waitFor(() => fetchSizes.length >= 5, 60000, 50, 'the first fetches');
    // idle: the broker answers the session's fetches with nothing to say, where kafkajs 2.2.4's fetches got an
    // answer for each of the 153 partitions (the first, full fetch's answer)
    const idleFrom = fetchSizes.length;
    await waitFor(() => fetchSizes.length >= idleFrom + 5, 60000, 50, 'fetches while idle');
    const idleAnswers = fetchSizes.slice(idleFrom);
    expect(fetchSizes[0]).toBeGreaterThan(IDLE * 40);
    expect(Math.max(...idleAnswers)).toBeLessThan(100);

    const highs = new Map<string, number>();
    const send = async (topic: string, partition: number, n: number) => {
      const [r] = await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: n }, (_, i) => ({ partition, value: `${topic} ${i}` })),
      });
      highs.set(`${topic}/${partition}`, Number(r!.baseOffset) + n);
    };
    const caughtUp = () => [...highs].every(([k, high]) => (seen.get(k) ?? []).includes(high - 1));

    for (let round = 0; round < 10; round++) {
      await send(busy, round % 3, 20);
      // now and then a record on a topic no fetch has named since the first: the session still reads it
      if (round % 3 === 1) await send(idle[round * 11]!, 0, 1);
      if (round === 3) consumer.pause([{ topic: busy, partitions: [0, 1, 2] }]);
      if (round === 5) consumer.resume([{ topic: busy, partitions: [0, 1, 2] }]);
      await sleep(100);
    }
    await waitFor(caughtUp, 60000, 100, 'every record');

    // every record once and in order per partition
    for (const [k, high] of highs) {
      const offsets = seen.get(k) ?? [];
      expect({ k, offsets }).toEqual({ k, offsets: Array.from({ length: high }, (_, i) => i) });
    }

    // a seek back: the partition's records again, from the offset sought
    const p = [...highs.keys()].find((k) => k.startsWith(`${busy}/`))!;
    const partition = Number(p.split('/').pop());
    const before = seen.get(p)!.length;
    consumer.seek({ topic: busy, partition, offset: '0' });
    await waitFor(() => seen.get(p)!.length >= before + highs.get(p)!, 60000, 100, 'the records again');
    expect(seen.get(p)!.slice(before)).toEqual(Array.from({ length: highs.get(p)! }, (_, i) => i));
    // stopped here, so that the next test watches only its own consumers' fetches
    await consumer.disconnect();
    consumer = undefined;
  }, 240000);

  it('closes its fetch session when it stops: the broker no longer knows it', async () => {
    // the fetches of kafkajs' Broker, watched (the broker answering them is the real one)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Broker = require('kafkajs/src/broker') as { prototype: { fetch: BrokerFetch } };
    const original = Broker.prototype.fetch;
    const calls: FetchCall[] = [];
    Broker.prototype.fetch = async function (this: object, request) {
      const call: FetchCall = {
        sessionId: request.sessionId ?? 0,
        sessionEpoch: request.sessionEpoch ?? 0,
        topics: request.topics.length,
        broker: this,
      };
      calls.push(call);
      const answer = await original.call(this, request);
      call.answer = { errorCode: answer.errorCode, sessionId: answer.sessionId };
      return answer;
    };
    const consumers: Consumer[] = [];
    const started = async (groupId: string) => {
      const c = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
      consumers.push(c);
      await c.connect();
      await c.subscribe({ topics: [busy, ...idle.slice(0, 20)], fromBeginning: true });
      await c.run({ autoCommit: false, eachBatch: async () => undefined });
      return c;
    };
    // a session opened by a full fetch made after `from` (by the consumer started then), once it has gone on
    const sessionOf = (from: number) =>
      waitFor(
        () => {
          const later = calls.slice(from);
          const full = later.find((c) => c.sessionId === 0 && c.sessionEpoch === 0 && c.answer?.sessionId);
          const id = full?.answer?.sessionId;
          return later.find(
            (c) =>
              c.broker === full?.broker &&
              c.sessionId === id &&
              c.sessionEpoch >= 2 &&
              c.answer?.errorCode === 0,
          );
        },
        60000,
        50,
        'fetches in a session',
      );
    try {
      const stopping = await started(`${run}-close`);
      const first = await sessionOf(0);
      await stopping.disconnect();
      // the session it held when it stopped: the one opened above, unless a failed fetch ended it and a full
      // fetch began another (a busy machine)
      const own = calls.filter((c) => c.broker === first.broker);
      const close = own.find((c) => c.sessionEpoch === -1);
      const held = own.filter((c) => c.sessionEpoch !== -1 && c.answer?.errorCode === 0).pop()
        ?.answer?.sessionId;
      expect(held).toBeGreaterThan(0);
      expect(close).toMatchObject({ sessionId: held, topics: 0, answer: { errorCode: 0, sessionId: 0 } });
      const lastEpoch = Math.max(...own.filter((c) => c.sessionId === held).map((c) => c.sessionEpoch));

      // another consumer's connection asks the broker: its own session is known (a wrong epoch is 71,
      // INVALID_FETCH_SESSION_EPOCH), the closed one is not (70, FETCH_SESSION_ID_NOT_FOUND), even with the
      // epoch that would have come next
      const from = calls.length;
      await started(`${run}-probe`);
      const probe = await sessionOf(from);
      const ask = (sessionId: number, sessionEpoch: number) =>
        original.call(probe.broker, {
          isolationLevel: 1,
          maxWaitTime: 0,
          minBytes: 1,
          maxBytes: 1024,
          topics: [],
          sessionId,
          sessionEpoch,
          forgottenTopics: [],
        });
      expect((await ask(probe.sessionId, probe.sessionEpoch + 1000)).errorCode).toBe(71);
      expect((await ask(held!, lastEpoch + 1)).errorCode).toBe(70);
    } finally {
      Broker.prototype.fetch = original;
      for (const c of consumers) await c.disconnect().catch(() => undefined);
    }
  }, 240000);
});

interface FetchRequest {
  isolationLevel: number;
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  topics: unknown[];
  sessionId?: number;
  sessionEpoch?: number;
  forgottenTopics: unknown[];
}
type BrokerFetch = (this: object, request: FetchRequest) => Promise<{ errorCode: number; sessionId: number }>;
interface FetchCall {
  sessionId: number;
  sessionEpoch: number;
  topics: number;
  broker: object;
  answer?: { errorCode: number; sessionId: number };
}
