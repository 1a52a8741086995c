import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkajsWithoutEdits, MANY_TOPICS as TOPICS, uneditedText } from '../../support/kafkajs-own';

/**
 * infra/patch-kafkajs.mjs (npm's postinstall) on a copy of a node_modules: it replaces kafkajs 2.2.4's
 * read_committed filter with infra/patches/kafkajs/filterAbortedMessages.js and applies the edits of
 * infra/patches/kafkajs/many-topics.json to six files, leaves patched files alone, and stops (exit 1,
 * nothing written) at a file it does not know rather than patch another kafkajs blindly. The edited code
 * answers as kafkajs' own did (the same maps, the same metadata lookups, the same request bytes).
 */
const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'infra/patch-kafkajs.mjs');
const PATCHED = fs.readFileSync(path.join(ROOT, 'infra/patches/kafkajs/filterAbortedMessages.js'), 'utf8');
const FILTER = 'src/consumer/filterAbortedMessages.js';
// kafkajs 2.2.4's own file, as npm installs it (MIT, © Túlio Ornelas; its sha-256 is in the script)
const ORIGINAL = fs.readFileSync(
  path.join(ROOT, 'test/fixtures/kafkajs/filterAbortedMessages-2.2.4.js'),
  'utf8',
);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const installed = (file: string) => fs.readFileSync(path.join(ROOT, 'node_modules/kafkajs', file), 'utf8');
/** kafkajs' own file back from the installed one. */
const unedited = (file: string) => uneditedText(file, installed(file));

describe('infra/patch-kafkajs.mjs', () => {
  let dir: string;
  const run = () => {
    try {
      return {
        code: 0,
        out: execFileSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8', stdio: 'pipe' }),
      };
    } catch (err) {
      const e = err as { status: number; stderr: string };
      return { code: e.status, out: e.stderr };
    }
  };
  const put = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, 'kafkajs', file)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'kafkajs', file), content);
  };
  /** A kafkajs 2.2.4 as npm installs it, with the filter given. */
  const write = (filter: string) => {
    put('package.json', JSON.stringify({ version: '2.2.4' }));
    put(FILTER, filter);
    for (const file of Object.keys(TOPICS.files)) put(file, unedited(file));
  };
  const current = (file = FILTER) => fs.readFileSync(path.join(dir, 'kafkajs', file), 'utf8');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-kafkajs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the installed kafkajs carries the patches, and is otherwise kafkajs 2.2.4 as published', () => {
    expect(installed(FILTER)).toBe(PATCHED);
    for (const [file, { original }] of Object.entries(TOPICS.files)) {
      expect(installed(file)).toMatch(
        /^\/\/ samenloop: kafkajs 2\.2\.4 .*\/many-topics\.json \([0-9a-f]{16}\)\n/,
      );
      expect(sha(unedited(file))).toBe(original);
    }
  });

  it('patches the originals, and leaves patched files as they are', () => {
    write(ORIGINAL);
    expect(run()).toEqual({ code: 0, out: expect.stringContaining('filter: patched (infra') as string });
    expect(current()).toBe(PATCHED);
    for (const file of Object.keys(TOPICS.files)) expect(current(file)).toBe(installed(file));
    const again = run();
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/filter: patched already/);
    expect(again.out).toMatch(
      /with many topics \(join, fetch, fetch sessions\): patched already \(6 files\)/,
    );
    expect(current()).toBe(PATCHED);
  });

  it('the edited join builds the same maps as kafkajs 2.2.4 did, duplicates merged as before', () => {
    write(ORIGINAL);
    expect(run().code).toBe(0);
    // the cluster's mergeTopics, through the one reduce that calls it (fetchTopicsOffset): module-private, so
    // the edited line is checked in place, and its behaviour on a copy of the function
    const edited = current('src/cluster/index.js');
    const source = /const mergeTopics = [\s\S]*?\n}\n/.exec(edited)![0];
    const mergeTopics = new Function(`${source}; return mergeTopics`)() as (
      obj: Record<string, number[]>,
      t: { topic: string; partitions: number[] },
    ) => Record<string, number[]>;
    const responses = [
      { topic: 'a', partitions: [0, 1] },
      { topic: 'b', partitions: [0] },
      { topic: 'a', partitions: [2] },
    ];
    expect(responses.reduce(mergeTopics, {})).toEqual({ a: [0, 1, 2], b: [0] });
  });

  it('refuses a file it does not know, and writes nothing', () => {
    write(ORIGINAL + '// another version\n');
    const { code, out } = run();
    expect(code).toBe(1);
    expect(out).toMatch(/filterAbortedMessages\.js is not the file the patch was made for/);
    expect(out).toMatch(/nothing patched/);
    expect(current()).toBe(ORIGINAL + '// another version\n');
    for (const file of Object.keys(TOPICS.files)) expect(current(file)).toBe(unedited(file));
  });

  it('refuses a join file of another kafkajs, and writes nothing', () => {
    write(ORIGINAL);
    const file = 'src/consumer/subscriptionState.js';
    put(file, unedited(file).replace('assign(', 'assignAll('));
    const { code, out } = run();
    expect(code).toBe(1);
    expect(out).toMatch(/subscriptionState\.js is not the file the patch was made for/);
    expect(current()).toBe(ORIGINAL);
  });

  it('does nothing where kafkajs is not installed', () => {
    expect(run()).toEqual({ code: 0, out: expect.stringContaining('nothing to patch') as string });
  });
});

