import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConsoleConfig } from '../../../services/console/config';

const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

describe('README, section Console', () => {
  const section = readme.slice(readme.indexOf('## Console'), readme.indexOf('## Running with Docker'));

  it('documents every console setting', () => {
    const documented = new Set([...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
    const names = Object.keys(loadConsoleConfig({}).console).filter((k) => k !== 'cookieSecure');
    for (const name of names) expect([name, documented.has(name)]).toEqual([name, true]);
  });

  it('tells how to start it and how to log in as a test user', () => {
    expect(section).toContain('npm run console');
    expect(section).toMatch(/\| `consulent-9999` \| `samenloop-9999` \| 9999/);
    expect(section).toMatch(/\| `consulent-9998` \| `samenloop-9998` \| 9998/);
  });
});
