/**
 * One row of a gemeente's CSV upload (column name → value) to a fact. The same rules whether the row comes
 * from a file (parse.ts) or from a record on the gemeente's uploads topic (upload.ts). Reasons name the row,
 * the column and the rule, and never contain a value of the row.
 */
import { createHash } from 'node:crypto';
import { isValidBsn } from '../../domain/bsn';
import { isCode, PRODUCTCATEGORIE } from '../../domain/codelists';
import { isIsoDate, isPlausibleDate, PLAUSIBLE_DATES } from '../../domain/dates';
import type {
  ClientGegevens,
  FactSource,
  IsoDate,
  WmoAanvraagFact,
  WmoToewijzingFact,
} from '../../domain/facts';
import { checkCharacters, fail, Rejection } from '../checks';
import { checkSimpleValue } from '../istandaard/xsd-type-check';
import { XSD_SIMPLE_TYPES } from '../istandaard/xsd-types';

/**
 * The columns a beëindiging copies into a WMO301 as they are, with their iWmo XSD type: a value the type
 * rejects (a line break in a name, a 6-character code) would make that WMO301 invalid.
 */
const XSD_COLUMNS = {
  productcode: 'iwmo:LDT_ProductCode',
  achternaam: 'iwmo:LDT_Naam',
  voorvoegsel: 'iwmo:LDT_Voorvoegsel',
  voorletters: 'iwmo:LDT_Voorletters',
} as const;

function xsdColumn(
  value: string | undefined,
  column: keyof typeof XSD_COLUMNS,
  at: string,
): string | undefined {
  if (value === undefined) return undefined;
  const type = XSD_COLUMNS[column];
  try {
    checkSimpleValue(value, XSD_SIMPLE_TYPES[type]!, type, column);
  } catch (e) {
    if (!(e instanceof Rejection)) throw e;
    fail('INVALID_CSV', `${column} of ${at} is not a valid ${type.slice(5)} (length or characters)`);
  }
  return value;
}
import { withoutUndefined } from '../istandaard/header';
import { MAX_FIELD_CHARS } from './reader';

export const CSV_REQUIRED_COLUMNS = [
  'bsn',
  'soort',
  'toewijzingnummer',
  'productcategorie',
  'productcode',
  'aanbieder',
  'ingangsdatum',
  'einddatum',
] as const;
export const CSV_OPTIONAL_COLUMNS = [
  'geboortedatum',
  'achternaam',
  'voorletters',
  'voorvoegsel',
  'aanvraagid',
] as const;
export type CsvColumn = (typeof CSV_REQUIRED_COLUMNS)[number] | (typeof CSV_OPTIONAL_COLUMNS)[number];
export const CSV_COLUMNS: readonly CsvColumn[] = [...CSV_REQUIRED_COLUMNS, ...CSV_OPTIONAL_COLUMNS];
const KNOWN_COLUMNS: ReadonlySet<string> = new Set(CSV_COLUMNS);

export const isCsvColumn = (name: string): name is CsvColumn => KNOWN_COLUMNS.has(name);

/** Time of day of a CSV toewijzing (the file has none). */
export const CSV_TOEWIJZINGSTIJD = '00:00:00';
/** Version date of an aanvraag without uploadDate and ingangsdatum: the lowest, so any dated record wins. */
const UNDATED = '0001-01-01';

const DIGITS = /^[0-9]+$/;
const AGB = /^[0-9]{8}$/;
const INTEGER = /^\+?0*([0-9]{1,9})$/;
const DUTCH_DATE = /^(\d{1,2})-(\d{1,2})-(\d{4})$/;

export interface RowContext {
  gemeente: string;
  /** The file name or upload id: part of every fact's message id. */
  fileName: string;
  line: number;
  /** Toewijzingsdatum (and version) of every row; default: the row's ingangsdatum. */
  uploadDate?: IsoDate;
}

/**
 * The fact a row gives; throws a Rejection (checks.fail) that names the column and the rule. A value with a
 * character XML 1.0 forbids is INVALID_CHARACTER: the fact could end up in a WMO301.
 */
export function rowFact(
  values: ReadonlyMap<CsvColumn, string>,
  ctx: RowContext,
): WmoToewijzingFact | WmoAanvraagFact {
  const fact = factOf(values, ctx);
  checkCharacters([fact], () => `row ${ctx.line}`);
  return fact;
}

