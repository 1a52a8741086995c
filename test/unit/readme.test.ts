import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../services/config';
import { INGEST_ERROR_CODES } from '../../services/ingest/types';

/** README.md is the user's door: it must name every setting and every dead-letter code the code has. */
const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration variable', () => {
    const documented = new Set([...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
    for (const name of Object.keys(loadConfig({})))
      expect([name, documented.has(name)]).toEqual([name, true]);
  });

  it('lists every dead-letter error code, and no other', () => {
    const section = readme.slice(readme.indexOf('## Dead-letter topic'), readme.indexOf('## Notifications'));
    const listed = [...section.matchAll(/^\| `([A-Z_0-9]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...INGEST_ERROR_CODES].sort());
  });

  it('shows the two quick-start commands', () => {
    expect(readme).toContain('npm run demo');
    expect(readme).toContain('npm test');
  });
});
