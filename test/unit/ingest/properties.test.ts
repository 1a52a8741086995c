/**
 * Property-based robustness: whatever the bytes, parseMessage returns a ParseResult (never throws), with a known
 * error code, a non-empty reason that does not come from the internal catch-all, and no BSN of the input in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { INPUT_KINDS, parseCsv, parseMessage } from '../../../services/ingest';
import { INTERNAL_ERROR_REASON } from '../../../services/ingest/checks';
import { INGEST_ERROR_CODES, type ParseResult } from '../../../services/ingest/types';
import {
  buildAw33,
  buildCsv,
  buildIo31,
  buildNetwerkmodelEvent,
  buildWmo301,
  validBsn,
} from '../../fixtures/builders';
import { exampleFiles } from '../../support/xsd';

const KNOWN = new Set<string>(INGEST_ERROR_CODES);
const BSN_IN_TEXT = /<(?:\w+:)?Bsn>(\d{9})<|"bsn"\s*:\s*"(\d{9})"/g;

const seeds: { name: string; text: string }[] = [
  ...[...exampleFiles('iwlz'), ...exampleFiles('iwmo')].map((f) => ({
    name: path.basename(f),
    text: fs.readFileSync(f, 'utf8'),
  })),
  {
    name: 'built IO31, 2 clients',
    text: buildIo31({ clients: [{ bsn: validBsn(1) }, { bsn: validBsn(2), functies: ['21'] }] }),
  },
  {
    name: 'built AW33, default ns',
    text: buildAw33({ prefixes: { message: '', basis: 'b' }, toewijzingen: [{}, { functieCode: '81' }] }),
  },
  {
    name: 'built WMO301, 2 products',
    text: buildWmo301({ producten: [{}, { productcategorie: null, omvang: null, budget: 5 }] }),
  },
  { name: 'netwerkmodel event', text: buildNetwerkmodelEvent({ bsn: validBsn(3) }) },
];

function bsnsIn(text: string): string[] {
  return [...text.matchAll(BSN_IN_TEXT)].map((m) => m[1] ?? m[2] ?? '');
}

/** The invariants every result must satisfy. */
function checkResult(r: ParseResult, input: string): void {
  if (r.ok) {
    expect(typeof r.message.messageId).toBe('string');
    expect(JSON.parse(JSON.stringify(r.message))).toEqual(r.message);
    for (const f of r.message.facts) {
      expect(typeof f.key).toBe('string');
      expect(typeof f.version).toBe('string');
      expect(f.source.messageId).toBe(r.message.messageId);
    }
    return;
  }
  expect(KNOWN.has(r.error.code)).toBe(true);
  expect(r.error.reason.length).toBeGreaterThan(0);
  expect(r.error.reason).not.toContain(INTERNAL_ERROR_REASON);
  for (const bsn of bsnsIn(input)) expect(r.error.reason).not.toContain(bsn);
}

function parseEverywhere(input: string | Uint8Array): void {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  for (const topic of INPUT_KINDS) checkResult(parseMessage(topic, input), text);
  checkResult(parseMessage('indicatiebesluiten', input, { 'content-type': 'application/json' }), text);
}

