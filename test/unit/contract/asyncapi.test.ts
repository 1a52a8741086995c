import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { loadConfig } from '../../../services/config';
import { GEMEENTE_CHANNELS, inputTopics } from '../../../services/topics';
import { ISTANDAARDEN } from '../../support/xsd';

/**
 * The contract for the chain (asyncapi.yaml) is a valid AsyncAPI 3.0 document — parsed by the reference
 * parser with its local $refs (schemas/) resolved from disk, no network — and it describes every topic
 * the service reads or writes, with the headers and schemas the code uses.
 */
const ROOT = path.resolve(__dirname, '../../..');
const FILE = path.join(ROOT, 'asyncapi.yaml');

let document: AsyncAPIDocumentInterface;

beforeAll(async () => {
  const { document: doc, diagnostics } = await new Parser().parse(fs.readFileSync(FILE, 'utf8'), {
    source: FILE,
  });
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
  document = doc!;
}, 120000);

describe('asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3.0 document', () => {
    expect(document.version()).toBe('3.0.0');
  });

  it('has a channel for every topic, a gemeente topic with the {gemeentecode} parameter', () => {
    const cfg = loadConfig({});
    const addresses = document
      .channels()
      .all()
      .map((c) => c.address());
    const gemeente = GEMEENTE_CHANNELS.map((c) => `gemeente.{gemeentecode}.${c}`);
    // the trusted bridge is off by default (not among inputTopics then) but described
    const brugTopic = loadConfig({ TOPIC_WMO_TRUSTED_BRIDGE: 'wmo.toewijzingen' }).TOPIC_WMO_TRUSTED_BRIDGE!;
    expect([...addresses].sort()).toEqual(
      [
        ...inputTopics(cfg),
        brugTopic,
        cfg.TOPIC_DAGELIJKS,
        cfg.TOPIC_DLQ,
        cfg.TOPIC_CHANGELOG,
        cfg.TOPIC_VERWERKINGEN,
        ...gemeente,
      ].sort(),
    );
    for (const c of document.channels().all()) {
      if (!c.address()!.includes('{gemeentecode}')) continue;
      expect({
        channel: c.id(),
        parameters: c
          .parameters()
          .all()
          .map((p) => p.id()),
      }).toEqual({
        channel: c.id(),
        parameters: ['gemeentecode'],
      });
    }
    const brug = document.channels().get('wmoToewijzingenBrug')!;
    expect((brug.json() as { title: string }).title).toMatch(/trusted chain bridge \(GGk\).*off by default/i);
  });

  it('every output message declares its samenloop-id and traceparent headers', () => {
    for (const id of ['gemeenteSamenloop', 'gemeenteBeeindigingen']) {
      for (const m of document.channels().get(id)!.messages().all()) {
        const headers = m.headers()!.json() as { required: string[] };
        // a tombstone has no content, so no content-type, and a daily tick's has no trace to continue
        if (m.id() === 'tombstone') {
          expect(headers.required).toEqual(['samenloop-id']);
          continue;
        }
        expect({ message: m.id(), required: headers.required }).toEqual({
          message: m.id(),
          required: expect.arrayContaining(['content-type', 'samenloop-id', 'traceparent']),
        });
      }
    }
  });

  it('resolves the JSON Schemas of schemas/ and names the iStandaarden XSDs of the XML messages', () => {
    const messages = document.allMessages().all();
    const payloadId = (name: string) =>
      (
        messages
          .find((m) => m.id() === name)!
          .payload()!
          .json() as { $id?: string }
      ).$id;
    expect(payloadId('notification')).toBe('urn:samenloop:schema:notification:2');
    expect(payloadId('command')).toBe('urn:samenloop:schema:command');
    expect(payloadId('upload')).toBe('urn:samenloop:schema:upload:1');
    const xml = messages.filter((m) => m.contentType() === 'application/xml');
    expect([...new Set(xml.map((m) => m.name()))].sort()).toEqual(['AW33', 'IO31', 'WMO301']);
    for (const m of xml) {
      const xsd = (m.json() as { 'x-xsd': string })['x-xsd'];
      const file = xsd.startsWith('istandaarden/')
        ? path.join(ISTANDAARDEN, xsd.slice('istandaarden/'.length))
        : path.join(ROOT, xsd);
      expect({ message: m.id(), exists: fs.existsSync(file) }).toEqual({ message: m.id(), exists: true });
      expect(m.externalDocs()?.url()).toMatch(/^https:\/\//);
    }
  });
});
