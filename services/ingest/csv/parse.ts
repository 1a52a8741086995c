/**
 * CSV upload of a gemeente's Wmo voorzieningen and aanvragen, in the style of the Wlz-signalen service
 * (columns: README.md, "CSV upload"). Every data row gives a fact or a row error; a problem with the file as a
 * whole (size, header, gemeentecode) gives one file error. Reads incrementally (CsvUploadParser: push chunks,
 * then end) in memory bounded by the longest record; parseCsv is the whole-file form. Never throws.
 */
import { isIsoDate } from '../../domain/dates';
import type { IsoDate, WmoAanvraagFact, WmoToewijzingFact } from '../../domain/facts';
import { Rejection } from '../checks';
import type { IngestError } from '../types';
import { CsvRecordReader, type CsvRecord } from './reader';
import { CSV_REQUIRED_COLUMNS, isCsvColumn, rowFact, type CsvColumn } from './row';

export { CSV_OPTIONAL_COLUMNS, CSV_REQUIRED_COLUMNS, CSV_TOEWIJZINGSTIJD } from './row';
export { MAX_FIELD_CHARS, MAX_LINE_CHARS } from './reader';

export interface CsvOptions {
  /** Date of the upload: the toewijzingsdatum (and so the version) of every row. Default: the row's ingangsdatum. */
  uploadDate?: IsoDate;
  /** File size limit in bytes; default 64 MiB. */
  maxBytes?: number;
}

export type CsvRowResult =
  | { row: number; ok: true; fact: WmoToewijzingFact | WmoAanvraagFact; values: Map<CsvColumn, string> }
  | { row: number; ok: false; error: IngestError };

/** `rows` in file order; `row` is the line number where the record starts (the header is line 1). */
export type CsvParseResult =
  { ok: true; rows: CsvRowResult[] } | { ok: false; error: IngestError; rows?: CsvRowResult[] };

export const CSV_DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const GEMEENTECODE = /^[0-9]{4}$/;

/**
 * The incremental parser: `push` each chunk of the file and `end` it; each returns the rows it completed.
 * Once `fileError` is set (the header, the gemeentecode, the size) no more rows come.
 */
export class CsvUploadParser {
  fileError: IngestError | undefined;
  private readonly reader = new CsvRecordReader();
  private columns: CsvColumn[] | undefined;
  private bytes = 0;
  private sawAnyByte = false;
  private readonly maxBytes: number;

  constructor(
    readonly gemeente: string,
    readonly fileName: string,
    private readonly options: CsvOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? CSV_DEFAULT_MAX_BYTES;
    if (!GEMEENTECODE.test(gemeente))
      this.fileError = { code: 'INVALID_GEMEENTECODE', reason: 'the gemeente is not a 4-digit gemeentecode' };
    else if (options.uploadDate !== undefined && !isIsoDate(options.uploadDate))
      this.fileError = { code: 'INVALID_DATE', reason: 'the upload date is not a date YYYY-MM-DD' };
  }

  /** The header's columns, once read. */
  get header(): readonly CsvColumn[] | undefined {
    return this.columns;
  }

  push(chunk: Uint8Array): CsvRowResult[] {
    if (this.fileError !== undefined) return [];
    this.bytes += chunk.byteLength;
    if (chunk.byteLength > 0) this.sawAnyByte = true;
    if (this.bytes > this.maxBytes) {
      this.fileError = { code: 'TOO_LARGE', reason: `the file is over the limit of ${this.maxBytes} bytes` };
      return [];
    }
    return this.rows(this.reader.push(chunk));
  }

  end(): CsvRowResult[] {
    if (this.fileError !== undefined) return [];
    const rows = this.rows(this.reader.end());
    if (this.fileError === undefined && this.columns === undefined) {
      this.fileError = this.sawAnyByte
        ? { code: 'EMPTY', reason: 'the file has no header row' }
        : { code: 'EMPTY', reason: 'the file is empty' };
    }
    return rows;
  }

  private rows(records: CsvRecord[]): CsvRowResult[] {
    const out: CsvRowResult[] = [];
    for (const record of records) {
      if (this.fileError !== undefined) return out;
      if (this.columns === undefined) {
        this.readHeader(record);
        continue;
      }
      out.push(this.row(record, this.columns));
    }
    return out;
  }

  private readHeader(record: CsvRecord): void {
    if (record.error !== undefined) {
      this.fileError = {
        code: record.error.includes('UTF-8') ? 'INVALID_UTF8' : 'INVALID_CSV',
        reason: `header row: ${record.error}`,
      };
      return;
    }
    const names = record.fields.map((f) => f.toLowerCase());
    const seen = new Set<string>();
    for (const [i, c] of names.entries()) {
      if (!isCsvColumn(c)) {
        this.fileError = {
          code: 'INVALID_CSV',
          reason: `column ${i + 1} of the header is not a known column name (README, "CSV upload")`,
        };
        return;
      }
      if (seen.has(c)) {
        this.fileError = { code: 'INVALID_CSV', reason: `column '${c}' occurs twice in the header` };
        return;
      }
      seen.add(c);
    }
    const missing = CSV_REQUIRED_COLUMNS.filter((c) => !seen.has(c));
    if (missing.length > 0) {
      this.fileError = { code: 'INVALID_CSV', reason: `the header lacks column(s) ${missing.join(', ')}` };
      return;
    }
    this.columns = names as CsvColumn[];
    this.reader.expectedFields = names.length;
  }

  private row(record: CsvRecord, columns: CsvColumn[]): CsvRowResult {
    const row = record.line;
    if (record.error !== undefined) {
      const code = record.error.includes('UTF-8') ? 'INVALID_UTF8' : 'INVALID_CSV';
      return { row, ok: false, error: { code, reason: `row ${row}: ${record.error}` } };
    }
    if (record.fields.length !== columns.length) {
      return {
        row,
        ok: false,
        error: {
          code: 'INVALID_CSV',
          reason: `row ${row} has ${record.fields.length} fields, the header has ${columns.length}`,
        },
      };
    }
    const values = new Map<CsvColumn, string>();
    columns.forEach((c, i) => values.set(c, record.fields[i] ?? ''));
    try {
      const fact = rowFact(values, {
        gemeente: this.gemeente,
        fileName: this.fileName,
        line: row,
        ...(this.options.uploadDate === undefined ? {} : { uploadDate: this.options.uploadDate }),
      });
      return { row, ok: true, fact, values };
    } catch (e) {
      if (e instanceof Rejection) return { row, ok: false, error: e.error };
      return { row, ok: false, error: { code: 'INVALID_CSV', reason: `row ${row} could not be read` } };
    }
  }
}

/** The whole-file form of CsvUploadParser. */
export function parseCsv(
  gemeente: string,
  text: string | Uint8Array,
  fileName: string,
  options: CsvOptions = {},
): CsvParseResult {
  try {
    const parser = new CsvUploadParser(gemeente, fileName, options);
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    const rows = [...parser.push(bytes), ...parser.end()];
    if (parser.fileError !== undefined) return { ok: false, error: parser.fileError };
    return { ok: true, rows };
  } catch {
    return { ok: false, error: { code: 'INVALID_CSV', reason: 'the file could not be read' } };
  }
}
