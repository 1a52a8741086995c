/**
 * Netwerkmodel indicatie events (JSON on indicatiebesluiten): the envelope (zod, and its JSON Schema twin),
 * the mapping to WlzIndicatieFact, and rejections.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { NetwerkmodelEvent } from '../../../services/ingest/netwerkmodel/schema';
import type { WlzIndicatieFact } from '../../../services/domain/facts';
import { parseMessage, parseNetwerkmodelEvent } from '../../../services/ingest';
import {
  type NetwerkmodelEventOptions,
  invalidBsn,
  netwerkmodelEvent,
  validBsn,
} from '../../fixtures/builders';

const SCHEMA_FILE = path.resolve(__dirname, '../../../schemas/ingest/netwerkmodel-event.schema.json');
const FIXTURES = path.resolve(__dirname, '../../fixtures/netwerkmodel');
const jsonSchema = new Ajv2020({ strict: true, allErrors: true }).compile(
  JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')),
);
const JSON_HEADERS = { 'content-type': 'application/json' };

const parseEvent = (e: unknown) => parseMessage('indicatiebesluiten', JSON.stringify(e), JSON_HEADERS);
const codeOf = (e: unknown) => {
  const r = parseEvent(e);
  return r.ok ? 'OK' : r.error.code;
};
const fact = (o: NetwerkmodelEventOptions): WlzIndicatieFact => {
  const r = parseEvent(netwerkmodelEvent(o));
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.reason}`);
  return r.message.facts[0] as WlzIndicatieFact;
};
/** The event as a loosely typed JSON object, to break in tests. */
interface EventJson {
  [field: string]: unknown;
  subjectList: { subject: string; recordID: string }[];
  wlzIndicatie: { [field: string]: unknown; client: Record<string, unknown> };
}
/** A deep copy with one change applied. */
const mutate = (change: (e: EventJson) => void, o: NetwerkmodelEventOptions = {}) => {
  const e = structuredClone(netwerkmodelEvent(o)) as unknown as EventJson;
  change(e);
  return e;
};

describe('the example fixtures', () => {
  it.each(fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')))(
    '%s is valid for the JSON Schema, zod and the parser',
    (name) => {
      const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
      expect(jsonSchema(JSON.parse(text))).toBe(true);
      expect(NetwerkmodelEvent.safeParse(JSON.parse(text)).success).toBe(true);
      const r = parseMessage('indicatiebesluiten', Buffer.from(text), JSON_HEADERS);
      expect(r.ok ? 'OK' : r.error).toBe('OK');
    },
  );

  it('nieuwe-indicatie.json gives the expected fact', () => {
    const r = parseMessage(
      'indicatiebesluiten',
      fs.readFileSync(path.join(FIXTURES, 'nieuwe-indicatie.json')),
      JSON_HEADERS,
    );
    expect(r.ok && r.message).toEqual({
      kind: 'NETWERKMODEL',
      messageId: 'netwerkmodel:0f8b7d52-3c1e-4f6a-9a2b-5d4c3b2a1f00',
      facts: [
        {
          type: 'wlz-indicatie',
          key: 'indicatie:100000010',
          version: '2024-07-02T08:15:00.000Z',
          source: { kind: 'NETWERKMODEL', messageId: 'netwerkmodel:0f8b7d52-3c1e-4f6a-9a2b-5d4c3b2a1f00' },
          client: {
            bsn: validBsn(30),
            geboortedatum: '1941-05-17',
            geslacht: '2',
            naam: { achternaam: 'Testpersoon', voorletters: 'AB', naamGebruik: '1' },
          },
          besluitnummer: '100000010',
          afgiftedatum: '2024-07-01',
          ingangsdatum: '2024-07-01',
          zorgzwaartepakketten: [{ zzpCode: '755', ingangsdatum: '2024-07-01', voorkeurClient: '4' }],
          functies: [],
          grondslagen: ['01'],
          status: 'actueel',
        },
      ],
    });
  });

  it('vervallen-indicatie.json: status vervallen with vervaldatum, version in UTC', () => {
    const r = parseMessage(
      'indicatiebesluiten',
      fs.readFileSync(path.join(FIXTURES, 'vervallen-indicatie.json')),
      JSON_HEADERS,
    );
    expect(r.ok && r.message.facts[0]).toMatchObject({
      status: 'vervallen',
      vervaldatum: '2024-09-30',
      version: '2024-09-15T08:00:00.000Z',
    });
  });
});

