import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../../services/log';

/**
 * Errors are logged as errors: pino's err serializer gives type, message and stack (scrubbed of anything
 * BSN-like), so a log line says where it went wrong. No log call hands over `err.message` alone.
 */
const SERVICES = path.resolve(__dirname, '../../../services');

function* tsFiles(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts')) yield p;
  }
}

/** The argument lists of pino calls (`log.error(...)`, `this.d.log.warn(...)`, `clock.log.info(...)`). */
function logCalls(text: string): string[] {
  const calls: string[] = [];
  const start = /\blog\??\.(?:fatal|error|warn|info|debug|trace)\(/g;
  for (let m = start.exec(text); m !== null; m = start.exec(text)) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
    }
    calls.push(text.slice(m.index, i));
  }
  return calls;
}

describe('error logging', () => {
  it('no log call in services/ passes an error message instead of the error', () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const file of tsFiles(SERVICES)) {
      for (const call of logCalls(fs.readFileSync(file, 'utf8'))) {
        calls++;
        // `w.message` of a Node process warning is the line's text, not an error's
        if (/\berr\w*\)?\.message\b|\(err as Error\)\.message|err: scrubBsn\(/.test(call))
          wrong.push(`${path.relative(SERVICES, file)}: ${call.replace(/\s+/g, ' ').slice(0, 120)}`);
      }
    }
    expect(calls).toBeGreaterThan(30);
    expect(wrong).toEqual([]);
  });

  it('an error is logged with its type, message and stack, scrubbed', () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const log = createLogger('info', 'test', stream);
    const cause = new Error('Redis answered nothing for client 999990019');
    log.error({ err: cause }, 'record failed');
    const line = JSON.parse(out.trim()) as { err: { type: string; message: string; stack: string } };
    expect(line.err.type).toBe('Error');
    expect(line.err.message).toBe('Redis answered nothing for client [nummer]');
    expect(line.err.stack).toMatch(/^Error: Redis answered nothing for client \[nummer\]\n\s+at /);
    expect(line.err.stack).toContain('errors.test.ts');
    expect(out).not.toContain('999990019');
  });
});
