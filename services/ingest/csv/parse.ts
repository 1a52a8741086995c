/**
 * CSV upload of a gemeente's Wmo voorzieningen and aanvragen, in the style of the Wlz-signalen service
 * (columns: README.md, "CSV upload"). Every data row gives a fact or a row error; a problem with the file as a
 * whole (encoding, header, gemeentecode) gives one file error. Never throws.
 */
import { createHash } from 'node:crypto';
import { PRODUCTCATEGORIE } from '../../domain/codelists';
import { isIsoDate, isPlausibleDate, PLAUSIBLE_DATES } from '../../domain/dates';
import type {
  ClientGegevens,
  FactSource,
  IsoDate,
  WmoAanvraagFact,
  WmoToewijzingFact,
} from '../../domain/facts';
import {
  Rejection,
  canonicalInteger,
  checkAgb,
  checkBsn,
  checkCharacters,
  checkCode,
  checkGemeentecode,
  checkPeriod,
  fail,
  nameOf,
} from '../checks';
import { withoutUndefined } from '../istandaard/header';
import { checkSimpleValue } from '../istandaard/xsd-type-check';
import { XSD_SIMPLE_TYPES } from '../istandaard/xsd-types';
import type { IngestError } from '../types';
import { decodePayload } from '../payload';

export interface CsvOptions {
  /** Date of the upload: the toewijzingsdatum (and so the version) of every row. Default: the row's ingangsdatum. */
  uploadDate?: IsoDate;
  /** File size limit in bytes; default 64 MiB. */
  maxBytes?: number;
}

export type CsvRowResult =
  | { row: number; ok: true; fact: WmoToewijzingFact | WmoAanvraagFact }
  | { row: number; ok: false; error: IngestError };

/** `rows` in file order; `row` is the line number where the record starts (the header is line 1). */
export type CsvParseResult = { ok: true; rows: CsvRowResult[] } | { ok: false; error: IngestError };

export const CSV_DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
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
type Column = (typeof CSV_REQUIRED_COLUMNS)[number] | (typeof CSV_OPTIONAL_COLUMNS)[number];
const KNOWN_COLUMNS: ReadonlySet<string> = new Set([...CSV_REQUIRED_COLUMNS, ...CSV_OPTIONAL_COLUMNS]);

/** Time of day of a CSV toewijzing (the file has none). */
export const CSV_TOEWIJZINGSTIJD = '00:00:00';
/** Version date of an aanvraag without uploadDate and ingangsdatum: the lowest, so any dated record wins. */
const UNDATED = '0001-01-01';

const DIGITS = /^[0-9]+$/;
const DUTCH_DATE = /^(\d{1,2})-(\d{1,2})-(\d{4})$/;

export function parseCsv(
  gemeente: string,
  text: string | Uint8Array,
  fileName: string,
  options: CsvOptions = {},
): CsvParseResult {
  try {
    checkGemeentecode(gemeente, 'gemeente');
    if (options.uploadDate !== undefined && !isIsoDate(options.uploadDate)) {
      fail('INVALID_DATE', 'uploadDate is not a date YYYY-MM-DD');
    }
    const decoded = decodePayload(text, { maxBytes: options.maxBytes ?? CSV_DEFAULT_MAX_BYTES });
    if (!decoded.ok) return decoded;
    const records = tokenize(decoded.text);
    const header = records.shift();
    if (header === undefined) fail('EMPTY', 'the file has no header row');
    if (header.error !== undefined) fail('INVALID_CSV', `header row: ${header.error}`);
    const columns = headerColumns(header.fields);
    const rows = records.map((record): CsvRowResult => {
      try {
        if (record.error !== undefined) fail('INVALID_CSV', `row ${record.line}: ${record.error}`);
        if (record.fields.length !== columns.length) {
          fail(
            'INVALID_CSV',
            `row ${record.line} has ${record.fields.length} fields, the header has ${columns.length}`,
          );
        }
        const values = new Map<Column, string>();
        columns.forEach((c, i) => values.set(c, record.fields[i] ?? ''));
        const fact = rowFact(values, record.line, gemeente, fileName, options);
        checkCharacters([fact], () => `row ${record.line}`);
        return { row: record.line, ok: true, fact };
      } catch (e) {
        if (e instanceof Rejection) return { row: record.line, ok: false, error: e.error };
        return {
          row: record.line,
          ok: false,
          error: { code: 'INVALID_CSV', reason: `row ${record.line} could not be read` },
        };
      }
    });
    return { ok: true, rows };
  } catch (e) {
    if (e instanceof Rejection) return { ok: false, error: e.error };
    return { ok: false, error: { code: 'INVALID_CSV', reason: 'the file could not be read' } };
  }
}

function headerColumns(fields: string[]): Column[] {
  const columns = fields.map((f) => f.toLowerCase());
  const seen = new Set<string>();
  for (const c of columns) {
    if (!KNOWN_COLUMNS.has(c)) fail('INVALID_CSV', `unknown column ${nameOf(c)} in the header`);
    if (seen.has(c)) fail('INVALID_CSV', `column '${c}' occurs twice in the header`);
    seen.add(c);
  }
  const missing = CSV_REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) fail('INVALID_CSV', `the header lacks column(s) ${missing.join(', ')}`);
  return columns as Column[];
}

