import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * infra/patch-kafkajs.mjs (npm's postinstall) on a copy of a node_modules: it replaces kafkajs 2.2.4's
 * read_committed filter with infra/patches/kafkajs/filterAbortedMessages.js, leaves a patched one alone, and
 * stops (exit 1) at a file it does not know rather than patch another kafkajs blindly.
 */
const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'infra/patch-kafkajs.mjs');
const PATCHED = fs.readFileSync(path.join(ROOT, 'infra/patches/kafkajs/filterAbortedMessages.js'), 'utf8');
const FILE = 'kafkajs/src/consumer/filterAbortedMessages.js';
// kafkajs 2.2.4's own file, as npm installs it (MIT, © Túlio Ornelas; its sha-256 is in the script)
const ORIGINAL = fs.readFileSync(
  path.join(ROOT, 'test/fixtures/kafkajs/filterAbortedMessages-2.2.4.js'),
  'utf8',
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
  const write = (content: string) => {
    fs.mkdirSync(path.join(dir, 'kafkajs/src/consumer'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'kafkajs/package.json'), JSON.stringify({ version: '2.2.4' }));
    fs.writeFileSync(path.join(dir, FILE), content);
  };
  const current = () => fs.readFileSync(path.join(dir, FILE), 'utf8');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-kafkajs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the installed kafkajs carries the patch', () => {
    expect(fs.readFileSync(path.join(ROOT, 'node_modules', FILE), 'utf8')).toBe(PATCHED);
  });

  it('replaces the original, and leaves a patched file as it is', () => {
    write(ORIGINAL);
    expect(run()).toEqual({
      code: 0,
      out: expect.stringContaining('patched (infra/patches/kafkajs)') as string,
    });
    expect(current()).toBe(PATCHED);
    expect(run()).toEqual({ code: 0, out: expect.stringContaining('patched already') as string });
    expect(current()).toBe(PATCHED);
  });

  it('refuses a file it does not know, and changes nothing', () => {
    write(ORIGINAL + '// another version\n');
    const { code, out } = run();
    expect(code).toBe(1);
    expect(out).toMatch(/is not the file the patch was made for/);
    expect(current()).toBe(ORIGINAL + '// another version\n');
  });

  it('does nothing where kafkajs is not installed', () => {
    expect(run()).toEqual({ code: 0, out: expect.stringContaining('nothing to patch') as string });
  });
});