/** The edited lookups and encoder, side by side with kafkajs 2.2.4's own (a copy with the edits undone). */
describe('kafkajs as edited answers as kafkajs 2.2.4 did', () => {
  let own: string;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const load = (base: string, file: string): unknown => require(path.join(base, 'kafkajs', file));
  beforeAll(() => (own = kafkajsWithoutEdits()));
  afterAll(() => fs.rmSync(own, { recursive: true, force: true }));
  const both = (file: string) => [load(own, file), load(path.join(ROOT, 'node_modules'), file)] as const;

  type Meta = { topicMetadata: Array<{ topic: string; partitionMetadata: unknown[] }> };
  const metadata: Meta = {
    topicMetadata: [
      { topic: 'a', partitionMetadata: [{ partitionId: 0, leader: 1 }] },
      {
        topic: 'b',
        partitionMetadata: [
          { partitionId: 0, leader: 1 },
          { partitionId: 1, leader: 2 },
        ],
      },
      // a name twice: the first one counts, as with Array.find
      { topic: 'a', partitionMetadata: [{ partitionId: 9, leader: 3 }] },
    ],
  };

  it('finds a topic in the metadata as kafkajs did, first match first, [] for an unknown one', () => {
    type Cluster = { prototype: { findTopicPartitionMetadata(this: unknown, topic: string): unknown } };
    for (const topic of ['a', 'b', 'c']) {
      const [o, e] = both('src/cluster/index.js') as [Cluster, Cluster];
      const self = { brokerPool: { metadata } };
      expect(e.prototype.findTopicPartitionMetadata.call(self, topic)).toEqual(
        o.prototype.findTopicPartitionMetadata.call(self, topic),
      );
    }
    // a new metadata response is looked up afresh (the index is kept per response)
    const [, edited] = both('src/cluster/index.js') as [Cluster, Cluster];
    const fresh = { topicMetadata: [{ topic: 'c', partitionMetadata: [{ partitionId: 4, leader: 1 }] }] };
    expect(edited.prototype.findTopicPartitionMetadata.call({ brokerPool: { metadata } }, 'c')).toEqual([]);
    expect(
      edited.prototype.findTopicPartitionMetadata.call({ brokerPool: { metadata: fresh } }, 'c'),
    ).toEqual([{ partitionId: 4, leader: 1 }]);
  });

  it('refreshes the metadata for the same topic lists as kafkajs did', async () => {
    type Pool = {
      prototype: { refreshMetadataIfNecessary(this: unknown, topics: string[]): Promise<unknown> };
    };
    const cases: string[][] = [[], ['a'], ['a', 'b'], ['a', 'c'], ['c']];
    const [o, e] = both('src/cluster/brokerPool.js') as [Pool, Pool];
    for (const topics of cases) {
      const calls: string[][] = [];
      const self = () => ({
        metadata,
        metadataExpireAt: Date.now() + 60000,
        refreshMetadata: async (t: string[]) => calls.push(t),
      });
      await o.prototype.refreshMetadataIfNecessary.call(self(), topics);
      await e.prototype.refreshMetadataIfNecessary.call(self(), topics);
      // both refresh (a topic not in the metadata) or neither
      expect(calls.length).toBe(topics.includes('c') ? 2 : 0);
    }
  });

  it('encodes requests to the same bytes (the encoder no longer zero-fills its buffers)', async () => {
    type Encoder = { buffer: Buffer };
    type Fetch = (r: unknown) => { encode(): Promise<Encoder> };
    const request = {
      replicaId: -1,
      maxWaitTime: 5000,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1,
      rackId: '',
      topics: Array.from({ length: 300 }, (_, i) => ({
        topic: `gemeente.GM${String(i).padStart(4, '0')}.uploads-${'x'.repeat(i % 40)}`,
        partitions: Array.from({ length: 1 + (i % 3) }, (_, p) => ({
          partition: p,
          fetchOffset: String(i * 1000 + p),
          maxBytes: 1048576,
        })),
      })),
    };
    const file = 'src/protocol/requests/fetch/v11/request.js';
    const [o, e] = both(file) as [Fetch, Fetch];
    // dirty memory first: an unfilled buffer from Node's pool would show old bytes where nothing was written
    for (let i = 0; i < 200; i++) Buffer.allocUnsafe(512).fill(0xab);
    const [a, b] = [await o(request).encode(), await e(request).encode()];
    expect(b.buffer.equals(a.buffer)).toBe(true);
    type Writer = Record<string, (...args: unknown[]) => Writer> & { buffer: Buffer };
    type Enc = new (size?: number) => Writer;
    const [OwnEncoder, Encoder] = both('src/protocol/encoder.js') as [Enc, Enc];
    // every writer, from a 4-byte start (the buffer grows several times)
    const write = (E: Enc) => {
      const x = new E(3);
      x.writeInt8!(1).writeInt16!(-2).writeInt32!(70000).writeUInt32!(4000000000).writeInt64!(
        '9007199254740993',
      ).writeDouble!(1.5).writeString!('één').writeString!(null).writeVarIntString!('samenloop')
        .writeUVarIntString!('wlz').writeBytes!(Buffer.from('bytes')).writeVarIntBytes!(Buffer.alloc(700, 7))
        .writeArray!([1, 2, 3]).writeVarInt!(-300).writeUVarInt!(300).writeVarLong!('-12345678901');
      return x.buffer;
    };
    expect(write(Encoder).equals(write(OwnEncoder))).toBe(true);
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
});