function factOf(
  values: ReadonlyMap<CsvColumn, string>,
  ctx: RowContext,
): WmoToewijzingFact | WmoAanvraagFact {
  const { gemeente, line } = ctx;
  const at = `row ${line}`;
  const get = (c: CsvColumn): string | undefined => {
    const v = values.get(c);
    if (v !== undefined && v.length > MAX_FIELD_CHARS)
      fail('INVALID_CSV', `${c} of ${at} is longer than ${MAX_FIELD_CHARS} characters`);
    return v || undefined;
  };
  const soort = (get('soort') ?? '').toLowerCase();
  if (soort !== 'voorziening' && soort !== 'aanvraag')
    fail('INVALID_CSV', `soort of ${at} is neither voorziening nor aanvraag`);
  const source: FactSource = { kind: 'CSV', messageId: `csv:${gemeente}:${ctx.fileName}:${line}` };
  const client = clientOf(get, at);
  const rawCategorie = get('productcategorie');
  const productcategorie = rawCategorie === undefined ? undefined : pad(rawCategorie, 2);
  if (productcategorie !== undefined && !isCode(PRODUCTCATEGORIE, productcategorie))
    fail('INVALID_CODE', `productcategorie of ${at} is not a code of WMO020 (01 to 18)`);
  const productcode = xsdColumn(get('productcode'), 'productcode', at);
  const rawAanbieder = get('aanbieder');
  const aanbieder = rawAanbieder === undefined ? undefined : pad(rawAanbieder, 8);
  if (aanbieder !== undefined && !AGB.test(aanbieder))
    fail('INVALID_AGB', `aanbieder of ${at} is not an 8-digit AGB code`);
  const ingangsdatum = date(get('ingangsdatum'), 'ingangsdatum', at);
  const einddatum = date(get('einddatum'), 'einddatum', at);
  if (ingangsdatum !== undefined && einddatum !== undefined && einddatum < ingangsdatum)
    fail('INVALID_PERIOD', `einddatum of ${at} is before its ingangsdatum`);
  const rawNummer = get('toewijzingnummer');
  let toewijzingnummer: string | undefined;
  if (rawNummer !== undefined) {
    const m = INTEGER.exec(rawNummer);
    if (!m) fail('INVALID_CSV', `toewijzingnummer of ${at} is not an integer 0 to 999999999`);
    toewijzingnummer = String(Number(m[1]));
  }

  if (soort === 'voorziening') {
    const required = <T>(value: T | undefined, column: CsvColumn): T =>
      value ?? fail('INVALID_CSV', `${column} of ${at} is required for soort voorziening`);
    const nummer = required(toewijzingnummer, 'toewijzingnummer');
    const start = required(ingangsdatum, 'ingangsdatum');
    const toewijzingsdatum = ctx.uploadDate ?? start;
    return withoutUndefined({
      type: 'wmo-toewijzing',
      key: `wmo:${gemeente}:${nummer}`,
      version: `${toewijzingsdatum}T${CSV_TOEWIJZINGSTIJD}`,
      source,
      client,
      gemeente,
      aanbieder: required(aanbieder, 'aanbieder'),
      toewijzingnummer: nummer,
      productcategorie: required(productcategorie, 'productcategorie'),
      productcode,
      toewijzingsdatum,
      toewijzingstijd: CSV_TOEWIJZINGSTIJD,
      ingangsdatum: start,
      einddatum,
    });
  }
  const aanvraagId =
    get('aanvraagid') ??
    toewijzingnummer ??
    `h:${createHash('sha256')
      .update([soort, productcategorie, productcode, aanbieder, ingangsdatum, einddatum].join(';'))
      .digest('hex')
      .slice(0, 16)}`;
  return withoutUndefined({
    type: 'wmo-aanvraag',
    key: `aanvraag:${gemeente}:${aanvraagId}`,
    version: `${ctx.uploadDate ?? ingangsdatum ?? UNDATED}T${CSV_TOEWIJZINGSTIJD}`,
    source,
    client,
    gemeente,
    aanvraagId,
    productcategorie,
    productcode,
    aanbieder,
    ingangsdatum,
    einddatum,
  });
}

function clientOf(get: (c: CsvColumn) => string | undefined, at: string): ClientGegevens {
  const bsn = pad(get('bsn') ?? '', 9);
  if (!isValidBsn(bsn)) fail('INVALID_BSN', `bsn of ${at} is not a valid BSN (9 digits, 11-proef)`);
  const achternaam = xsdColumn(get('achternaam'), 'achternaam', at);
  return withoutUndefined({
    bsn,
    geboortedatum: date(get('geboortedatum'), 'geboortedatum', at),
    naam:
      achternaam === undefined
        ? undefined
        : withoutUndefined({
            achternaam,
            voorvoegsel: xsdColumn(get('voorvoegsel'), 'voorvoegsel', at),
            voorletters: xsdColumn(get('voorletters'), 'voorletters', at),
          }),
  });
}

/** Spreadsheets drop leading zeros: a digits-only value shorter than its fixed length is left-padded. */
function pad(value: string, length: number): string {
  return value.length < length && DIGITS.test(value) ? value.padStart(length, '0') : value;
}

/** An ISO date, or a Dutch `d-m-jjjj` / `dd-mm-jjjj` date (as spreadsheets write them), as ISO. */
function date(value: string | undefined, column: CsvColumn, at: string): IsoDate | undefined {
  if (value === undefined) return undefined;
  const dutch = DUTCH_DATE.exec(value);
  const iso = dutch
    ? `${dutch[3]}-${(dutch[2] ?? '').padStart(2, '0')}-${(dutch[1] ?? '').padStart(2, '0')}`
    : value;
  if (!isIsoDate(iso)) fail('INVALID_DATE', `${column} of ${at} is not a date (YYYY-MM-DD or DD-MM-YYYY)`);
  if (!isPlausibleDate(iso)) {
    const { from, to } = PLAUSIBLE_DATES;
    fail('INVALID_DATE', `${column} of ${at} is outside the accepted dates ${from} to ${to}`);
  }
  return iso;
}
