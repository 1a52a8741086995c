/**
 * Bytes of a `;`-separated file to records, incrementally (push chunks, then end): memory stays bounded by the
 * longest record, whatever the file's size. RFC 4180 quoting with `"` (`""` is a quote; `;` and line breaks are
 * data inside quotes); LF or CRLF; fields trimmed; a UTF-8 byte order mark on the first line dropped. Blank lines
 * and lines of only empty fields are skipped.
 *
 * One bad line never costs the lines after it:
 * - a line that is not UTF-8, or longer than MAX_LINE_CHARS, is a record error of its own (never buffered);
 * - a quoted field may span lines, but one that is not closed within MAX_FIELD_CHARS characters (or by the end
 *   of the file), and any record spanning lines that is not well-formed (text after a closing quote, or not
 *   `expectedFields` fields), is an error on the line where it started, and reading resumes at the next line.
 * Errors never quote the text.
 */

export const MAX_FIELD_CHARS = 200;
export const MAX_LINE_CHARS = 4096;

export interface CsvRecord {
  /** Line number (1-based) where the record starts. */
  line: number;
  fields: string[];
  error?: string;
}

interface Line {
  line: number;
  text?: string;
  error?: string;
}

const NEWLINE = 0x0a;

/** Splits bytes into lines, decoding each as UTF-8 on its own: an invalid line does not spoil the file. */
class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private tooLong = false;
  private lineNo = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  push(chunk: Uint8Array, out: Line[]): void {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl < 0) {
        this.append(buf.subarray(start));
        return;
      }
      this.append(buf.subarray(start, nl));
      out.push(this.finishLine());
      start = nl + 1;
    }
  }

  end(out: Line[]): void {
    if (this.size > 0 || this.tooLong) out.push(this.finishLine());
  }

  private append(part: Buffer): void {
    if (this.tooLong || part.length === 0) return;
    // UTF-8 is at most 4 bytes a character: more bytes than that are certainly too many characters.
    if (this.size + part.length > MAX_LINE_CHARS * 4 + 4) {
      this.tooLong = true;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(Buffer.from(part));
    this.size += part.length;
  }

  private finishLine(): Line {
    const line = ++this.lineNo;
    const bytes = Buffer.concat(this.parts, this.size);
    const tooLong = this.tooLong;
    this.parts = [];
    this.size = 0;
    this.tooLong = false;
    if (tooLong) return { line, error: `line is longer than ${MAX_LINE_CHARS} characters` };
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      return { line, error: 'line is not valid UTF-8' };
    }
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.length > MAX_LINE_CHARS)
      return { line, error: `line is longer than ${MAX_LINE_CHARS} characters` };
    return { line, text };
  }
}

type Attempt =
  { kind: 'record'; record: CsvRecord; used: number } | { kind: 'need-more' } | { kind: 'unclosed' };

/** Lines to records, with resynchronisation at the next line after a record that spans lines badly. */
export class CsvRecordReader {
  private readonly splitter = new LineSplitter();
  private pending: Line[] = [];
  /** Number of fields a record must have (the header's); unknown until the header is read. */
  expectedFields: number | undefined;

  push(chunk: Uint8Array): CsvRecord[] {
    const lines: Line[] = [];
    this.splitter.push(chunk, lines);
    return this.take(lines, false);
  }

  end(): CsvRecord[] {
    const lines: Line[] = [];
    this.splitter.end(lines);
    return this.take(lines, true);
  }

  private take(lines: Line[], atEnd: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (const l of lines) this.pending.push(l);
    // `head` walks the pending lines; they are dropped once at the end (shifting each would be quadratic).
    let head = 0;
    while (head < this.pending.length) {
      const first = this.pending[head]!;
      if (first.text === undefined) {
        head++;
        out.push({ line: first.line, fields: [], error: first.error ?? 'unreadable line' });
        continue;
      }
      const attempt = this.attempt(head);
      if (attempt.kind === 'need-more' && !atEnd) break;
      if (attempt.kind === 'record') {
        const { record, used } = attempt;
        const wrongCount =
          this.expectedFields !== undefined &&
          record.error === undefined &&
          record.fields.length !== this.expectedFields;
        if (used > 1 && (record.error !== undefined || wrongCount)) {
          // A quote opened on this line and closed on a later one, badly: most likely a stray quote. Report
          // this line and read the next ones on their own.
          head++;
          out.push({
            line: first.line,
            fields: [],
            error: 'a quoted field is not closed on this line, and read on, the record is not well-formed',
          });
          continue;
        }
        head += used;
        if (record.error !== undefined || record.fields.some((f) => f !== '')) out.push(record);
        continue;
      }
      // unclosed (or need-more at the end of the file)
      head++;
      out.push({
        line: first.line,
        fields: [],
        error: `a quoted field is not closed (within ${MAX_FIELD_CHARS} characters)`,
      });
    }
    this.pending = this.pending.slice(head);
    return out;
  }

  /** Tries to read one record from the pending lines. */
  private attempt(head: number): Attempt {
    const record: CsvRecord = { line: this.pending[head]!.line, fields: [] };
    let li = head;
    let text = this.pending[head]!.text!;
    let i = 0;
    const n = () => text.length;
    for (;;) {
      // One field.
      while (i < n() && (text[i] === ' ' || text[i] === '\t')) i++;
      if (text[i] === '"') {
        i++;
        let field = '';
        let closed = false;
        while (!closed) {
          if (i >= n()) {
            // The quoted field goes on at the next line.
            li++;
            const next = this.pending[li];
            if (next === undefined) return { kind: 'need-more' };
            if (next.text === undefined) return { kind: 'unclosed' };
            field += '\n';
            text = next.text;
            i = 0;
          } else {
            const q = text.indexOf('"', i);
            const end = q < 0 ? n() : q;
            field += text.slice(i, end);
            i = end;
            if (q >= 0) {
              if (text[q + 1] === '"') {
                field += '"';
                i = q + 2;
              } else {
                closed = true;
                i = q + 1;
              }
            }
          }
          if (field.length > MAX_FIELD_CHARS) {
            if (!closed) return { kind: 'unclosed' };
            record.error ??= `field ${record.fields.length + 1} is longer than ${MAX_FIELD_CHARS} characters`;
          }
        }
        while (i < n() && (text[i] === ' ' || text[i] === '\t')) i++;
        if (i < n() && text[i] !== ';') {
          record.error ??= `unexpected text after the closing quote of field ${record.fields.length + 1}`;
          const semi = text.indexOf(';', i);
          i = semi < 0 ? n() : semi;
        }
        record.fields.push(field.trim());
      } else {
        const semi = text.indexOf(';', i);
        const end = semi < 0 ? n() : semi;
        const field = text.slice(i, end).trim();
        if (field.length > MAX_FIELD_CHARS)
          record.error ??= `field ${record.fields.length + 1} is longer than ${MAX_FIELD_CHARS} characters`;
        record.fields.push(field);
        i = end;
      }
      if (i >= n()) return { kind: 'record', record, used: li - head + 1 };
      i++; // the ';'
    }
  }
}
