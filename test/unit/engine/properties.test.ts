/**
 * Properties of the engine over random fact sets of one client (fast-check):
 * (a) idempotence, and order independence of the final decisions;
 * (b) a gemeente folding its notifications ends with the engine's final decisions;
 * and every output is well-formed and reaches only its own gemeente.
 */
import fc from 'fast-check';
import type { Fact, WmoToewijzingFact } from '../../../services/domain/facts';
import { decide, evaluate, type EngineState, type Output, type Policy } from './rendered';
import { volgendeDag } from '../../../services/engine/dagen';
import { addDays } from '../../../services/domain/dates';
import {
  aanvraag,
  BSN,
  ctx,
  indicatie,
  toewijzing,
  zorgtoewijzing,
  AANBIEDER,
  AANBIEDER2,
  GEMEENTE,
  GEMEENTE2,
} from './factories';
import { events, parseWmo301, wmo301Problems } from './helpers';
import { op087Violations, wmo301Violations } from '../../../services/messages/wmo301-rules';

const DATES = ['2025-06-01', '2026-01-01', '2026-03-01', '2026-03-02', '2026-04-01', '2026-06-30'];
const date = fc.constantFrom(...DATES);
const END_DATES = ['2026-03-01', '2026-03-02', '2026-04-01', '2026-06-30', '2027-01-01', '2027-12-31'];
const period = fc
  .tuple(date, fc.option(fc.constantFrom(...END_DATES), { nil: undefined, freq: 3 }))
  .map(([a, b]) => (b === undefined ? { start: a } : a <= b ? { start: a, eind: b } : { start: b, eind: a }));
const BESLUITEN = ['100000001', '100000002', '100000003'];

const indicatieArb = fc
  .record({
    besluitnummer: fc.constantFrom(...BESLUITEN.slice(0, 2)),
    zzp: fc.constantFrom('755', '999', '750', '820', '804'),
    afgiftedatum: fc.constantFrom('2014-06-01', '2025-06-01'),
    periode: period,
    status: fc.constantFrom('actueel', 'actueel', 'actueel', 'verwijderd', 'vervallen'),
    vervaldatum: fc.option(date, { nil: undefined }),
  })
  .map((r) =>
    indicatie({
      besluitnummer: r.besluitnummer,
      zzp: r.zzp,
      afgiftedatum: r.afgiftedatum,
      ingangsdatum: r.periode.start,
      einddatum: r.periode.eind,
      status: r.status as 'actueel',
      vervaldatum: r.status === 'vervallen' ? r.vervaldatum : undefined,
    }),
  );

/** COD172: 1 overleden, 2 negatief besluit, 3/5/8 vormwijziging, 6 uitstroom; mostly none. */
const REDENEN = [undefined, undefined, undefined, '5', '5', '1', '2', '3', '6', '8'];

const zorgtoewijzingArb = fc
  .record({
    besluitnummer: fc.constantFrom(BESLUITEN[0]!, BESLUITEN[0]!, BESLUITEN[1]!, BESLUITEN[2]!),
    code: fc.constantFrom('755', '755', '999', '750', 'F21', 'F82', 'F41'),
    leveringsvorm: fc.constantFrom('2', '4', '5', '7', '8', '9', '3'),
    periode: period,
    reden: fc.constantFrom(...REDENEN),
  })
  .map((r) =>
    zorgtoewijzing({
      besluitnummer: r.besluitnummer,
      ...(r.code.startsWith('F')
        ? { soort: 'functie' as const, code: r.code.slice(1), leveringsvorm: '' }
        : { code: r.code, leveringsvorm: r.leveringsvorm }),
      ingangsdatum: r.periode.start,
      einddatum: r.periode.eind,
      redenIntrekking: r.reden !== undefined && r.periode.eind !== undefined ? r.reden : undefined,
    }),
  );

const CATEGORIEEN = [...Array(18)].map((_, i) => String(i + 1).padStart(2, '0'));
const categorieArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('01', '02', '11', '15') },
  fc.constantFrom(...CATEGORIEEN),
);

/**
 * A ToewijzingNummer stands for one product at one aanbieder (iWmo: another product or aanbieder is a new
 * toewijzing), so the catalogue fixes those per gemeente + nummer; versions vary the period and RedenWijziging.
 */
const NUMMERS = ['1', '2', '3', '4', '5'];
const catalogueArb = fc.array(fc.tuple(categorieArb, fc.constantFrom(AANBIEDER, AANBIEDER2)), {
  minLength: 2 * NUMMERS.length,
  maxLength: 2 * NUMMERS.length,
});

