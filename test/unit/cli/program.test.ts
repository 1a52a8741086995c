/** The `samenloop` command line: --help everywhere, and the exit codes that need no Kafka or Redis. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { samenloop } from '../../support/cli';

const env = { SAMENLOOP_TODAY: '2026-11-23' };

/** Every subcommand path, from the program's own help. */
async function subcommands(): Promise<string[][]> {
  const paths: string[][] = [];
  const walk = async (prefix: string[]) => {
    const help = (await samenloop([...prefix, '--help'], env)).stdout;
    const section = help.split('Commands:\n')[1];
    if (section === undefined) return;
    for (const m of section.matchAll(/^ {2}([a-z][a-z-]*)/gm)) {
      if (m[1] === 'help') continue;
      paths.push([...prefix, m[1]!]);
      await walk([...prefix, m[1]!]);
    }
  };
  await walk([]);
  return paths;
}

describe('samenloop', () => {
  it('--help describes the exit codes and exits 0', async () => {
    const r = await samenloop(['--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: samenloop');
    expect(r.stdout).toMatch(/3 +Kafka or Redis could not be reached/);
  });

  it('every subcommand has --help (exit 0)', async () => {
    const paths = await subcommands();
    expect(paths).toContainEqual(['topics', 'create']);
    for (const p of paths) {
      const r = await samenloop([...p, '--help'], env);
      expect([p.join(' '), r.code, r.stdout.startsWith(`Usage: samenloop ${p.join(' ')}`)]).toEqual([
        p.join(' '),
        0,
        true,
      ]);
    }
  });

  it('usage errors exit 1 and say what to do', async () => {
    expect((await samenloop([], env)).code).toBe(1);
    const unknown = await samenloop(['frobnicate'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(unknown.stderr).toContain('--help');
    const badOption = await samenloop(['topics', 'create', '--gemeente', '363'], env);
    expect(badOption.code).toBe(1);
    expect(badOption.stderr).toContain('a gemeentecode is 4 digits');
  });

  it('a bad configuration is rejected input: exit 2, naming the variable', async () => {
    const r = await samenloop(['topics', 'create'], { ...env, TOPIC_PARTITIONS: 'many' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TOPIC_PARTITIONS');
  });

  it('the package bin runs the same program', () => {
    const root = path.resolve(__dirname, '../../..');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    const bin = pkg.bin.samenloop!;
    const help = spawnSync(process.execPath, [path.join(root, bin), 'topics', '--help'], {
      encoding: 'utf8',
    });
    expect([help.status, help.stdout.split('\n')[0]]).toEqual([
      0,
      'Usage: samenloop topics [options] [command]',
    ]);
    const bad = spawnSync(process.execPath, [path.join(root, bin), 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
  });
});
