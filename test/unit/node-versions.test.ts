import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The Node.js versions the project claims are the ones CI proves: .ci/run runs the tests on the machine's
 * Node 20 and on the LTS of infra/node-lts-version (fetched by infra/node-lts.sh); the Dockerfile's image
 * is exactly that LTS version; `engines` admits both lines and nothing else; @types/node is the oldest
 * supported line, so the compiler refuses an API that Node 20 lacks.
 */
const ROOT = path.resolve(__dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const lts = read('infra/node-lts-version').trim();
const pkg = JSON.parse(read('package.json')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('Node.js versions', () => {
  it('the LTS CI fetches is a 24.x release', () => {
    expect(lts).toMatch(/^24\.\d+\.\d+$/);
  });

  it('the Dockerfile uses exactly the LTS version CI runs', () => {
    expect(read('Dockerfile')).toMatch(
      new RegExp(`^ARG NODE_IMAGE=node:${lts.replaceAll('.', '\\.')}-bookworm-slim$`, 'm'),
    );
  });

  it('.ci/run runs npm test and the crash test on that LTS', () => {
    const ci = read('.ci/run');
    expect(ci).toContain('infra/node-lts.sh');
    expect(ci).toMatch(/PATH="\$NODE_LTS_BIN:\$PATH" npm test/);
    // the comment names it once; the Node 20 run and the LTS run
    expect(ci.match(/^\s+(PATH="\$NODE_LTS_BIN:\$PATH" )?.*npm run test:crash$/gm)).toHaveLength(2);
    expect(ci).toMatch(/PATH="\$NODE_LTS_BIN:\$PATH" CRASH_MESSAGES=/);
  });

  it('engines admits Node 20.19+ and 24, @types/node is the oldest supported line', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || ^24.0.0');
    expect(pkg.devDependencies['@types/node']).toMatch(/^\^20\./);
  });
});
