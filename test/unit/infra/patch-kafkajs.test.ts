import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * infra/patch-kafkajs.mjs (npm's postinstall) on a copy of a node_modules: it replaces kafkajs 2.2.4's
 * read_committed filter with infra/patches/kafkajs/filterAbortedMessages.js and applies the edits of
 * infra/patches/kafkajs/linear-join.json to three files, leaves patched files alone, and stops (exit 1,
 * nothing written) at a file it does not know rather than patch another kafkajs blindly.
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
interface Edits {
  files: Record<string, { original: string; edits: { from: string; to: string }[] }>;
}
const JOIN = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'infra/patches/kafkajs/linear-join.json'), 'utf8'),
) as Edits;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const installed = (file: string) => fs.readFileSync(path.join(ROOT, 'node_modules/kafkajs', file), 'utf8');
/** kafkajs' own file back from the installed one: the first line dropped, each edit undone. */
const unedited = (file: string) =>
  JOIN.files[file]!.edits.reduce(
    (text, { from, to }) => text.replace(to, () => from),
    installed(file).slice(installed(file).indexOf('\n') + 1),
  );

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
    for (const file of Object.keys(JOIN.files)) put(file, unedited(file));
  };
  const current = (file = FILTER) => fs.readFileSync(path.join(dir, 'kafkajs', file), 'utf8');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-kafkajs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the installed kafkajs carries the patches, and is otherwise kafkajs 2.2.4 as published', () => {
    expect(installed(FILTER)).toBe(PATCHED);
    for (const [file, { original }] of Object.entries(JOIN.files)) {
      expect(installed(file)).toMatch(
        /^\/\/ samenloop: kafkajs 2\.2\.4 .*\/linear-join\.json \([0-9a-f]{16}\)\n/,
      );
      expect(sha(unedited(file))).toBe(original);
    }
  });

  it('patches the originals, and leaves patched files as they are', () => {
    write(ORIGINAL);
    expect(run()).toEqual({ code: 0, out: expect.stringContaining('filter: patched (infra') as string });
    expect(current()).toBe(PATCHED);
    for (const file of Object.keys(JOIN.files)) expect(current(file)).toBe(installed(file));
    const again = run();
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/filter: patched already/);
    expect(again.out).toMatch(/join, linear in the topics: patched already \(3 files\)/);
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
    for (const file of Object.keys(JOIN.files)) expect(current(file)).toBe(unedited(file));
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