const toewijzingArb = (catalogue: Array<[string, string]>) =>
  fc
    .record({
      gemeente: fc.constantFrom(0, 1),
      nummer: fc.constantFrom(...NUMMERS.keys()),
      periode: period,
      verwijderd: fc.boolean(),
    })
    .map((r) => {
      const [categorie, aanbieder] = catalogue[r.gemeente * NUMMERS.length + r.nummer]!;
      return toewijzing({
        gemeente: [GEMEENTE, GEMEENTE2][r.gemeente]!,
        toewijzingnummer: NUMMERS[r.nummer]!,
        aanbieder,
        productcategorie: categorie,
        productcode: `${categorie}A01`,
        ingangsdatum: r.periode.start,
        // Frequentie 2 needs an Einddatum (CD076): open-ended ones get a total
        einddatum: r.verwijderd ? r.periode.start : r.periode.eind,
        omvang: {
          volume: '3',
          eenheid: '04',
          frequentie: r.periode.eind === undefined && !r.verwijderd ? '6' : '2',
        },
        redenWijziging: r.verwijderd ? '13' : undefined,
      });
    });

const aanvraagArb = fc
  .record({
    gemeente: fc.constantFrom(GEMEENTE, GEMEENTE2),
    id: fc.constantFrom('A-1', 'A-2'),
    categorie: fc.option(categorieArb, { nil: undefined }),
    start: date,
  })
  .map((r) =>
    aanvraag({
      gemeente: r.gemeente,
      aanvraagId: r.id,
      productcategorie: r.categorie,
      ingangsdatum: r.start,
    }),
  );

/**
 * Facts as they arrive: several versions of one fact key may come (a later version replaces the earlier one:
 * a correction, an intrekking, a verwijderde indicatie). Each fact gets a unique version, so "latest version
 * per key" — what the register hands the engine — does not depend on the order of arrival.
 */
const arrivalsArb: fc.Arbitrary<Fact[]> = catalogueArb
  .chain((catalogue) =>
    fc.tuple(
      fc.array(indicatieArb, { maxLength: 3 }),
      fc.array(zorgtoewijzingArb, { maxLength: 3 }),
      fc.array(toewijzingArb(catalogue), { maxLength: 5 }),
      fc.array(aanvraagArb, { maxLength: 2 }),
    ),
  )
  .map((xs) =>
    xs.flat().map((f: Fact, i): Fact => {
      const version = `v${String(i).padStart(3, '0')}`;
      // a later version of a Wmo toewijzing was fixed later (IV013), still before today
      if (f.type === 'wmo-toewijzing')
        return { ...f, version, toewijzingstijd: `09:00:${String(i).padStart(2, '0')}` };
      return { ...f, version };
    }),
  );

