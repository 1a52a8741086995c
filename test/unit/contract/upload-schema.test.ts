import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { MAX_FIELD_CHARS } from '../../../services/ingest/csv/reader';
import { CSV_COLUMNS } from '../../../services/ingest/csv/row';
import { parseUploadRecord } from '../../../services/ingest/csv/upload';

/** schemas/ingest/upload.schema.json (for the contract) agrees with the processor's own check of an uploads record. */
const schema = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../schemas/ingest/upload.schema.json'), 'utf8'),
) as { properties: { rij: { properties: Record<string, { maxLength: number }> } } };

describe('the uploads record schema', () => {
  it('names every CSV column with its length limit', () => {
    const rij = schema.properties.rij.properties;
    expect(Object.keys(rij).sort()).toEqual([...CSV_COLUMNS].sort());
    for (const c of Object.values(rij)) expect(c.maxLength).toBe(MAX_FIELD_CHARS);
  });

  it('accepts and rejects the envelopes the processor accepts and rejects', () => {
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const good = {
      uploadId: 'u-0123456789abcdef',
      regel: 2,
      uploadDatum: '2026-11-23',
      rij: { soort: 'aanvraag' },
    };
    const cases: unknown[] = [
      good,
      { ...good, regel: 1 },
      { ...good, uploadId: 'u-xyz' },
      { ...good, uploadDatum: '2026-13-01' },
      { ...good, rij: { kleur: 'rood' } },
      { ...good, rij: { bsn: 'x'.repeat(201) } },
      { ...good, extra: true },
      { uploadId: good.uploadId, regel: 2, rij: {} },
    ];
    for (const c of cases) {
      const r = parseUploadRecord('0363', JSON.stringify(c), 1 << 20);
      const envelopeOk = r.ok || !['INVALID_ENVELOPE', 'INVALID_JSON'].includes(r.error.code);
      expect({ record: c, schema: validate(c) }).toEqual({ record: c, schema: envelopeOk });
    }
  });
});
