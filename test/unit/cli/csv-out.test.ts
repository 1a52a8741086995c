import { csvField, csvLine, safeCell } from '../../../services/cli/csv-out';
import { parseCsv } from '../../../services/ingest';

describe('CSV written by samenloop', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+31 6 1234', "'+31 6 1234"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['Jansen; sr.', '"Jansen; sr."'],
    ['a "b"', '"a ""b"""'],
    ['2026-11-23', '2026-11-23'],
    ['', ''],
  ])('%j is written as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('a value that is no formula is left alone; null and numbers are written plainly', () => {
    expect(safeCell('Jansen')).toBe('Jansen');
    expect(csvLine(['a', null, 3, undefined])).toBe('a;;3;\r\n');
  });

  it('what it writes reads back (apart from the escape) with the upload parser', () => {
    const header =
      'bsn;soort;toewijzingnummer;productcategorie;productcode;aanbieder;ingangsdatum;einddatum;achternaam';
    const line = csvLine([
      '100000101',
      'voorziening',
      '1',
      '01',
      '',
      '99000001',
      '2024-01-01',
      '',
      '=cmd; "x"\n',
    ]);
    const r = parseCsv('0384', `${header}\n${line}`, 'f.csv');
    expect(r.ok && r.rows[0]?.ok && r.rows[0].fact.client.naam?.achternaam).toBe(`'=cmd; "x"`);
  });
});
