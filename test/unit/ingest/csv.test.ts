/** CSV upload (README.md, "CSV upload"): facts per row, row errors, file errors. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WmoAanvraagFact, WmoToewijzingFact } from '../../../services/domain/facts';
import { type CsvParseResult, parseCsv } from '../../../services/ingest';
import { CsvUploadParser } from '../../../services/ingest/csv/parse';
import { type CsvRow, buildCsv, invalidBsn, validBsn } from '../../fixtures/builders';

const HEADER = 'bsn;soort;toewijzingnummer;productcategorie;productcode;aanbieder;ingangsdatum;einddatum';
const voorziening: CsvRow = {
  bsn: validBsn(1),
  soort: 'voorziening',
  toewijzingnummer: '7001',
  productcategorie: '01',
  productcode: '01A01',
  aanbieder: '99000001',
  ingangsdatum: '2024-01-01',
  einddatum: '2024-12-31',
};

const rows = (r: CsvParseResult) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.reason}`);
  return r.rows;
};
const rowCode = (row: CsvRow, options = {}) => {
  const [first] = rows(parseCsv('0384', buildCsv([row]), 'u.csv', options));
  return first?.ok ? 'OK' : first?.error.code;
};

describe('CSV upload', () => {
  it('the example fixture: a voorziening, an aanvraag and a quoted name, with BOM and CRLF', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../fixtures/csv/upload-example.csv'));
    const r = rows(parseCsv('0384', text, 'upload-example.csv', { uploadDate: '2024-07-01' }));
    expect(r.map((x) => x.ok)).toEqual([true, true, true]);
    const [v, a, q] = r.map((x) => (x.ok ? x.fact : undefined));
    expect(v).toEqual({
      type: 'wmo-toewijzing',
      key: 'wmo:0384:7001',
      version: '2024-07-01T00:00:00',
      source: { kind: 'CSV', messageId: 'csv:0384:upload-example.csv:2' },
      client: {
        bsn: validBsn(40),
        geboortedatum: '1940-02-03',
        naam: { achternaam: 'Testpersoon', voorvoegsel: 'van', voorletters: 'A' },
      },
      gemeente: '0384',
      aanbieder: '99000001',
      toewijzingnummer: '7001',
      productcategorie: '01',
      productcode: '01A01',
      toewijzingsdatum: '2024-07-01',
      toewijzingstijd: '00:00:00',
      ingangsdatum: '2024-01-01',
      einddatum: '2024-12-31',
    } satisfies WmoToewijzingFact);
    expect(a).toEqual({
      type: 'wmo-aanvraag',
      key: 'aanvraag:0384:AV-2024-0042',
      version: '2024-07-01T00:00:00',
      source: { kind: 'CSV', messageId: 'csv:0384:upload-example.csv:3' },
      client: { bsn: validBsn(41) },
      gemeente: '0384',
      aanvraagId: 'AV-2024-0042',
      productcategorie: '02',
      ingangsdatum: '2024-06-01',
    } satisfies WmoAanvraagFact);
    expect(q).toMatchObject({
      key: 'wmo:0384:7002',
      ingangsdatum: '2024-03-01',
      client: { naam: { achternaam: 'Voorbeeld; jr.' } },
    });
  });

  it('without uploadDate the toewijzingsdatum is the ingangsdatum', () => {
    const [r] = rows(parseCsv('0384', buildCsv([voorziening]), 'u.csv'));
    expect(r?.ok && r.fact).toMatchObject({ toewijzingsdatum: '2024-01-01', version: '2024-01-01T00:00:00' });
  });

  it('aanvraag id: aanvraagid, else toewijzingnummer, else a hash of the row without the BSN', () => {
    const base: CsvRow = {
      bsn: validBsn(2),
      soort: 'aanvraag',
      productcategorie: '02',
      ingangsdatum: '2024-05-01',
    };
    const ids = rows(
      parseCsv(
        '0384',
        buildCsv([
          { ...base, aanvraagid: 'A1' },
          { ...base, toewijzingnummer: '77' },
          base,
          { ...base, bsn: validBsn(3) },
        ]),
        'u.csv',
      ),
    ).map((r) => (r.ok && r.fact.type === 'wmo-aanvraag' ? r.fact.aanvraagId : ''));
    expect(ids[0]).toBe('A1');
    expect(ids[1]).toBe('77');
    expect(ids[2]).toMatch(/^h:[0-9a-f]{16}$/);
    expect(ids[3]).toBe(ids[2]);
    const undated = rows(parseCsv('0384', buildCsv([{ bsn: validBsn(2), soort: 'Aanvraag' }]), 'u.csv'))[0];
    expect(undated?.ok && undated.fact.version).toBe('0001-01-01T00:00:00');
  });

  it('spreadsheet habits: leading zeros restored, Dutch dates, header case, column order, blank lines', () => {
    const bsn = validBsn(5);
    const zeroBsn = '012345672'; // 11-proef-valid, starts with 0: a spreadsheet shows 12345672
    expect(rowCode({ ...voorziening, bsn: zeroBsn.slice(1) })).toBe('OK');
    const text = `BSN;Soort;Einddatum;Ingangsdatum;Aanbieder;ProductCode;ProductCategorie;ToewijzingNummer\n\n${bsn};VOORZIENING;;1-2-2024;9000001;;2;12\n;;;;;;;\n`;
    const [r] = rows(parseCsv('0384', text, 'u.csv'));
    expect(r?.ok && r.fact).toMatchObject({
      aanbieder: '09000001',
      productcategorie: '02',
      ingangsdatum: '2024-02-01',
      key: 'wmo:0384:12',
    });
    expect(r?.row).toBe(3);
  });

  it.each([
    ['INVALID_BSN', { bsn: invalidBsn(1) }],
    ['INVALID_BSN', { bsn: 'abc' }],
    ['INVALID_DATE', { ingangsdatum: '2024-02-30' }],
    ['INVALID_DATE', { einddatum: '31/12/2024' }],
    ['INVALID_PERIOD', { ingangsdatum: '2024-02-01', einddatum: '2024-01-31' }],
    ['INVALID_CODE', { productcategorie: '19' }],
    ['INVALID_AGB', { aanbieder: '123456789' }],
    ['INVALID_CSV', { soort: 'beschikking' }],
    ['INVALID_CSV', { toewijzingnummer: '' }],
    ['INVALID_CSV', { aanbieder: '' }],
    ['INVALID_CSV', { toewijzingnummer: 'T-1' }],
    ['INVALID_CSV', { productcode: '123456' }],
  ] as const)('row error %s for %j (and OK without the change)', (expected, change) => {
    expect(rowCode(voorziening)).toBe('OK');
    expect(rowCode({ ...voorziening, ...change })).toBe(expected);
  });

  it('a bad row does not stop the others; reasons name the row, never the BSN', () => {
    const bad = invalidBsn(7);
    const text = [
      HEADER,
      `${validBsn(6)};voorziening;1;01;;99000001;2024-01-01;`,
      `${bad};voorziening;2;01;;99000001;2024-01-01;`,
      `x;y`,
      `${validBsn(8)};aanvraag;;;;;;`,
    ].join('\n');
    const r = rows(parseCsv('0384', text, 'u.csv'));
    expect(r.map((x) => [x.row, x.ok ? 'OK' : x.error.code])).toEqual([
      [2, 'OK'],
      [3, 'INVALID_BSN'],
      [4, 'INVALID_CSV'],
      [5, 'OK'],
    ]);
    expect(r[1]?.ok ? '' : r[1]?.error.reason).toBe('bsn of row 3 is not a valid BSN (9 digits, 11-proef)');
    expect(r[2]?.ok ? '' : r[2]?.error.reason).toBe('row 4 has 2 fields, the header has 8');
  });

  it('a reason names the row, the column and the rule, never a value (a BSN in any column, in any form)', () => {
    const bsn = validBsn(9);
    const forms = [
      bsn,
      `${bsn.slice(0, 3)}.${bsn.slice(3, 6)}.${bsn.slice(6)}`,
      `${bsn}x`,
      ` ${bsn}-1`,
      `=${bsn}`,
    ];
    const columns = Object.keys(voorziening) as Array<keyof CsvRow>;
    let rejectedRows = 0;
    for (const column of [...columns, 'geboortedatum', 'aanvraagid'] as const)
      for (const form of forms) {
        const [r] = rows(parseCsv('0384', buildCsv([{ ...voorziening, [column]: form }]), 'u.csv'));
        if (r?.ok !== false) continue;
        rejectedRows++;
        expect(r.error.reason).toMatch(/^[a-z]+ of row 2 /);
        expect(r.error.reason.replace(/\D/g, '')).not.toContain(bsn);
      }
    expect(rejectedRows).toBeGreaterThan(25);
    const [r] = rows(parseCsv('0384', buildCsv([{ ...voorziening, aanbieder: '100.000.101' }]), 'u.csv'));
    expect(r?.ok ? '' : r?.error.reason).toBe('aanbieder of row 2 is not an 8-digit AGB code');
    const header = parseCsv('0384', `${bsn};${HEADER}\n`, 'u.csv');
    expect(header.ok ? '' : header.error.reason).toBe(
      'column 1 of the header is not a known column name (README, "CSV upload")',
    );
  });

  it('quoting: separators, quotes and line breaks inside quotes; errors for bad quoting', () => {
    const text = `${HEADER};achternaam\n"${validBsn(1)}";voorziening;1;01;"";99000001;2024-01-01;;"a ""b""\nc; d"\n${validBsn(1)};voorziening;2;01;;99000001;2024-01-01;;"open\n`;
    const r = rows(parseCsv('0384', text, 'u.csv'));
    // the quoted field is read whole (the next row is row 4), and a name with a line break is refused: a
    // WMO301 copies it as it is, and LDT_Naam allows no line break
    expect(r[0]).toEqual({
      row: 2,
      ok: false,
      error: {
        code: 'INVALID_CSV',
        reason: 'achternaam of row 2 is not a valid LDT_Naam (length or characters)',
      },
    });
    const quoted = `${HEADER};achternaam\n${validBsn(1)};voorziening;1;01;;99000001;2024-01-01;;"a ""b""; d"\n`;
    const q = rows(parseCsv('0384', quoted, 'u.csv'))[0];
    expect(q?.ok && q.fact.client.naam?.achternaam).toBe('a "b"; d');
    expect(r[1]).toEqual({
      row: 4,
      ok: false,
      error: { code: 'INVALID_CSV', reason: 'row 4: a quoted field is not closed (within 200 characters)' },
    });
    const after = rows(parseCsv('0384', `${HEADER}\n"1"x;a;b;c;d;e;f;g\n`, 'u.csv'))[0];
    expect(after?.ok ? '' : after?.error.reason).toBe(
      'row 2: unexpected text after the closing quote of field 1',
    );
  });

  it('file errors', () => {
    const ok = buildCsv([voorziening]);
    const code = (r: CsvParseResult) => (r.ok ? 'OK' : r.error.code);
    expect(code(parseCsv('384', ok, 'u.csv'))).toBe('INVALID_GEMEENTECODE');
    expect(code(parseCsv('0384', '', 'u.csv'))).toBe('EMPTY');
    expect(code(parseCsv('0384', '\uFEFF\n\n', 'u.csv'))).toBe('EMPTY');
    expect(code(parseCsv('0384', Buffer.from([0x62, 0x73, 0x6e, 0xff]), 'u.csv'))).toBe('INVALID_UTF8');
    expect(code(parseCsv('0384', ok, 'u.csv', { maxBytes: 10 }))).toBe('TOO_LARGE');
    expect(code(parseCsv('0384', ok, 'u.csv', { uploadDate: '2024-02-30' }))).toBe('INVALID_DATE');
    expect(code(parseCsv('0384', `${HEADER};kleur\n`, 'u.csv'))).toBe('INVALID_CSV');
    expect(code(parseCsv('0384', `${HEADER};bsn\n`, 'u.csv'))).toBe('INVALID_CSV');
    expect(code(parseCsv('0384', 'bsn;soort\n', 'u.csv'))).toBe('INVALID_CSV');
    expect(parseCsv('0384', `${HEADER}\n`, 'u.csv')).toEqual({ ok: true, rows: [] });
  });

  it('never throws, whatever the text', () => {
    for (const text of ['"', ';;;', '\r\r\r', '"a"b"c"', `${HEADER}\n"`, `${HEADER}\n\r`, '\u0000']) {
      expect(() => parseCsv('0384', text, 'u.csv')).not.toThrow();
    }
  });
});

describe('CSV upload: one bad row never costs the others', () => {
  const line = (i: number) =>
    `${validBsn(100 + (i % 5000))};voorziening;${i};01;;99000001;2024-01-01;;${i % 7 === 0 ? '"Jansen; sr."' : 'Jansen'}`;
  const header = `${HEADER};achternaam`;

  it('an unclosed quote on row 2 is one row error; the 100,000 rows after it are read', () => {
    const body = Array.from({ length: 100_000 }, (_, i) => line(i + 1));
    const text = [header, `${validBsn(1)};voorziening;0;01;;99000001;2024-01-01;;"open`, ...body].join('\n');
    const r = rows(parseCsv('0384', text, 'u.csv'));
    expect(r.length).toBe(100_001);
    expect(r[0]).toMatchObject({ row: 2, ok: false, error: { code: 'INVALID_CSV' } });
    expect(r.slice(1).filter((x) => x.ok).length).toBe(100_000);
    expect(r[1]?.row).toBe(3);
  });

  it('a stray quote closed by a later row: the row is an error and reading resumes at the next line', () => {
    const text = [
      header,
      `${validBsn(1)};voorziening;0;01;;99000001;2024-01-01;;"Jansen`,
      line(1),
      line(7),
    ].join('\n');
    const r = rows(parseCsv('0384', text, 'u.csv'));
    expect(r.map((x) => [x.row, x.ok])).toEqual([
      [2, false],
      [3, true],
      [4, true],
    ]);
    const [, , last] = r;
    expect(last?.ok && last.fact.client.naam?.achternaam).toBe('Jansen; sr.');
  });

  it('a field over 200 characters is a row error, quoted, unquoted or as a 50 MB line', () => {
    const long = 'x'.repeat(201);
    const huge = Buffer.alloc(50 * 1024 * 1024, 0x78);
    const text = Buffer.concat([
      Buffer.from(
        `${header}\n${line(1).replace(/Jansen$/, long)}\n${line(2).replace(/Jansen$/, `"${long}"`)}\n`,
      ),
      Buffer.from(`${line(3).replace(/Jansen$/, '')}`),
      huge,
      Buffer.from(`\n${line(4)}\n${line(5).replace(/Jansen$/, 'x'.repeat(200))}\n`),
    ]);
    const r = rows(parseCsv('0384', text, 'u.csv', { maxBytes: 64 * 1024 * 1024 }));
    expect(r.map((x) => [x.row, x.ok ? 'OK' : x.error.reason])).toEqual([
      [2, 'row 2: field 9 is longer than 200 characters'],
      [3, 'row 3: field 9 is longer than 200 characters'],
      [4, 'row 4: line is longer than 4096 characters'],
      [5, 'OK'],
      [6, 'OK'],
    ]);
  });

  it('a line that is not UTF-8 is a row error of its own', () => {
    const text = Buffer.concat([
      Buffer.from(`${header}\n${line(1)}\n`),
      Buffer.from([0x62, 0xff, 0x0a]),
      Buffer.from(`${line(2)}\n`),
    ]);
    const r = rows(parseCsv('0384', text, 'u.csv'));
    expect(r.map((x) => [x.row, x.ok ? 'OK' : x.error.code])).toEqual([
      [2, 'OK'],
      [3, 'INVALID_UTF8'],
      [4, 'OK'],
    ]);
  });

  it('read in chunks of any size, the rows are the same as read at once', () => {
    const text = Buffer.from(
      `\uFEFF${header}\r\n${line(1)}\r\n${validBsn(2)};voorziening;9;01;;99000001;2024-01-01;;"a\r\nb ""c"""\r\n` +
        `${line(7)}\n"open\n${line(8)}\n\n${line(9)}`,
    );
    const whole = rows(parseCsv('0384', text, 'u.csv'));
    expect(whole.map((x) => [x.row, x.ok])).toEqual([
      [2, true],
      [3, false], // a line break in a name: read, then refused (LDT_Naam)
      [5, true],
      [6, false],
      [7, true],
      [9, true],
    ]);
    for (const size of [1, 2, 3, 7, 64]) {
      const parser = new CsvUploadParser('0384', 'u.csv');
      const got = [];
      for (let i = 0; i < text.length; i += size) got.push(...parser.push(text.subarray(i, i + size)));
      got.push(...parser.end());
      expect(parser.fileError).toBeUndefined();
      expect(got).toEqual(whole);
    }
  });
});
