/**
 * Writing CSV that a spreadsheet opens safely: `;`-separated (as Dutch Excel expects), quoted where needed,
 * and OWASP's CSV-injection rule: a value starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets
 * a leading `'`, so that no spreadsheet runs it as a formula. Every CSV (and xlsx cell) samenloop writes goes
 * through `safeCell`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The value as a spreadsheet must see it: never the start of a formula. */
export function safeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV field: escaped against injection, quoted when it holds `;`, `"` or a line break. */
export function csvField(value: string | number | null | undefined): string {
  const v = safeCell(value === null || value === undefined ? '' : String(value));
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV line (CRLF, as Excel writes it). */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvField).join(';')}\r\n`;
}

/** The UTF-8 byte order mark: Excel then reads the file as UTF-8. */
export const BOM = '\uFEFF';