/** The register: the latest version of each fact key. */
function register(arrived: readonly Fact[]): Fact[] {
  const latest = new Map<string, Fact>();
  for (const f of arrived) {
    const had = latest.get(f.key);
    if (!had || f.version > had.version) latest.set(f.key, f);
  }
  return [...latest.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

const factsArb = arrivalsArb.map(register);

const todayArb = fc.constantFrom('2026-03-02', '2026-04-01', '2026-07-01');
const policyArb = fc.constantFrom<Policy>('voorstel', 'automatisch', 'alleen-signaal');

const context = (today: string, policy: Policy) =>
  ctx({ today, policies: { [GEMEENTE]: policy, [GEMEENTE2]: policy } });

/** The decision view: reference → what the gemeente was told last. */
const view = (s: EngineState) => Object.fromEntries(Object.entries(s.decisions).map(([k, v]) => [k, v.data]));
const withoutBeeindiging = (v: Record<string, { beeindiging?: unknown }>) =>
  Object.fromEntries(Object.entries(v).map(([k, d]) => [k, { ...d, beeindiging: undefined }]));

/** Each arrival is evaluated with the register content so far, as the shell does; each step's outputs are checked. */
function feedOneByOne(order: Fact[], today: string, policy: Policy) {
  let state = evaluate(BSN, [], undefined, context(today, policy)).state;
  const outputs: Output[] = [];
  for (let i = 1; i <= order.length; i++) {
    const facts = register(order.slice(0, i));
    const r = evaluate(BSN, facts, state, context(today, policy));
    checkOutputs(r.outputs, facts);
    state = r.state;
    outputs.push(...r.outputs);
  }
  return { state, outputs };
}

/** Every output reaches only the gemeente whose Wmo fact it is about, and is well-formed (schema, WMO301 rules, OP087). */
function checkOutputs(outputs: readonly Output[], facts: readonly Fact[]) {
  events(outputs); // schema + envelope
  const wmo = facts.filter((f): f is WmoToewijzingFact => f.type === 'wmo-toewijzing');
  for (const o of outputs) {
    if (o.channel === 'samenloop') {
      const ev = JSON.parse(o.value!);
      expect(ev.data.gemeente).toBe(o.gemeente);
      expect(ev.subject.split('/')[1]).toBe(o.gemeente);
      expect(
        facts.some(
          (f) => (f.type === 'wmo-toewijzing' || f.type === 'wmo-aanvraag') && f.gemeente === o.gemeente,
        ),
      ).toBe(true);
    } else {
      const m = parseWmo301(o.value!);
      expect([...wmo301Violations(m), ...op087Violations(m, wmo)]).toEqual([]);
      expect(m.afzender).toBe(o.gemeente);
    }
  }
}

describe('properties', () => {
  it('(a) the same fact set evaluated twice: the second time produces nothing', () => {
    fc.assert(
      fc.property(factsArb, todayArb, policyArb, (facts, today, policy) => {
        const first = evaluate(BSN, facts, undefined, context(today, policy));
        checkOutputs(first.outputs, facts);
        expect(evaluate(BSN, facts, first.state, context(today, policy)).outputs).toEqual([]);
        const view1 = view(first.state);
        expect(Object.keys(view1)).toEqual(decide(facts, today).map((d) => d.referentie));
      }),
      { numRuns: 300 },
    );
  });

  it('(a) facts fed one by one in any order end with the same decisions as all at once', () => {
    fc.assert(
      fc.property(
        arrivalsArb.chain((xs) =>
          fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length })),
        ),
        todayArb,
        policyArb,
        ([arrived, order], today, policy) => {
          const facts = register(arrived);
          const all = evaluate(BSN, facts, undefined, context(today, policy));
          const step = feedOneByOne(order, today, policy);
          expect(decide(register(order), today)).toEqual(decide(facts, today));
          // with voorstel or alleen-signaal nothing irreversible happens on the way: the views are identical;
          // with automatisch a beëindiging sent on the way stays sent, so compare the decisions without it
          if (policy === 'automatisch')
            expect(withoutBeeindiging(view(step.state))).toEqual(withoutBeeindiging(view(all.state)));
          else expect(view(step.state)).toEqual(view(all.state));
          expect(evaluate(BSN, facts, step.state, context(today, policy)).outputs).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('(b) a gemeente folding its notifications (signaal = upsert, vervallen = delete) ends with the final decisions', () => {
    fc.assert(
      fc.property(
        arrivalsArb.chain((xs) => fc.shuffledSubarray(xs, { minLength: xs.length })),
        todayArb,
        policyArb,
        (order, today, policy) => {
          const step = feedOneByOne(order, today, policy);
          const folded = new Map<string, Map<string, unknown>>();
          for (const ev of events(step.outputs)) {
            const g = folded.get(ev.data.gemeente) ?? new Map<string, unknown>();
            folded.set(ev.data.gemeente, g);
            if (ev.type === 'nl.samenloop.signaal') g.set(ev.subject, ev.data);
            else if (ev.type === 'nl.samenloop.vervallen') g.delete(ev.subject);
          }
          for (const gemeente of [GEMEENTE, GEMEENTE2]) {
            const expected = Object.fromEntries(
              Object.entries(step.state.decisions)
                .filter(([, d]) => d.gemeente === gemeente)
                .map(([k, d]) => [k, d.data]),
            );
            expect(Object.fromEntries(folded.get(gemeente) ?? [])).toEqual(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a client the Wlz reports deceased gets no restoration and nothing sent without a command', () => {
    fc.assert(
      fc.property(
        arrivalsArb.chain((xs) => fc.shuffledSubarray(xs, { minLength: xs.length })),
        todayArb,
        policyArb,
        (order, today, policy) => {
          let state = evaluate(BSN, [], undefined, context(today, policy)).state;
          for (let i = 1; i <= order.length; i++) {
            const facts = register(order.slice(0, i));
            const r = evaluate(BSN, facts, state, context(today, policy));
            state = r.state;
            if (!facts.some((f) => f.type === 'wlz-zorgtoewijzing' && f.redenIntrekking === '1')) continue;
            expect(r.outputs.filter((o) => o.channel === 'beeindigingen')).toEqual([]);
            for (const ev of events(r.outputs)) {
              if (ev.type === 'nl.samenloop.signaal') expect(ev.data.beoordeling).toBe('client-overleden');
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every WMO301 sent on random input validates against the XSD', () => {
    fc.assert(
      fc.property(factsArb, todayArb, (facts, today) => {
        const { outputs } = evaluate(BSN, facts, undefined, context(today, 'automatisch'));
        const wmo = facts.filter((f): f is WmoToewijzingFact => f.type === 'wmo-toewijzing');
        for (const o of outputs.filter((x) => x.channel === 'beeindigingen'))
          expect(wmo301Problems(o, wmo)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('time passing: on no day before volgendeDag does the engine say anything new', () => {
    const DAYS = fc.integer({ min: 1, max: 800 });
    fc.assert(
      fc.property(
        arrivalsArb.chain((xs) => fc.shuffledSubarray(xs, { minLength: xs.length })),
        todayArb,
        policyArb,
        DAYS,
        (order, today, policy, offset) => {
          // the state as a running processor has it: fed one message at a time
          const { state } = feedOneByOne(order, today, policy);
          const facts = register(order);
          const next = volgendeDag(facts, state, today);
          const later = addDays(today, offset);
          const r = evaluate(BSN, facts, state, context(later, policy));
          // a day before the next date that matters: the same as today, nothing to tell anyone
          if (next === undefined || later < next) expect(r.outputs).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