/** Mutations of a valid message. */
const mutation = (text: string) => {
  const pos = fc.integer({ min: 0, max: text.length });
  const texts = [...text.matchAll(/>([^<]+)</g)].map((m) => ({
    start: (m.index ?? 0) + 1,
    end: (m.index ?? 0) + 1 + (m[1]?.length ?? 0),
  }));
  const junk = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(
      '',
      ' ',
      '&',
      '&amp;',
      '<',
      ']]>',
      '<!--',
      '0',
      '99999999999',
      '2024-02-30',
      '\u0000',
      '"',
      '{',
      '}',
      'xmlns:x="y"',
      '&#0;',
    ),
  );
  return fc.oneof(
    fc.tuple(pos, pos).map(([a, b]) => text.slice(0, Math.min(a, b)) + text.slice(Math.max(a, b))), // delete
    fc.tuple(pos, pos, pos).map(([a, b, c]) => {
      const [s, e] = [Math.min(a, b), Math.max(a, b)];
      return text.slice(0, c) + text.slice(s, Math.min(e, s + 200)) + text.slice(c); // duplicate
    }),
    fc.tuple(pos, pos).map(([a, b]) => {
      const chars = [...text];
      const i = Math.min(a, chars.length - 1);
      const j = Math.min(b, chars.length - 1);
      [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
      return chars.join(''); // swap
    }),
    pos.map((a) => text.slice(0, a)), // truncate
    fc.tuple(pos, junk).map(([a, j]) => text.slice(0, a) + j + text.slice(a)), // insert
    texts.length === 0
      ? pos.map((a) => text.slice(a))
      : fc.tuple(fc.integer({ min: 0, max: texts.length - 1 }), junk).map(([k, j]) => {
          const t = texts[k] ?? { start: 0, end: 0 };
          return text.slice(0, t.start) + j + text.slice(t.end); // replace element text
        }),
  );
};

describe('parseMessage never throws', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => parseEverywhere(bytes)),
      { numRuns: 300 },
    );
  });

  it('random strings, including unpaired surrogates', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constant('<'),
            fc.constant('>'),
            fc.constant('&'),
            fc.constant(':'),
            fc.constant('/'),
            fc.constant('"'),
            fc.constant('{'),
            fc.constant('}'),
            fc.constant(' '),
            fc.constant('a'),
            fc.constant('\ud800'),
            fc.string({ unit: 'binary', maxLength: 1 }),
          ),
          maxLength: 300,
        }),
        (s) => parseEverywhere(s),
      ),
      { numRuns: 300 },
    );
  });

  it('XML-shaped random documents', () => {
    const name = fc.constantFrom(
      'Bericht',
      'Header',
      'Client',
      'Bsn',
      'x',
      'a:b',
      'wmo301:Bericht',
      'iwmo:Datum',
      '__proto__',
    );
    const element: fc.Memo<string> = fc.memo((depth) =>
      fc
        .tuple(
          name,
          depth > 1 ? fc.array(element(depth - 1), { maxLength: 3 }) : fc.constant([]),
          fc.string({ maxLength: 5 }),
        )
        .map(([n, children, text]) => `<${n}>${children.join('') || text}</${n}>`),
    );
    const ns = fc.constantFrom(
      '',
      ' xmlns="http://www.istandaarden.nl/iwmo/3_2/wmo301/schema"',
      ' xmlns:wmo301="http://www.istandaarden.nl/iwmo/3_2/wmo301/schema" xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"',
      ' xmlns:a="http://www.istandaarden.nl/ijw/3_2/jw301/schema"',
    );
    fc.assert(
      fc.property(element(4), ns, (doc, decl) => parseEverywhere(doc.replace(/^<([^>]+)>/, `<$1${decl}>`))),
      { numRuns: 300 },
    );
  });

  it.each(seeds.map((s) => [s.name, s.text] as const))('mutations of %s', (_, text) => {
    fc.assert(
      fc.property(mutation(text), (mutated) => parseEverywhere(mutated)),
      { numRuns: 60 },
    );
  });

  it('mutations of a CSV upload never throw out of parseCsv', () => {
    const csv = buildCsv([
      {
        bsn: validBsn(1),
        soort: 'voorziening',
        toewijzingnummer: '1',
        productcategorie: '01',
        aanbieder: '99000001',
        ingangsdatum: '2024-01-01',
      },
      { bsn: validBsn(2), soort: 'aanvraag', achternaam: 'a;"b"' },
    ]);
    fc.assert(
      fc.property(mutation(csv), (mutated) => {
        const r = parseCsv('0384', mutated, 'f.csv');
        if (!r.ok) expect(KNOWN.has(r.error.code)).toBe(true);
        else for (const row of r.rows) if (!row.ok) expect(row.error.reason).not.toContain(validBsn(1));
      }),
      { numRuns: 200 },
    );
  });
});
