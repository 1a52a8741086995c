import fc from 'fast-check';
import { isValidBsn } from '../../../services/domain/bsn';
import {
  EENHEID,
  FREQUENTIE,
  LEVERINGSVORM,
  PRODUCTCATEGORIE,
  REDEN_WIJZIGING,
  ZZP_CODE,
  codeLabel,
  isCode,
} from '../../../services/domain/codelists';
import {
  addDays,
  compareIsoDates,
  daysBetween,
  isAfter,
  isBefore,
  isIsoDate,
  isIsoTime,
  maxIsoDate,
  minIsoDate,
} from '../../../services/domain/dates';
import { invalidBsn, validBsn } from '../../fixtures/builders';

describe('isValidBsn (11-proef, CS002)', () => {
  it.each(['999990019', '999990032', '999990044', '999990056', '999900006', '999900018'])(
    'accepts the synthetic example BSN %s',
    (bsn) => expect(isValidBsn(bsn)).toBe(true),
  );

  it.each([
    ['999990018', 'wrong check digit'],
    ['99999001', '8 digits'],
    ['9999900190', '10 digits'],
    ['99999001a', 'a letter'],
    [' 99999001', 'a space'],
    ['000000000', 'all zeros (passes the sum)'],
    ['', 'empty'],
  ])('rejects %s (%s)', (bsn) => expect(isValidBsn(bsn)).toBe(false));

  it('accepts every validBsn(n) and rejects every invalidBsn(n)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8_999_999 }), (n) => {
        expect(isValidBsn(validBsn(n))).toBe(true);
        expect(isValidBsn(invalidBsn(n))).toBe(false);
      }),
    );
  });

  it('validBsn is injective and rejects n out of range', () => {
    const seen = new Set(Array.from({ length: 20_000 }, (_, n) => validBsn(n)));
    expect(seen.size).toBe(20_000);
    expect(validBsn(8_999_999)).toHaveLength(9);
    expect(() => validBsn(9_000_000)).toThrow(RangeError);
    expect(() => validBsn(-1)).toThrow(RangeError);
    expect(() => validBsn(1.5)).toThrow(RangeError);
  });
});

describe('dates', () => {
  it.each(['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2024-12-31'])('%s is a date', (d) =>
    expect(isIsoDate(d)).toBe(true),
  );

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-02-30',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '0000-01-01',
    '2024-01-01Z',
    '2024-01-01+01:00',
    '2024-1-01',
    '24-01-01',
    '2024-01-01T00:00:00',
    '',
  ])('%s is not a date', (d) => expect(isIsoDate(d)).toBe(false));

  it('reads dates by character as the pattern ^\\d{4}-\\d{2}-\\d{2}$ with the calendar did (property)', () => {
    const byPattern = (v: string): boolean => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
      if (!m) return false;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      const max = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
      return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= max;
    };
    // digits dense, so real dates come up; besides them what a regular expression's \d does not take
    const alphabet = '0123456789012345678901230123-- /:+a٣０\n';
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    let dates = 0;
    const differ: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const length = next() < 0.9 ? 10 : Math.floor(next() * 12);
      let v = '';
      for (let j = 0; j < length; j++)
        v +=
          j === 4 || j === 7 ? (next() < 0.95 ? '-' : '0') : alphabet[Math.floor(next() * alphabet.length)];
      const expected = byPattern(v);
      if (isIsoDate(v) !== expected) differ.push(v);
      if (expected) dates++;
    }
    expect(differ).toEqual([]);
    expect(dates).toBeGreaterThan(1000);
  });

  it.each(['00:00:00', '23:59:59', '09:15:00.5'])('%s is a time', (t) => expect(isIsoTime(t)).toBe(true));
  it.each(['24:00:00', '12:60:00', '12:00', '12:00:00Z', '12:00:00+01:00', '9:00:00'])(
    '%s is not a time',
    (t) => expect(isIsoTime(t)).toBe(false),
  );

  it('compares, adds days across month, leap-year and year boundaries', () => {
    expect(compareIsoDates('2024-01-31', '2024-02-01')).toBeLessThan(0);
    expect(compareIsoDates('2024-02-01', '2024-02-01')).toBe(0);
    expect(isBefore('2024-01-31', '2024-02-01')).toBe(true);
    expect(isAfter('2024-01-31', '2024-02-01')).toBe(false);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('0050-06-15', 1)).toBe('0050-06-16');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(maxIsoDate('2024-01-01', undefined)).toBe('2024-01-01');
    expect(maxIsoDate('2024-01-01', '2024-02-01')).toBe('2024-02-01');
    expect(minIsoDate('2024-01-01', '2024-02-01')).toBe('2024-01-01');
    expect(() => addDays('2024-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
  });

  it('addDays and daysBetween are inverse (property)', () => {
    const date = fc
      .date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2100-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.integer({ min: -20_000, max: 20_000 }), (d, n) => {
        const later = addDays(d, n);
        expect(isIsoDate(later)).toBe(true);
        expect(daysBetween(d, later)).toBe(n);
        expect(compareIsoDates(d, later) < 0).toBe(n > 0);
      }),
    );
  });
});

describe('codelists', () => {
  it('holds the codes of the basisschema enumerations', () => {
    expect(Object.keys(LEVERINGSVORM).sort()).toEqual(['2', '4', '5', '7', '8', '9']);
    expect(Object.keys(ZZP_CODE)).toHaveLength(64);
    expect(ZZP_CODE['999']).toBe('ZZP0: Partnerverblijf');
    expect(Object.keys(PRODUCTCATEGORIE)).toHaveLength(18);
    expect(PRODUCTCATEGORIE['01']).toBe('Hulp bij het huishouden');
    expect(PRODUCTCATEGORIE['18']).toBe('Overige beschermd wonen en opvang');
    expect(Object.keys(REDEN_WIJZIGING)).toHaveLength(14);
    expect(REDEN_WIJZIGING['06']).toBe('Uitstroom naar ander domein');
    expect(Object.keys(EENHEID).sort()).toEqual(['01', '04', '14', '16', '82', '83', '84']);
    expect(Object.keys(FREQUENTIE).sort()).toEqual(['1', '2', '4', '6']);
  });

  it('isCode matches own codes only, with leading zeros', () => {
    expect(isCode(PRODUCTCATEGORIE, '01')).toBe(true);
    expect(isCode(PRODUCTCATEGORIE, '1')).toBe(false);
    expect(isCode(PRODUCTCATEGORIE, 'toString')).toBe(false);
    expect(isCode(PRODUCTCATEGORIE, '__proto__')).toBe(false);
    expect(codeLabel(LEVERINGSVORM, '4')).toBe('Verblijf');
    expect(codeLabel(LEVERINGSVORM, '3')).toBeUndefined();
  });
});
