import { parseCommand } from '../../../services/ingest/command/parse';

const ID = 'bd-0123456789abcdef01234567';
const parse = (x: unknown) => parseCommand(Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)));

describe('parseCommand (schemas/command.ts)', () => {
  it.each(['beeindiging.bevestigen', 'beeindiging.afwijzen'])('accepts %s', (type) => {
    expect(parse({ type, beeindigingId: ID })).toEqual({ ok: true, cmd: { type, beeindigingId: ID } });
  });

  it.each([
    ['empty', '', /empty/],
    ['whitespace', '  \n', /empty/],
    ['not JSON', '{type:', /not valid JSON/],
    ['an array', [], /must be of type object/],
    ['an unknown type', { type: 'beeindiging.verwijderen', beeindigingId: ID }, /type: must be one of/],
    ['no id', { type: 'beeindiging.bevestigen' }, /beeindigingId: must be of type string/],
    [
      'a malformed id',
      { type: 'beeindiging.bevestigen', beeindigingId: 'bd-xyz' },
      /beeindigingId: not a beëindiging id/,
    ],
    [
      'an extra field',
      { type: 'beeindiging.bevestigen', beeindigingId: ID, bsn: '999990019' },
      /1 unknown field/,
    ],
  ])('rejects %s with a clear reason', (_what, input, reason) => {
    const r = parse(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('rejects invalid UTF-8', () => {
    expect(parseCommand(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({
      ok: false,
      reason: 'command is not valid UTF-8',
    });
  });

  it('never echoes the input in its reason', () => {
    const r = parse({ type: '999990019', beeindigingId: '999990019', ['999990019']: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).not.toContain('999990019');
  });
});