describe('event types and versions', () => {
  it.each([
    ['NIEUWE_INDICATIE', 'actueel'],
    ['GEWIJZIGDE_INDICATIE', 'actueel'],
    ['VERWIJDERDE_INDICATIE', 'verwijderd'],
    ['VERVALLEN_INDICATIE', 'vervallen'],
    ['NIEUWE_INDICATIE_ZORGKANTOOR', 'actueel'],
    ['VERWIJDERDE_INDICATIE_ZORGKANTOOR', 'verwijderd'],
    ['VERVALLEN_INDICATIE_ZORGKANTOOR', 'vervallen'],
  ])('%s → %s', (eventType, status) => {
    expect(fact({ eventType, vervaldatum: '2024-12-31' }).status).toBe(status);
  });

  it('VERVALLEN_INDICATIE needs a vervaldatum; the other types keep one when the record has it', () => {
    expect(codeOf(netwerkmodelEvent({ eventType: 'VERVALLEN_INDICATIE' }))).toBe('INVALID_ENVELOPE');
    expect(fact({ eventType: 'GEWIJZIGDE_INDICATIE', vervaldatum: '2025-01-31' })).toMatchObject({
      status: 'actueel',
      vervaldatum: '2025-01-31',
    });
    expect(fact({})).not.toHaveProperty('vervaldatum');
  });

  it('the version sorts after an IO31 of the same day and before one of the next day', () => {
    const v = fact({ timestamp: '2024-07-02T23:30:00-01:00' }).version;
    expect(v).toBe('2024-07-03T00:30:00.000Z');
    expect(v > '2024-07-03').toBe(true);
    expect(v < '2024-07-04').toBe(true);
    expect(fact({ timestamp: '2024-07-02T08:15:00.5Z' }).version).toBe('2024-07-02T08:15:00.500Z');
  });

  it('shares the indicatie key with IO31 and sorts grondslagen by volgorde', () => {
    const e = mutate((x) => {
      x.wlzIndicatie.grondslag = [
        { grondslag: '05', volgorde: 2 },
        { grondslag: '04', volgorde: 1 },
      ];
    });
    const r = parseEvent(e);
    expect(r.ok && r.message.facts[0]).toMatchObject({
      key: 'indicatie:100000010',
      grondslagen: ['04', '05'],
    });
  });

  it('accepts other Indicatieregister fields on the record and the client', () => {
    const e = mutate((x) => {
      x.wlzIndicatie.beperking = [{ beperkingID: 'x', categorie: '1' }];
      x.wlzIndicatie.client.contactGegevens = [];
      x.wlzIndicatie.client.roepnaam = 'Ans';
    });
    expect(codeOf(e)).toBe('OK');
    expect(jsonSchema(e)).toBe(true);
  });
});

