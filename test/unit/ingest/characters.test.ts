import { parseCsv, parseMessage } from '../../../services/ingest';
import { forbiddenCharacterAt, hasForbiddenCharacter, XML_FORBIDDEN } from '../../../services/ingest/checks';
import { buildCsv, buildIo31, buildWmo301, netwerkmodelEvent, validBsn } from '../../fixtures/builders';

/**
 * A character XML 1.0 forbids (a C0 control such as U+0007, U+FFFE, U+FFFF, a lone surrogate) in any value
 * is rejected at input, naming the field and never the value: copied into a WMO301 it made a message that
 * xmllint rejects ("PCDATA invalid Char value 7"). Tab, newline and carriage return are XML characters.
 */
const FORBIDDEN = ['\u0007', '\u0000', '\u001f', '\u000b', '\ufffe', '\uffff', '\ud800', '\udc00'];

const result = (topic: Parameters<typeof parseMessage>[0], text: string, json = false) => {
  const r = parseMessage(topic, text, json ? { 'content-type': 'application/json' } : {});
  return r.ok ? 'OK' : `${r.error.code}: ${r.error.reason}`;
};

describe('characters XML 1.0 forbids', () => {
  it.each(FORBIDDEN.map((c) => [c.charCodeAt(0).toString(16)]))(
    'U+%s in a netwerkmodel name (a JSON escape) is INVALID_CHARACTER naming the field',
    (hex) => {
      const event = netwerkmodelEvent();
      const record = event['wlzIndicatie'] as Record<string, Record<string, unknown>>;
      record['client']!['geslachtsnaam'] = `Jan\\u${hex.padStart(4, '0')}sen`;
      const text = JSON.stringify(event).replace(/\\\\u/g, '\\u');
      expect(result('indicatiebesluiten', text, true)).toBe(
        'INVALID_CHARACTER: client.naam.achternaam of fact #1 holds a character XML 1.0 forbids (a control character)',
      );
    },
  );

  it('in XML, a raw control character or a character reference to one is not XML at all', () => {
    expect(result('wmo-toewijzingen', buildWmo301({ achternaam: 'Jan\u0007sen' }))).toBe(
      'MALFORMED_XML: contains a control character that XML does not allow',
    );
    expect(result('indicatiebesluiten', buildIo31({ achternaam: 'Jan\u0001sen' }))).toMatch(
      /^MALFORMED_XML: /,
    );
    const reference = buildWmo301({ achternaam: 'JanXsen' }).replace('JanXsen', 'Jan&#7;sen');
    expect(result('wmo-toewijzingen', reference)).toMatch(
      /^MALFORMED_XML: not well-formed XML: a character reference is not an XML character/,
    );
  });

  it('a CSV row with one is a row error naming the field; the other rows stay', () => {
    const row = {
      bsn: validBsn(1),
      soort: 'voorziening',
      toewijzingnummer: '7001',
      productcategorie: '01',
      productcode: '01A01',
      aanbieder: '99000001',
      ingangsdatum: '2024-01-01',
      achternaam: 'Jansen',
    };
    const r = parseCsv(
      '0384',
      buildCsv([row, { ...row, toewijzingnummer: '7002', achternaam: 'Jan\u0007sen' }]),
      'u.csv',
    );
    if (!r.ok) throw new Error(r.error.reason);
    expect(r.rows.map((x) => (x.ok ? 'OK' : `${x.error.code}: ${x.error.reason}`))).toEqual([
      'OK',
      'INVALID_CHARACTER: client.naam.achternaam of row 3 holds a character XML 1.0 forbids (a control character)',
    ]);
  });

  it('no fact of an accepted XML message holds one, however it is written: raw or as a character reference (property)', () => {
    // index.ts walks the facts of JSON input only; for XML this is what lets it skip that walk
    const pieces = [
      ...['\u0007', '\u0000', '\u000b', '\ufffe', '\uffff', '\ud800', '\udc00', '\u0085', '\t', '😀', 'é'],
      ...[
        '&#7;',
        '&#x0;',
        '&#xB;',
        '&#xFFFE;',
        '&#65535;',
        '&#xD800;',
        '&#xDC00;',
        '&#x1F600;',
        '&#9;',
        '&#133;',
      ],
      ...['&#x110000;', '&#xD83D;&#xDE00;', '&amp;', '&lt;', '&#38;#7;', 'x'],
    ];
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const outcomes = new Map<string, number>();
    const leaked: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      let name = 'Jan';
      const n = 1 + Math.floor(next() * 3);
      for (let j = 0; j < n; j++) name += pieces[Math.floor(next() * pieces.length)];
      const text = (i % 2 === 0 ? buildWmo301 : buildIo31)({ achternaam: 'JanXsen' }).replace(
        'JanXsen',
        name,
      );
      const r = parseMessage(i % 2 === 0 ? 'wmo-toewijzingen' : 'indicatiebesluiten', text);
      const outcome = r.ok ? 'OK' : r.error.code;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (r.ok && forbiddenCharacterAt(r.message.facts) !== undefined) leaked.push(JSON.stringify(name));
    }
    expect(leaked.slice(0, 10)).toEqual([]);
    expect(outcomes.get('OK')).toBeGreaterThan(300);
    expect(outcomes.get('MALFORMED_XML')).toBeGreaterThan(300);
  });

  it('tab, newline, carriage return and characters beyond the BMP are allowed', () => {
    expect(forbiddenCharacterAt({ a: ['x\ty\nz\r', 'Zoë 😀', '\ue000\ufffd'] })).toBeUndefined();
    expect(forbiddenCharacterAt({ a: ['ok', { b: 'x\u0008' }] })).toBe('a.1.b');
  });
});

describe('hasForbiddenCharacter', () => {
  it('finds what XML_FORBIDDEN (the definition, XML 1.0 §2.2) finds, in every arrangement of surrogates (property)', () => {
    const alphabet = [
      ...['\t', '\n', '\r', '\u0000', '\u0008', '\u000b', '\u000c', '\u001f', ' ', 'a', '\u007f', '\u0085'],
      ...['\ud7ff', '\ud800', '\udbff', '\udc00', '\udfff', '\ue000', '\ufffd', '\ufffe', '\uffff', '😀'],
    ];
    let seed = 99;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const differ: string[] = [];
    let forbidden = 0;
    for (let i = 0; i < 100_000; i++) {
      let text = '';
      const n = Math.floor(next() * 7);
      for (let j = 0; j < n; j++) text += alphabet[Math.floor(next() * alphabet.length)];
      const expected = XML_FORBIDDEN.test(text);
      if (hasForbiddenCharacter(text) !== expected) differ.push(JSON.stringify(text));
      if (expected) forbidden++;
    }
    expect(differ.slice(0, 10)).toEqual([]);
    expect(forbidden).toBeGreaterThan(10_000);
    expect(100_000 - forbidden).toBeGreaterThan(10_000);
  });
});
