import { Rejection } from '../../../services/ingest/checks';
import {
  checkSimpleTypes,
  checkSimpleValue,
  type XsdSimpleType,
  type XsdTree,
} from '../../../services/ingest/istandaard/xsd-type-check';

/** The code and reason a check throws, or undefined when it passes. */
function outcome(check: () => void): { code: string; reason: string } | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    if (!(err instanceof Rejection)) throw err;
    return { code: err.error.code, reason: err.error.reason };
  }
}

const NAAM: XsdSimpleType = { base: 'string', minLength: 2, maxLength: 4 };
const CODE: XsdSimpleType = { base: 'string', enumeration: ['01', '02'] };
const AANTAL: XsdSimpleType = { base: 'integer', minInclusive: '1', maxInclusive: '99' };
const POSTCODE: XsdSimpleType = { base: 'string', patterns: ['[1-9][0-9]{3}[A-Z]{2}'] };
const TYPES = {
  'x:LDT_Naam': NAAM,
  'x:LDT_Code': CODE,
  'x:LDT_Aantal': AANTAL,
  'x:LDT_Datum': { base: 'date' },
} satisfies Record<string, XsdSimpleType>;
const TREE: XsdTree = {
  Naam: 'x:LDT_Naam',
  Product: { Code: 'x:LDT_Code', Aantal: 'x:LDT_Aantal' },
  Datum: 'x:LDT_Datum',
};

describe('checkSimpleValue', () => {
  it('counts lengths in code points, not UTF-16 units', () => {
    // '𝔸' is one code point in two UTF-16 units
    expect(outcome(() => checkSimpleValue('𝔸𝔸𝔸𝔸', NAAM, 'x:LDT_Naam', 'M/Naam'))).toBeUndefined();
    expect(outcome(() => checkSimpleValue('𝔸', NAAM, 'x:LDT_Naam', 'M/Naam'))).toEqual({
      code: 'SCHEMA',
      reason: 'element M/Naam is shorter than 2 characters (LDT_Naam)',
    });
    expect(outcome(() => checkSimpleValue('𝔸𝔸𝔸𝔸𝔸', NAAM, 'x:LDT_Naam', 'M/Naam'))).toEqual({
      code: 'SCHEMA',
      reason: 'element M/Naam is longer than 4 characters (LDT_Naam)',
    });
    expect(outcome(() => checkSimpleValue('abcde', NAAM, 'x:LDT_Naam', 'M/Naam'))?.code).toBe('SCHEMA');
    expect(outcome(() => checkSimpleValue('a', NAAM, 'x:LDT_Naam', 'M/Naam'))?.code).toBe('SCHEMA');
    // a lone surrogate counts as one
    expect(outcome(() => checkSimpleValue('\ud835a', NAAM, 'x:LDT_Naam', 'M/Naam'))).toBeUndefined();
  });

  it('names the rule and the element, never the value', () => {
    expect(outcome(() => checkSimpleValue('03', CODE, 'x:LDT_Code', 'M/Code'))).toEqual({
      code: 'INVALID_CODE',
      reason: 'element M/Code is not a code of its codelist (LDT_Code)',
    });
    expect(outcome(() => checkSimpleValue('100', AANTAL, 'x:LDT_Aantal', 'M/Aantal'))).toEqual({
      code: 'SCHEMA',
      reason: 'element M/Aantal is not an integer 1..99 (LDT_Aantal)',
    });
    expect(outcome(() => checkSimpleValue('1234ab', POSTCODE, 'x:LDT_Postcode', 'M/Postcode'))).toEqual({
      code: 'SCHEMA',
      reason: 'element M/Postcode does not match the pattern of LDT_Postcode',
    });
    expect(outcome(() => checkSimpleValue('2024-02-30', { base: 'date' }, 'x:D', 'M/D'))?.code).toBe(
      'INVALID_DATE',
    );
    expect(
      outcome(() => checkSimpleValue('1234AB', POSTCODE, 'x:LDT_Postcode', 'M/Postcode')),
    ).toBeUndefined();
  });
});

describe('checkSimpleTypes', () => {
  it('accepts a message whose leaves are valid, in the order of the sequence', () => {
    const plain = {
      Naam: 'Jan',
      Product: [{ Code: '01', Aantal: '2' }, { Code: '02' }],
      Datum: '2030-01-01',
    };
    expect(outcome(() => checkSimpleTypes(plain, TREE, TYPES, 'M'))).toBeUndefined();
  });

  it('gives the path of a failing leaf, with the position of a repeated element', () => {
    const plain = { Naam: 'Jan', Product: [{ Code: '01' }, { Code: '09' }] };
    expect(outcome(() => checkSimpleTypes(plain, TREE, TYPES, 'M'))).toEqual({
      code: 'INVALID_CODE',
      reason: 'element M/Product[2]/Code is not a code of its codelist (LDT_Code)',
    });
    expect(outcome(() => checkSimpleTypes({ Product: { Aantal: '0' } }, TREE, TYPES, 'M'))?.reason).toBe(
      'element M/Product/Aantal is not an integer 1..99 (LDT_Aantal)',
    );
  });

  it('rejects elements out of order, unknown, or of the wrong kind', () => {
    expect(outcome(() => checkSimpleTypes({ Datum: '2030-01-01', Naam: 'Jan' }, TREE, TYPES, 'M'))).toEqual({
      code: 'SCHEMA',
      reason: 'element M/Naam is out of order (the XSD sequence puts it before Datum)',
    });
    expect(outcome(() => checkSimpleTypes({ Onbekend: 'x' }, TREE, TYPES, 'M'))?.reason).toBe(
      'unexpected element in M',
    );
    expect(outcome(() => checkSimpleTypes({ Product: 'x' }, TREE, TYPES, 'M'))?.reason).toBe(
      'element M/Product must contain child elements',
    );
    expect(outcome(() => checkSimpleTypes({ Naam: { A: 'x' } }, TREE, TYPES, 'M'))?.reason).toBe(
      'element M/Naam must not contain child elements',
    );
    // an inherited name is not an element of the sequence
    expect(outcome(() => checkSimpleTypes({ toString: 'x' }, TREE, TYPES, 'M'))?.reason).toBe(
      'unexpected element in M',
    );
  });
});
