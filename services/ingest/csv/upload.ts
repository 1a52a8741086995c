/**
 * One accepted row of a gemeente's CSV upload as a record on that gemeente's uploads topic
 * (`gemeente.<code>.uploads`, written by `samenloop import`). The gemeente comes from the topic, never from
 * the record; the row is checked again by the same rules as in the file (./row.ts), since the topic is an
 * input like any other. Pure; never throws.
 */
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { fail, guard } from '../checks';
import { duplicateKeyPath } from '../json';
import { decodePayload } from '../payload';
import type { ParseResult } from '../types';
import { MAX_FIELD_CHARS } from './reader';
import { CSV_COLUMNS, rowFact, type CsvColumn } from './row';

/** The JSON value of an uploads record (README: "Uploads topic"). */
export interface UploadRecord {
  /** The upload's id: `u-` + 16 hex characters of a hash over gemeente, upload date and file. */
  uploadId: string;
  /** The row's line number in the file. */
  regel: number;
  /** The upload date: the toewijzingsdatum of the row's fact. */
  uploadDatum: string;
  /** The row, by column name (only columns the file had). */
  rij: Partial<Record<CsvColumn, string>>;
}

export const UPLOAD_CONTENT_TYPE = 'application/vnd.samenloop.upload+json';

const UPLOAD_ID = /^u-[0-9a-f]{16}$/;

const schema = z.strictObject({
  uploadId: z.string().regex(UPLOAD_ID),
  regel: z.number().int().min(2).max(1_000_000_000),
  uploadDatum: z.string().refine(isIsoDate),
  rij: z.partialRecord(z.enum(CSV_COLUMNS as [CsvColumn, ...CsvColumn[]]), z.string().max(MAX_FIELD_CHARS)),
});

/** The message id of an upload row: the same row of the same upload is the same message. */
export const uploadMessageId = (gemeente: string, uploadId: string, regel: number): string =>
  `upload:${gemeente}:${uploadId}:${regel}`;

/** The uploads record of one row to its fact (a Wmo toewijzing or aanvraag of that gemeente). */
export function parseUploadRecord(
  gemeente: string,
  bytes: Uint8Array | string,
  maxBytes: number,
): ParseResult {
  return guard(() => {
    const decoded = decodePayload(bytes, { maxBytes });
    if (!decoded.ok) return decoded;
    let json: unknown;
    try {
      json = JSON.parse(decoded.text);
    } catch {
      fail('INVALID_JSON', 'an uploads record is not valid JSON');
    }
    if (duplicateKeyPath(decoded.text) !== undefined)
      fail('INVALID_JSON', 'an uploads record has an object with the same key twice');
    const r = schema.safeParse(json);
    if (!r.success) {
      // Name the fields and the rule, never a value.
      const fields = [...new Set(r.error.issues.map((i) => String(i.path[0] ?? 'the record')))].join(', ');
      fail('INVALID_ENVELOPE', `an uploads record does not match its schema at ${fields}`);
    }
    const { uploadId, regel, uploadDatum, rij } = r.data;
    const values = new Map<CsvColumn, string>();
    for (const c of CSV_COLUMNS) values.set(c, rij[c] ?? '');
    const fact = rowFact(values, { gemeente, fileName: uploadId, line: regel, uploadDate: uploadDatum });
    return {
      ok: true,
      message: { kind: 'CSV', messageId: uploadMessageId(gemeente, uploadId, regel), facts: [fact] },
    };
  });
}

/** The bytes of an uploads record (what `samenloop import` sends). */
export function uploadRecordValue(record: UploadRecord): string {
  return JSON.stringify({
    uploadId: record.uploadId,
    regel: record.regel,
    uploadDatum: record.uploadDatum,
    rij: record.rij,
  });
}
