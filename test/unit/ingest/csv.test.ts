/** CSV upload (README.md, "CSV upload"): facts per row, row errors, file errors. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WmoAanvraagFact, WmoToewijzingFact } from '../../../services/domain/facts';
import { type CsvParseResult, parseCsv } from '../../../services/ingest';
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
    expect(r[1]?.ok ? '' : r[1]?.error.reason).toBe('Bsn of row 3 is not a valid BSN (9 digits, 11-proef)');
    expect(r[2]?.ok ? '' : r[2]?.error.reason).toBe('row 4 has 2 fields, the header has 8');
  });

  it('a BSN in the wrong column is not quoted in the reason', () => {
    const bsn = validBsn(9);
    const [r] = rows(parseCsv('0384', buildCsv([{ ...voorziening, productcategorie: bsn }]), 'u.csv'));
    expect(r?.ok ? '' : r?.error.reason).toBe('productcategorie of row 2 is not in the codelist');
  });

  it('quoting: separators, quotes and line breaks inside quotes; errors for bad quoting', () => {
    const text = `${HEADER};achternaam\n"${validBsn(1)}";voorziening;1;01;"";99000001;2024-01-01;;"a ""b""\nc; d"\n${validBsn(1)};voorziening;2;01;;99000001;2024-01-01;;"open\n`;
    const r = rows(parseCsv('0384', text, 'u.csv'));
    expect(r[0]?.ok && r[0].fact.client.naam?.achternaam).toBe('a "b"\nc; d');
    expect(r[1]).toEqual({
      row: 4,
      ok: false,
      error: { code: 'INVALID_CSV', reason: 'row 4: a quoted field is not closed' },
    });
    const after = rows(parseCsv('0384', `${HEADER}\n"1"x;a;b;c;d;e;f;g\n`, 'u.csv'))[0];
    expect(after?.ok ? '' : after?.error.reason).toBe('row 2: unexpected text after a closing quote');
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
