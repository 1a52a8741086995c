/**
 * The register's Lua scripts as Redis gets them: every `--- @include` replaced by its file, so a piece two
 * scripts share (the due write) is written once (services/register/lua/includes/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadScript } from '../../../services/register/redis-store';

const dir = path.join(__dirname, '../../../services/register/lua');

describe('loadScript', () => {
  const scripts = fs.readdirSync(dir).filter((f) => f.endsWith('.lua'));

  it.each(scripts)('%s reaches Redis without an include line left', (file) => {
    expect(loadScript(file)).not.toMatch(/@include/);
  });

  it('puts the shared due write in both scripts that use it, from one file', () => {
    const shared = fs.readFileSync(path.join(dir, 'includes', 'set-due.lua'), 'utf8').trimEnd();
    for (const file of ['due-set.lua', 'commit.lua']) {
      const text = loadScript(file);
      expect(text).toContain(shared);
      expect(text.split('local function setDue').length).toBe(2);
    }
    expect(fs.readFileSync(path.join(dir, 'commit.lua'), 'utf8')).not.toContain("redis.call('ZADD'");
  });
});