describe('rejections', () => {
  it('INVALID_JSON: not JSON; the reason never quotes the input', () => {
    const text = `{"bsn": "${validBsn(3)}", }`;
    const r = parseMessage('indicatiebesluiten', text, JSON_HEADERS);
    expect(r.ok ? '' : r.error.code).toBe('INVALID_JSON');
    expect(r.ok ? '' : r.error.reason).not.toContain(validBsn(3));
    expect(codeOf('just a string')).toBe('INVALID_ENVELOPE');
  });

  const envelopeCases: [string, (e: EventJson) => void][] = [
    ['no id', (e) => delete e.id],
    ['id not a UUID', (e) => (e.id = 'event-1')],
    ['timestamp without timezone', (e) => (e.timestamp = '2024-07-02T08:15:00')],
    ['timestamp as a date', (e) => (e.timestamp = '2024-07-02')],
    ['unknown eventType', (e) => (e.eventType = 'NIEUWE_BEMIDDELINGSPECIFICATIE')],
    ['unknown afzenderIDType', (e) => (e.afzenderIDType = 'AGBCODE')],
    ['extra envelope field', (e) => (e.extra = 1)],
    ['two subjects', (e) => (e.subjectList = [...e.subjectList, ...e.subjectList])],
    ['no record', (e) => Reflect.deleteProperty(e, 'wlzIndicatie')],
    ['besluitnummer as a string', (e) => (e.wlzIndicatie.besluitnummer = '100000010')],
    ['besluitnummer 0', (e) => (e.wlzIndicatie.besluitnummer = 0)],
    ['no client', (e) => Reflect.deleteProperty(e.wlzIndicatie, 'client')],
    ['geslachtsnaam missing', (e) => delete e.wlzIndicatie.client.geslachtsnaam],
    ['bsn as a number', (e) => (e.wlzIndicatie.bsn = 999990019)],
  ];

  it.each(envelopeCases)('INVALID_ENVELOPE (JSON Schema agrees): %s', (_, change) => {
    const e = mutate(change);
    expect(codeOf(e)).toBe('INVALID_ENVELOPE');
    expect(jsonSchema(e)).toBe(false);
  });

  it('INVALID_ENVELOPE beyond the JSON Schema: subject, bsn mismatch, impossible timestamp date', () => {
    for (const change of [
      (e: EventJson) =>
        (e.subjectList = [
          {
            subject: 'WlzIndicatie/00000000-0000-4000-8000-000000000000',
            recordID: e.subjectList[0]?.recordID ?? '',
          },
        ]),
      (e: EventJson) => (e.wlzIndicatie.client.bsn = validBsn(99)),
      (e: EventJson) => (e.timestamp = '2024-02-30T08:00:00Z'),
    ]) {
      const e = mutate(change);
      expect(jsonSchema(e)).toBe(true);
      expect(codeOf(e)).toBe('INVALID_ENVELOPE');
    }
  });

  it.each([
    ['INVALID_BSN', { bsn: invalidBsn(1) }],
    ['INVALID_DATE', { ingangsdatum: '2024-02-30' }],
    ['INVALID_DATE', { vervaldatum: '2024-13-01', eventType: 'VERVALLEN_INDICATIE' }],
    ['INVALID_PERIOD', { ingangsdatum: '2024-07-01', einddatum: '2024-06-30' }],
    ['INVALID_PERIOD', { zzps: [{ zzpCode: '755', ingangsdatum: '2024-07-02', einddatum: '2024-07-01' }] }],
    ['INVALID_CODE', { zzps: ['123'] }],
    ['INVALID_CODE', { grondslagen: ['09'] }],
    ['INVALID_CODE', { geslacht: 'V' }],
  ] satisfies [string, NetwerkmodelEventOptions][])('%s beyond the JSON Schema: %j', (expected, o) => {
    const e = netwerkmodelEvent(o) as { wlzIndicatie: { bsn: string } };
    expect(jsonSchema(e)).toBe(true);
    expect(codeOf(e)).toBe(expected);
    const r = parseEvent(e);
    expect(r.ok ? '' : r.error.reason).not.toContain(e.wlzIndicatie.bsn);
  });

  it('WRONG_TOPIC: a JSON event on another topic (by content-type or by its first character)', () => {
    const text = JSON.stringify(netwerkmodelEvent());
    for (const topic of ['zorgtoewijzingen', 'wmo-toewijzingen'] as const) {
      const r1 = parseMessage(topic, text, { 'Content-Type': 'application/json; charset=utf-8' });
      expect(r1.ok ? '' : r1.error.code).toBe('WRONG_TOPIC');
      const r2 = parseMessage(topic, `  ${text}`);
      expect(r2.ok ? '' : r2.error.code).toBe('WRONG_TOPIC');
    }
    expect(
      parseMessage('indicatiebesluiten', text, { 'content-type': Buffer.from('application/json') }).ok,
    ).toBe(true);
    expect(parseMessage('indicatiebesluiten', text).ok).toBe(true);
    expect(parseNetwerkmodelEvent(text).ok).toBe(true);
  });

  it('hostile JSON: deep nesting is over the input limit; __proto__ keys neither crash nor leak into the fact', () => {
    const text = JSON.stringify(netwerkmodelEvent());
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const top = parseMessage('indicatiebesluiten', deep, JSON_HEADERS);
    expect(top.ok ? '' : top.error.code).toBe('TOO_LARGE');
    const extra = (value: string) =>
      text.replace('"wlzIndicatie":{', `"wlzIndicatie":{"beperking":${value},"__proto__":{"polluted":1},`);
    const tooDeep = parseMessage('indicatiebesluiten', extra(deep), JSON_HEADERS);
    expect(tooDeep.ok ? '' : tooDeep.error.code).toBe('TOO_LARGE');
    const r = parseMessage('indicatiebesluiten', extra(`${'['.repeat(20)}${']'.repeat(20)}`), JSON_HEADERS);
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r).length).toBeLessThan(2000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an XML content-type wins over sniffing: JSON declared as XML is MALFORMED_XML', () => {
    const r = parseMessage('indicatiebesluiten', JSON.stringify(netwerkmodelEvent()), {
      'content-type': 'application/xml',
    });
    expect(r.ok ? '' : r.error.code).toBe('MALFORMED_XML');
  });
});
