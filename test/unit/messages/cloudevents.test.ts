import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ConfigError, loadConfig } from '../../../services/config';
import { cloudEventsSource } from '../../../services/config/operations';
import { readCloudEvent } from '../../../services/messages/cloudevents';
import { TestDriver } from '../../../services/pipeline/driver';
import { gemeenteTopic, wmoTopic } from '../../../services/topics';
import { buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';

/** The CloudEvents envelope: NL GOV `source` from the OIN, and the binary content mode beside the structured one. */
const OIN = '00000001234567890000';

async function signalled(env: Record<string, string>) {
  const d = new TestDriver(env);
  const bsn = validBsn(77);
  await d.pipe(
    wmoTopic(d.cfg, '0363'),
    buildWmo301({ bsn, gemeente: '0363', ingangsdatum: '2026-01-01', einddatum: null }),
  );
  await d.pipe(d.cfg.TOPIC_INDICATIEBESLUITEN, buildIo31({ bsn }));
  const out = d.outputsOn(gemeenteTopic(d.cfg, '0363', 'samenloop'));
  expect(out.length).toBeGreaterThanOrEqual(1);
  return { out: out[0]!, bsn };
}

describe('CloudEvents envelope', () => {
  it('source is urn:nld:oin:<OIN>:systeem:<naam> when an OIN is configured, else CLOUDEVENTS_SOURCE', () => {
    expect(cloudEventsSource(loadConfig({}))).toBe('urn:samenloop:processor');
    expect(cloudEventsSource(loadConfig({ CLOUDEVENTS_OIN: OIN }))).toBe(
      `urn:nld:oin:${OIN}:systeem:samenloop`,
    );
    expect(
      cloudEventsSource(loadConfig({ CLOUDEVENTS_OIN: OIN, CLOUDEVENTS_SYSTEEM: 'samenloop-acc' })),
    ).toBe(`urn:nld:oin:${OIN}:systeem:samenloop-acc`);
    expect(() => loadConfig({ CLOUDEVENTS_OIN: '1234' })).toThrow(ConfigError);
    expect(() => loadConfig({ CLOUDEVENTS_MODE: 'batched' })).toThrow(/CLOUDEVENTS_MODE/);
  });

  it('structured mode: the whole event in the value, with dataschema and the OIN source', async () => {
    const { out, bsn } = await signalled({ CLOUDEVENTS_OIN: OIN });
    expect(out.contentType).toBe('application/cloudevents+json');
    expect(out.headers).toBeUndefined();
    const e = JSON.parse(out.value!) as Record<string, unknown>;
    expect(e.source).toBe(`urn:nld:oin:${OIN}:systeem:samenloop`);
    expect(e.dataschema).toBe('urn:samenloop:schema:notification:2');
    expect((e.data as { client: { bsn: string } }).client.bsn).toBe(bsn);
    expect(readCloudEvent(Buffer.from(out.value!), { 'content-type': out.contentType! })).toEqual(e);
  });

  it('binary mode: data as the value (valid against the schema), the attributes as ce_* headers', async () => {
    const structured = (await signalled({})).out;
    const { out } = await signalled({ CLOUDEVENTS_MODE: 'binary' });
    const event = JSON.parse(structured.value!) as Record<string, unknown>;
    expect(out.contentType).toBe('application/json');
    expect(out.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_source: 'urn:samenloop:processor',
      ce_type: 'nl.samenloop.signaal',
      ce_subject: event.subject,
      ce_time: event.time,
      ce_dataschema: 'urn:samenloop:schema:notification:2',
    });
    expect(JSON.parse(out.value!)).toEqual(event.data);
    // the same id in both modes: a reader de-duplicates across a change of mode
    expect(out.id).toBe(structured.id);
    const schema = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../../schemas/notification.schema.json'), 'utf8'),
    ) as object;
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    // the schema is of the whole event: the binary event read back validates as one
    const read = readCloudEvent(Buffer.from(out.value!), {
      ...out.headers,
      'content-type': out.contentType!,
    });
    expect(read).toEqual(event);
    expect(validate(read)).toBe(true);
  });
});
