/**
 * The structural limits of JSON input (README, "Input limits"), checked in one pass before JSON.parse: each at
 * and just over its limit, for netwerkmodel events (TOO_LARGE) and commands. No timings: bench/reject.ts.
 */
import { parseCommand, parseMessage } from '../../../services/ingest';
import { checkJsonLimits, JSON_LIMITS } from '../../../services/ingest/json';
import { decode, type InputRecord } from '../../../services/pipeline/decode';
import { netwerkmodelEvent } from '../../fixtures/builders';

const MIB = 1024 * 1024;
const JSON_HEADERS = { 'content-type': 'application/json' };
const eventCode = (text: string) => {
  const r = parseMessage('indicatiebesluiten', Buffer.from(text), JSON_HEADERS);
  return r.ok ? 'OK' : r.error.code;
};
/** A valid event with `value` as an extra field of the record (the record may carry more register fields). */
const withExtra = (value: string) =>
  JSON.stringify(netwerkmodelEvent()).replace('"wlzIndicatie":{', `"wlzIndicatie":{"extra":${value},`);
const array = (n: number) => `[${Array.from({ length: n }, () => '1').join(',')}]`;
const object = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`;

describe('JSON input limits', () => {
  it('the limits are the documented ones', () => {
    expect(JSON_LIMITS).toEqual({ maxDepth: 32, maxEntries: 256, maxValues: 10_000, maxStringLength: 4096 });
  });

  it('a valid event is within every limit', () => {
    expect(checkJsonLimits(JSON.stringify(netwerkmodelEvent()))).toBeUndefined();
    expect(eventCode(JSON.stringify(netwerkmodelEvent()))).toBe('OK');
  });

  it(`depth: ${JSON_LIMITS.maxDepth} → ok, one more → TOO_LARGE`, () => {
    // The event itself is 2 deep where the extra field sits.
    expect(eventCode(withExtra(`${'['.repeat(30)}${']'.repeat(30)}`))).toBe('OK');
    expect(eventCode(withExtra(`${'['.repeat(31)}${']'.repeat(31)}`))).toBe('TOO_LARGE');
    expect(checkJsonLimits(`${'{"a":'.repeat(33)}1${'}'.repeat(33)}`)).toBe(
      'objects and arrays are nested deeper than 32 levels (an input limit)',
    );
  });

  it(`entries of one object or array: ${JSON_LIMITS.maxEntries} → ok, one more → TOO_LARGE`, () => {
    expect(eventCode(withExtra(array(256)))).toBe('OK');
    expect(eventCode(withExtra(array(257)))).toBe('TOO_LARGE');
    expect(eventCode(withExtra(object(256)))).toBe('OK');
    expect(eventCode(withExtra(object(257)))).toBe('TOO_LARGE');
  });

  it(`members and elements in a message: ${JSON_LIMITS.maxValues} → ok, more → TOO_LARGE`, () => {
    const arrays = (n: number) => `[${Array.from({ length: n }, () => array(200)).join(',')}]`;
    // 45 arrays of 200 elements: 45 × 199 + 44 commas, well below; 51 of them: over 10,000.
    expect(checkJsonLimits(arrays(45))).toBeUndefined();
    expect(checkJsonLimits(arrays(51))).toBe('more than 10000 members and array elements (an input limit)');
    expect(eventCode(withExtra(arrays(51)))).toBe('TOO_LARGE');
  });

  it(`a string: ${JSON_LIMITS.maxStringLength} characters → ok, one more → TOO_LARGE (keys too)`, () => {
    expect(eventCode(withExtra(`"${'x'.repeat(4096)}"`))).toBe('OK');
    expect(eventCode(withExtra(`"${'x'.repeat(4097)}"`))).toBe('TOO_LARGE');
    expect(checkJsonLimits(`{"${'k'.repeat(4097)}":1}`)).toBe(
      'a string is longer than 4096 characters (an input limit)',
    );
  });

  it('commas and brackets inside strings, and escaped quotes, are text', () => {
    expect(checkJsonLimits(`["${',['.repeat(2000)}\\"${',{'.repeat(40)}"]`)).toBeUndefined();
    expect(eventCode(withExtra(`"${',['.repeat(2000)}"`))).toBe('OK');
  });

  it('any text ends the pass: unterminated strings and stray brackets are left to JSON.parse', () => {
    expect(checkJsonLimits('{"a":"xyz')).toBeUndefined();
    expect(checkJsonLimits(']]]}}}')).toBeUndefined();
    expect(eventCode('{"a":"xyz')).toBe('INVALID_JSON');
  });

  it('the worst 1 MiB inputs are rejected at their limit', () => {
    expect(eventCode('['.repeat(MIB / 2) + ']'.repeat(MIB / 2))).toBe('TOO_LARGE');
    expect(eventCode(withExtra(object(60_000)))).toBe('TOO_LARGE');
    expect(eventCode(withExtra(`"${'x'.repeat(MIB - 2000)}"`))).toBe('TOO_LARGE');
  });

  it('commands: over a limit is an invalid command, with the limit as the reason', () => {
    const deep = parseCommand(`${'['.repeat(40)}${']'.repeat(40)}`);
    expect(deep).toEqual({
      ok: false,
      reason: 'command is not accepted: objects and arrays are nested deeper than 32 levels (an input limit)',
    });
    expect(parseCommand(object(300))).toEqual({
      ok: false,
      reason: 'command is not accepted: an object or array has more than 256 entries (an input limit)',
    });
  });
});

describe('the pipeline does not parse an over-limit command either', () => {
  const topics = {
    TOPIC_INDICATIEBESLUITEN: 'wlz.indicatiebesluiten',
    TOPIC_ZORGTOEWIJZINGEN: 'wlz.zorgtoewijzingen',
    TOPIC_DLQ: 'samenloop.dlq',
    TOPIC_GEMEENTE_PREFIX: 'gemeente.',
  };
  const record = (value: string): InputRecord => ({
    topic: 'gemeente.0384.opdrachten',
    partition: 0,
    offset: '0',
    key: null,
    value: Buffer.from(value),
    headers: {},
  });

  it('an invalid command within the limits keeps its JSON for the answer; over a limit it has none', () => {
    const within = decode(record('{"type":"x","beeindigingId":"bd-1"}'), topics, MIB);
    expect(within).toMatchObject({ kind: 'command-invalid', raw: { type: 'x', beeindigingId: 'bd-1' } });
    const over = decode(record(`{"type":"x","a":${'['.repeat(MIB / 4)}${']'.repeat(MIB / 4)}}`), topics, MIB);
    expect(over).toMatchObject({ kind: 'command-invalid', gemeente: '0384' });
    expect(over.kind === 'command-invalid' && over.raw).toBeUndefined();
  });
});
