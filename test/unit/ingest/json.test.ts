import fc from 'fast-check';
import { parseCommand, parseMessage } from '../../../services/ingest';
import { duplicateKeyPath } from '../../../services/ingest/json';
import { buildNetwerkmodelEvent } from '../../fixtures/builders';

/**
 * A JSON object with the same key twice is not accepted (INVALID_JSON), so this parser can never disagree
 * with a gateway in front of it about what a message says (JSON.parse keeps the last, others the first).
 */
describe('duplicate JSON keys', () => {
  it.each([
    ['{"a":1,"a":2}', 'the top level'],
    ['{"a":1,"\\u0061":2}', 'the top level'],
    ['{"x":{"b":1,"c":[1,{"d":0}],"b":2}}', 'depth 1'],
    ['[0,{"k":"v","k":"w"}]', 'depth 1'],
  ])('finds the duplicate in %s', (text, where) => {
    expect(duplicateKeyPath(text)).toBe(where);
  });

  it.each([
    '{"a":1,"b":{"a":2}}',
    '[{"a":1},{"a":2}]',
    '{"a":"}\\"{,\\"a\\":","b":"a"}',
    '{"a":"a","b":["a","a"]}',
    '"a"',
    '{}',
  ])('accepts %s', (text) => {
    expect(duplicateKeyPath(text)).toBeUndefined();
  });

  it('finds none in any JSON that JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => duplicateKeyPath(JSON.stringify(v) ?? 'null') === undefined),
      { numRuns: 500 },
    );
  });

  it('rejects a netwerkmodel event with a key twice, without quoting it', () => {
    const event = buildNetwerkmodelEvent();
    const doubled = event.replace('{', '{"eventType":"VERWIJDERDE_INDICATIE",');
    expect(JSON.parse(doubled).eventType).not.toBe('VERWIJDERDE_INDICATIE');
    const r = parseMessage('indicatiebesluiten', doubled, { 'content-type': 'application/json' });
    expect(r.ok ? 'OK' : r.error).toEqual({
      code: 'INVALID_JSON',
      reason: 'an object at the top level has the same key twice',
    });
  });

  it('rejects a command with a key twice', () => {
    const r = parseCommand(
      '{"type":"beeindiging.afwijzen","type":"beeindiging.bevestigen","beeindigingId":"bd-0123456789abcdef01234567"}',
    );
    expect(r).toEqual({ ok: false, reason: 'command is not valid JSON: an object has the same key twice' });
  });
});
