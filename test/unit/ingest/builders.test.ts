/**
 * The fixture builders (test/fixtures/builders.ts) produce XSD-valid messages for a spread of options, and the
 * parser reads back what was put in. Other suites (engine, crash test) rely on this.
 */
import fc from 'fast-check';
import {
  FUNCTIE_CODE,
  LEVERINGSVORM,
  PRODUCTCATEGORIE,
  REDEN_INTREKKING,
  REDEN_WIJZIGING,
  VOORKEUR_CLIENT,
  ZORGKANTOOR,
  ZZP_CODE,
} from '../../../services/domain/codelists';
import { addDays } from '../../../services/domain/dates';
import type {
  Contact,
  WlzIndicatieFact,
  WlzZorgtoewijzingFact,
  WmoToewijzingFact,
} from '../../../services/domain/facts';
import { parseCsv, parseNetwerkmodelEvent, parseXmlMessage } from '../../../services/ingest';
import {
  type Aw33ToewijzingOptions,
  buildAw33,
  buildCsv,
  buildIo31,
  buildNetwerkmodelEvent,
  buildWmo301,
  validBsn,
} from '../../fixtures/builders';
import { validateXml } from '../../support/xsd';

const RUNS = 25;
const codeOf = (list: object) => fc.constantFrom(...Object.keys(list));
const date = fc.integer({ min: 0, max: 20 * 365 }).map((n) => addDays('2015-01-01', n));
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .map((t) => t.map((n) => String(n).padStart(2, '0')).join(':'));
const bsn = fc.integer({ min: 0, max: 8_999_999 }).map(validBsn);
const naam = fc.stringMatching(/^[A-Za-z][A-Za-z '&<>-]{0,30}$/).filter((s) => s.trim() === s);
const voorletters = fc.stringMatching(/^[A-Za-z]{1,6}$/);
const agb = fc.stringMatching(/^[0-9]{8}$/);
const prefixes = fc.constantFrom(
  undefined,
  { message: 'm', basis: 'b' },
  { message: '', basis: 'basis' },
  { message: 'msg', basis: '' },
);
const identificatie = fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/);
const contacten = fc.constantFrom<Contact[] | undefined>(undefined, [
  {
    soort: '03',
    huisnummer: '5',
    huisletter: 'a',
    huisnummerToevoeging: 'bis',
    aanduidingWoonadres: 'TO',
    postcode: '1234AB',
    straatnaam: 'Zorgweg',
    plaatsnaam: 'Zorgstad',
    landCode: 'NL',
  },
  { soort: '02', telefoonnummer: '0201234567', landnummer: '0031', emailadres: 'x@example.org' },
]);

function expectXsdValid(message: string, xml: string): void {
  const r = validateXml(message, xml);
  if (!r.valid) throw new Error(`${message} builder output is not XSD-valid:\n${r.output}\n${xml}`);
}

describe('validBsn', () => {
  it('gives 9-digit, 11-proef-valid, distinct BSNs', () => {
    expect(validBsn(0)).toBe('100000009');
    expect(new Set([0, 1, 2, 10, 100, 8_999_999].map(validBsn)).size).toBe(6);
  });
});

describe('buildIo31', () => {
  it('is XSD-valid and round-trips, for a spread of options', () => {
    fc.assert(
      fc.property(
        fc.record({
          identificatie,
          dagtekening: date,
          ontvanger: codeOf(ZORGKANTOOR),
          prefixes,
          clients: fc.array(
            fc.record({
              bsn,
              besluitnummer: fc.integer({ min: 1, max: 999_999_999 }),
              ingangsdatum: date,
              duration: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
              achternaam: naam,
              voorletters,
              contacten,
              grondslagen: fc.subarray(['01', '02', '03', '04'], { maxLength: 2 }),
              zzps: fc.array(
                fc.record({ zzpCode: codeOf(ZZP_CODE), voorkeurClient: codeOf(VOORKEUR_CLIENT) }),
                {
                  maxLength: 3,
                },
              ),
              functies: fc.array(codeOf(FUNCTIE_CODE), { maxLength: 2 }),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        }),
        (o) => {
          const clients = o.clients.map((c) => ({
            ...c,
            einddatum: c.duration === undefined ? undefined : addDays(c.ingangsdatum, c.duration),
          }));
          const xml = buildIo31({ ...o, clients });
          expectXsdValid('IO31', xml);
          const r = parseXmlMessage(xml);
          if (!r.ok) throw new Error(`${r.error.code}: ${r.error.reason}`);
          const facts = r.message.facts as WlzIndicatieFact[];
          expect(r.message.messageId).toBe(`IO31:CIZ:${o.identificatie}:${o.dagtekening}`);
          expect(
            facts.map((f) => [
              f.client.bsn,
              f.besluitnummer,
              f.ingangsdatum,
              f.einddatum,
              f.client.naam?.achternaam,
            ]),
          ).toEqual(
            clients.map((c) => [c.bsn, String(c.besluitnummer), c.ingangsdatum, c.einddatum, c.achternaam]),
          );
          expect(facts.map((f) => f.zorgzwaartepakketten.map((z) => z.zzpCode))).toEqual(
            clients.map((c) => c.zzps.map((z) => z.zzpCode)),
          );
          expect(facts.map((f) => f.functies.map((x) => x.functieCode))).toEqual(
            clients.map((c) => c.functies),
          );
          expect(facts.map((f) => f.grondslagen)).toEqual(clients.map((c) => c.grondslagen));
          expect(facts.map((f) => f.client.contactgegevens?.map((x) => x.soort))).toEqual(
            clients.map((c) => (c.contacten ?? [{ soort: '01' }]).map((x) => x.soort)),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('buildAw33', () => {
  it('is XSD-valid and round-trips, for a spread of options', () => {
    const toewijzing = fc.record({
      kind: fc.constantFrom('zzp', 'functie'),
      code: fc.integer({ min: 0, max: 1000 }),
      instelling: fc.option(agb, { nil: null }),
      zorgkantoor: codeOf(ZORGKANTOOR),
      leveringsvorm: codeOf(LEVERINGSVORM),
      toewijzingsdatum: date,
      toewijzingstijd: time,
      ingangsdatum: date,
      duration: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
      redenIntrekking: fc.option(codeOf(REDEN_INTREKKING), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.record({
          identificatie,
          dagtekening: date,
          afzender: codeOf(ZORGKANTOOR),
          aanbieder: agb,
          prefixes,
          bsn,
        }),
        fc.array(toewijzing, { minLength: 1, maxLength: 4 }),
        (o, ts) => {
          const zzpCodes = Object.keys(ZZP_CODE);
          const functieCodes = Object.keys(FUNCTIE_CODE);
          const toewijzingen = ts.map((t): Aw33ToewijzingOptions => ({
            ...(t.kind === 'zzp'
              ? { zzpCode: zzpCodes[t.code % zzpCodes.length], instelling: t.instelling }
              : {
                  functieCode: functieCodes[t.code % functieCodes.length],
                  instelling: t.instelling ?? undefined,
                }),
            zorgkantoor: t.zorgkantoor,
            leveringsvorm: t.leveringsvorm,
            toewijzingsdatum: t.toewijzingsdatum,
            toewijzingstijd: t.toewijzingstijd,
            ingangsdatum: t.ingangsdatum,
            einddatum: t.duration === undefined ? undefined : addDays(t.ingangsdatum, t.duration),
            redenIntrekking: t.redenIntrekking,
          }));
          const xml = buildAw33({ ...o, toewijzingen });
          expectXsdValid('AW33', xml);
          const r = parseXmlMessage(xml);
          if (!r.ok) throw new Error(`${r.error.code}: ${r.error.reason}`);
          const facts = r.message.facts as WlzZorgtoewijzingFact[];
          // Functies come after the ZZPs in the message (XSD order).
          const expected = [
            ...toewijzingen.filter((t) => t.zzpCode),
            ...toewijzingen.filter((t) => !t.zzpCode),
          ];
          expect(
            facts.map((f) => [
              f.code,
              f.instelling,
              f.version,
              f.ingangsdatum,
              f.einddatum,
              f.redenIntrekking,
            ]),
          ).toEqual(
            expected.map((t) => [
              t.zzpCode ?? t.functieCode,
              t.instelling ?? o.aanbieder,
              `${t.toewijzingsdatum}T${t.toewijzingstijd}`,
              t.ingangsdatum,
              t.einddatum,
              t.redenIntrekking ?? undefined,
            ]),
          );
          expect(facts.map((f) => f.leveringsvorm)).toEqual(
            expected.map((t) => (t.zzpCode ? t.leveringsvorm : '')),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('buildWmo301', () => {
  it('is XSD-valid and round-trips, for a spread of options', () => {
    const product = fc.record({
      toewijzingnummer: fc.integer({ min: 0, max: 999_999_999 }),
      withProduct: fc.boolean(),
      productcategorie: codeOf(PRODUCTCATEGORIE),
      productcode: fc.option(fc.stringMatching(/^[0-9A-Z]{1,5}$/), { nil: null }),
      toewijzingsdatum: date,
      toewijzingstijd: time,
      ingangsdatum: date,
      duration: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
      redenWijziging: fc.option(codeOf(REDEN_WIJZIGING), { nil: null }),
      budget: fc.integer({ min: 0, max: 99_999_999 }),
      commentaar: fc.option(naam, { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.record({
          identificatie,
          dagtekening: date,
          gemeente: fc.stringMatching(/^[0-9]{4}$/),
          aanbieder: agb,
          prefixes,
          bsn,
          achternaam: naam,
          contacten,
        }),
        fc.uniqueArray(product, { minLength: 1, maxLength: 4, selector: (p) => p.toewijzingnummer }),
        (o, ps) => {
          const producten = ps.map((p) => ({
            ...p,
            productcategorie: p.withProduct ? p.productcategorie : null,
            omvang: p.withProduct ? { volume: 2, eenheid: '04', frequentie: '2' } : null,
            budget: p.withProduct ? null : p.budget,
            einddatum: p.duration === undefined ? undefined : addDays(p.ingangsdatum, p.duration),
          }));
          const xml = buildWmo301({ ...o, producten });
          expectXsdValid('WMO301', xml);
          const r = parseXmlMessage(xml);
          if (!r.ok) throw new Error(`${r.error.code}: ${r.error.reason}`);
          const facts = r.message.facts as WmoToewijzingFact[];
          expect(
            facts.map((f) => [f.key, f.version, f.productcategorie, f.einddatum, f.budget, f.commentaar]),
          ).toEqual(
            producten.map((p) => [
              `wmo:${o.gemeente}:${p.toewijzingnummer}`,
              `${p.toewijzingsdatum}T${p.toewijzingstijd}`,
              p.productcategorie ?? '',
              p.einddatum,
              p.budget === null ? undefined : String(p.budget),
              p.commentaar ?? undefined,
            ]),
          );
          expect(facts.every((f) => f.client.bsn === o.bsn && f.aanbieder === o.aanbieder)).toBe(true);
          expect(facts[0]?.client.contactgegevens?.length).toBe(o.contacten?.length ?? 1);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('buildNetwerkmodelEvent and buildCsv', () => {
  it('produce input the parsers accept', () => {
    const e = parseNetwerkmodelEvent(buildNetwerkmodelEvent({ bsn: validBsn(77), zzps: ['880', '882'] }));
    expect(e.ok && e.message.facts[0]?.client.bsn).toBe(validBsn(77));
    const csv = parseCsv(
      '0384',
      buildCsv([{ bsn: validBsn(78), soort: 'aanvraag', achternaam: 'Quote "; test' }], {
        bom: true,
        crlf: true,
      }),
      'f.csv',
    );
    expect(csv.ok && csv.rows[0]?.ok && csv.rows[0].fact.client.naam?.achternaam).toBe('Quote "; test');
  });
});