function rowFact(
  values: ReadonlyMap<Column, string>,
  line: number,
  gemeente: string,
  fileName: string,
  options: CsvOptions,
): WmoToewijzingFact | WmoAanvraagFact {
  const ctx = `row ${line}`;
  const get = (c: Column): string | undefined => values.get(c) || undefined;
  const soort = (get('soort') ?? '').toLowerCase();
  if (soort !== 'voorziening' && soort !== 'aanvraag') {
    fail('INVALID_CSV', `soort of ${ctx} is neither voorziening nor aanvraag`);
  }
  const source: FactSource = { kind: 'CSV', messageId: `csv:${gemeente}:${fileName}:${line}` };
  const client = clientOf(get, ctx);
  const rawCategorie = get('productcategorie');
  const productcategorie =
    rawCategorie === undefined
      ? undefined
      : checkCode(PRODUCTCATEGORIE, 'productcategorie', pad(rawCategorie, 2), ctx);
  const productcode = xsdColumn(get('productcode'), 'iwmo:LDT_ProductCode', 'productcode', ctx);
  const rawAanbieder = get('aanbieder');
  const aanbieder = rawAanbieder === undefined ? undefined : checkAgb(pad(rawAanbieder, 8), 'aanbieder', ctx);
  const ingangsdatum = date(get('ingangsdatum'), 'ingangsdatum', ctx);
  const einddatum = date(get('einddatum'), 'einddatum', ctx);
  if (ingangsdatum !== undefined) checkPeriod(ingangsdatum, einddatum, ctx);
  const rawNummer = get('toewijzingnummer');
  const toewijzingnummer =
    rawNummer === undefined ? undefined : integerOrCsvError(rawNummer, 'toewijzingnummer', ctx);

  if (soort === 'voorziening') {
    const required = (value: string | undefined, column: Column): string =>
      value ?? fail('INVALID_CSV', `${column} of ${ctx} is required for soort voorziening`);
    const nummer = required(toewijzingnummer, 'toewijzingnummer');
    const start = required(ingangsdatum, 'ingangsdatum');
    const toewijzingsdatum = options.uploadDate ?? start;
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
    version: `${options.uploadDate ?? ingangsdatum ?? UNDATED}T${CSV_TOEWIJZINGSTIJD}`,
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

function clientOf(get: (c: Column) => string | undefined, ctx: string): ClientGegevens {
  const bsn = checkBsn(pad(get('bsn') ?? '', 9), ctx);
  const achternaam = get('achternaam');
  return withoutUndefined({
    bsn,
    geboortedatum: date(get('geboortedatum'), 'geboortedatum', ctx),
    naam:
      achternaam === undefined
        ? undefined
        : withoutUndefined({ achternaam, voorvoegsel: get('voorvoegsel'), voorletters: get('voorletters') }),
  });
}

/**
 * A column a WMO301 beëindiging carries on as it is (productcode → Product/Code) must be a valid value of that
 * element's XSD simple type (length in characters, no line break inside), else INVALID_CSV.
 */
function xsdColumn(value: string | undefined, type: string, column: string, ctx: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    checkSimpleValue(value, XSD_SIMPLE_TYPES[type]!, type, column);
  } catch (e) {
    if (!(e instanceof Rejection)) throw e;
    fail(
      'INVALID_CSV',
      `${column} of ${ctx} is not a valid ${type.slice(type.indexOf(':') + 1)} (length or characters)`,
    );
  }
  return value;
}

/** Spreadsheets drop leading zeros: a digits-only value shorter than its fixed length is left-padded. */
function pad(value: string, length: number): string {
  return value.length < length && DIGITS.test(value) ? value.padStart(length, '0') : value;
}

/** An ISO date, or a Dutch `d-m-jjjj` / `dd-mm-jjjj` date (as spreadsheets write them), as ISO. */
function date(value: string | undefined, column: string, ctx: string): IsoDate | undefined {
  if (value === undefined) return undefined;
  const dutch = DUTCH_DATE.exec(value);
  const iso = dutch
    ? `${dutch[3]}-${(dutch[2] ?? '').padStart(2, '0')}-${(dutch[1] ?? '').padStart(2, '0')}`
    : value;
  if (!isIsoDate(iso)) fail('INVALID_DATE', `${column} of ${ctx} is not a date (YYYY-MM-DD or DD-MM-YYYY)`);
  if (!isPlausibleDate(iso)) {
    const { from, to } = PLAUSIBLE_DATES;
    fail('INVALID_DATE', `${column} of ${ctx} is outside the accepted dates ${from} to ${to}`);
  }
  return iso;
}

function integerOrCsvError(value: string, column: string, ctx: string): string {
  try {
    return canonicalInteger(value, 0, 999_999_999, column, ctx);
  } catch (e) {
    if (e instanceof Rejection) fail('INVALID_CSV', e.error.reason);
    throw e;
  }
}

interface CsvRecord {
  line: number;
  fields: string[];
  error?: string;
}

/**
 * Splits `;`-separated text into records (RFC 4180 quoting with `"`, `""` for a quote, line breaks allowed inside
 * quotes; CRLF or LF). Fields, quoted or not, are trimmed. Blank lines and lines with only empty fields are skipped.
 */
function tokenize(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const record: CsvRecord = { line, fields: [] };
    let field = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      // One field.
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      if (text[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            closed = true;
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        if (!closed) record.error ??= 'a quoted field is not closed';
        while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
        if (i < n && text[i] !== ';' && text[i] !== '\n' && text[i] !== '\r') {
          record.error ??= 'unexpected text after a closing quote';
          while (i < n && text[i] !== ';' && text[i] !== '\n') i++;
        }
        record.fields.push(field.trim());
      } else {
        const start = i;
        while (i < n && text[i] !== ';' && text[i] !== '\n') i++;
        record.fields.push(text.slice(start, i).trim());
      }
      field = '';
      if (i >= n) endOfRecord = true;
      else if (text[i] === ';') i++;
      else {
        if (text[i] === '\r') i++;
        if (text[i] === '\n') i++;
        line++;
        endOfRecord = true;
      }
    }
    if (record.error !== undefined || record.fields.some((f) => f !== '')) records.push(record);
  }
  return records;
}
