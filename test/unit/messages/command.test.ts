import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parseCommand } from '../../../services/ingest/command/parse';

const ID = 'bd-0123456789abcdef01234567';
const parse = (x: unknown) => parseCommand(Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)));

const validate = new Ajv2020({ allErrors: true }).compile(
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../schemas/ingest/command.schema.json'), 'utf8')),
);

describe('parseCommand (services/ingest/command/parse.ts, schemas/ingest/command.schema.json)', () => {
  it.each(['beeindiging.bevestigen', 'beeindiging.afwijzen'])(
    'accepts %s with door and toelichting',
    (type) => {
      expect(parse({ type, beeindigingId: ID, door: ' J. de Vries ' })).toEqual({
        ok: true,
        cmd: { type, beeindigingId: ID, door: 'J. de Vries' },
      });
      expect(parse({ type, beeindigingId: ID, door: 'jdv', toelichting: 'zie dossier\nregel 2' })).toEqual({
        ok: true,
        cmd: { type, beeindigingId: ID, door: 'jdv', toelichting: 'zie dossier\nregel 2' },
      });
    },
  );

  it('door is required, toelichting optional, both bounded and without control characters; the JSON Schema agrees', () => {
    const base = { type: 'beeindiging.bevestigen', beeindigingId: ID };
    const cases: Array<[unknown, boolean]> = [
      [{ ...base, door: 'M. Medewerker' }, true],
      [{ ...base, door: 'M', toelichting: 'x'.repeat(1000) }, true],
      [base, false],
      [{ ...base, door: '' }, false],
      [{ ...base, door: '   ' }, false],
      [{ ...base, door: 'x'.repeat(101) }, false],
      [{ ...base, door: 'a\u0007b' }, false],
      [{ ...base, door: 'M', toelichting: 'x'.repeat(1001) }, false],
      [{ ...base, door: 'M', toelichting: 'a\tb' }, false],
      [{ ...base, door: 42 }, false],
    ];
    for (const [input, ok] of cases) {
      expect([input, parse(input).ok]).toEqual([input, ok]);
      expect([input, validate(input)]).toEqual([input, ok]);
    }
    const missing = parse(base);
    expect(missing.ok ? '' : missing.reason).toMatch(/door: must be of type string/);
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
