/** The WMO301 that ends a wlz-voorliggende toewijzing: dates, OP087, IV013/IV097/IV099, XSD. */
import type { Fact, WmoToewijzingFact } from '../../../services/domain/facts';
import { evaluate } from './rendered';
import {
  AANBIEDER,
  AANBIEDER2,
  BSN,
  ctx,
  GEMEENTE,
  GEMEENTE2,
  indicatie,
  toewijzing,
  zorgtoewijzing,
} from './factories';
import { beeindigingen, events, parseWmo301, product, wmo301Problems } from './helpers';

const auto = (today = '2026-03-02') =>
  ctx({ today, policies: { [GEMEENTE]: 'automatisch', [GEMEENTE2]: 'automatisch' } });
const wmo = (facts: Fact[]) => facts.filter((f): f is WmoToewijzingFact => f.type === 'wmo-toewijzing');

describe('beëindiging: Einddatum', () => {
  it('is the day before the zorgtoewijzing starts', () => {
    const facts = [indicatie(), zorgtoewijzing({ ingangsdatum: '2026-04-01' }), toewijzing()];
    const [bericht, ...rest] = beeindigingen(evaluate(BSN, facts, undefined, auto()).outputs);
    expect(rest).toEqual([]);
    expect(wmo301Problems(bericht!, wmo(facts))).toEqual([]);
    expect(product(bericht!, '123456')).toMatchObject({ einddatum: '2026-03-31', redenWijziging: '06' });
  });

  it('is today when the Wlz care started in the past (never retroactive)', () => {
    const facts = [
      indicatie({ ingangsdatum: '2025-10-01' }),
      zorgtoewijzing({ ingangsdatum: '2025-11-01' }),
      toewijzing(),
    ];
    const [bericht] = beeindigingen(evaluate(BSN, facts, undefined, auto('2026-03-02')).outputs);
    expect(product(bericht!, '123456')).toMatchObject({ einddatum: '2026-03-02' });
    expect(wmo301Problems(bericht!, wmo(facts))).toEqual([]);
  });

  it('Dagtekening is today; Toewijzingsdatum/-tijd are the moment of the change (IV013)', () => {
    const facts = [indicatie(), zorgtoewijzing(), toewijzing()];
    const c = { ...auto(), now: '2026-03-02T14:05:09+01:00' };
    const [bericht] = beeindigingen(evaluate(BSN, facts, undefined, c).outputs);
    const m = parseWmo301(bericht!.value!);
    expect(m.dagtekening).toBe('2026-03-02');
    expect(m.producten[0]).toMatchObject({ toewijzingsdatum: '2026-03-02', toewijzingstijd: '14:05:09' });
    expect(m.identificatie).toMatch(/^SL[A-Z2-7]{10}$/);
  });
});

describe('beëindiging: OP087, IV097, IV099', () => {
  const facts: Fact[] = [
    indicatie(),
    zorgtoewijzing(),
    toewijzing({ extra: { ReferentieAanbieder: 'VOT-1' } }), // 01: ended
    toewijzing({
      toewijzingnummer: '200',
      productcategorie: '14',
      productcode: '14A01',
      extra: { ReferentieAanbieder: 'VOT-2' },
    }), // same aanbieder, allowed
    toewijzing({
      toewijzingnummer: '201',
      productcategorie: '08',
      productcode: '08A01',
      einddatum: undefined,
      omvang: undefined,
      budget: '15000',
      commentaar: 'regiotaxi',
    }),
    toewijzing({
      toewijzingnummer: '202',
      productcategorie: '14',
      productcode: '14A02',
      einddatum: '2026-02-28',
    }), // ended: not actueel
    toewijzing({
      toewijzingnummer: '203',
      productcategorie: '14',
      productcode: '14A02',
      redenWijziging: '13',
      ingangsdatum: '2026-01-01',
      einddatum: '2026-01-01',
    }),
    toewijzing({
      toewijzingnummer: '300',
      aanbieder: AANBIEDER2,
      productcategorie: '14',
      productcode: '14A01',
    }), // other aanbieder
    toewijzing({
      gemeente: GEMEENTE2,
      toewijzingnummer: '400',
      productcategorie: '14',
      productcode: '14A01',
    }), // other gemeente, same aanbieder
  ];
  // budget without einddatum breaks CD075: give 201 an einddatum
  (facts[4] as WmoToewijzingFact).einddatum = '2026-12-31';

  const r = evaluate(BSN, facts, undefined, auto());
  const berichten = beeindigingen(r.outputs);

  it('sends one WMO301, valid against the XSD and the rules it does not check', () => {
    expect(berichten).toHaveLength(1);
    expect(wmo301Problems(berichten[0]!, wmo(facts))).toEqual([]);
  });

  it('holds the other actuele toewijzingen of this gemeente at this aanbieder, unchanged', () => {
    const m = parseWmo301(berichten[0]!.value!);
    expect(m.producten.map((p) => p.toewijzingnummer)).toEqual(['200', '201', '123456']);
    expect(product(berichten[0]!, '200')).toEqual({
      toewijzingnummer: '200',
      referentieAanbieder: 'VOT-2',
      productcategorie: '14',
      productcode: '14A01',
      toewijzingsdatum: '2025-12-01',
      toewijzingstijd: '09:00:00',
      ingangsdatum: '2026-01-01',
      einddatum: '2026-12-31',
      omvang: { volume: '3', eenheid: '04', frequentie: '2' },
    });
    expect(product(berichten[0]!, '201')).toMatchObject({ budget: '15000', commentaar: 'regiotaxi' });
    expect(product(berichten[0]!, '201')?.redenWijziging).toBeUndefined();
  });

  it('the changed toewijzing: RedenWijziging 06, new Toewijzingsdatum/-tijd, no ReferentieAanbieder, rest unchanged', () => {
    expect(product(berichten[0]!, '123456')).toEqual({
      toewijzingnummer: '123456',
      productcategorie: '01',
      productcode: '01A01',
      toewijzingsdatum: '2026-03-02',
      toewijzingstijd: '09:15:00',
      ingangsdatum: '2026-01-01',
      einddatum: '2026-03-31',
      redenWijziging: '06',
      omvang: { volume: '3', eenheid: '04', frequentie: '2' },
      commentaar: 'Einddatum gewijzigd door de gemeente',
    });
  });

  it('goes to the aanbieder (key = AGB) on the gemeente’s channel', () => {
    expect(berichten[0]).toMatchObject({
      channel: 'beeindigingen',
      gemeente: GEMEENTE,
      key: AANBIEDER,
      contentType: 'application/xml',
    });
  });

  it('two beëindigingen at one aanbieder in one step: one WMO301 with both changes (OP087, IV099)', () => {
    const twee = [
      indicatie(),
      zorgtoewijzing(),
      toewijzing(),
      toewijzing({ toewijzingnummer: '500', productcategorie: '02', productcode: '02A01' }),
    ];
    const r = evaluate(BSN, twee, undefined, auto());
    const out = beeindigingen(r.outputs);
    expect(out).toHaveLength(1);
    expect(wmo301Problems(out[0]!, wmo(twee))).toEqual([]);
    for (const nr of ['123456', '500']) {
      expect(product(out[0]!, nr)).toMatchObject({
        einddatum: '2026-03-31',
        redenWijziging: '06',
        toewijzingsdatum: '2026-03-02',
        toewijzingstijd: '09:15:00',
      });
    }
    // both beëindigingen name the one message they went out in
    const ids = Object.values(r.state.beeindigingen).flatMap((b) => b.berichten.map((m) => m.id));
    expect(ids).toEqual([out[0]!.id, out[0]!.id]);
    // the same step again (a redelivery) gives the same message
    expect(beeindigingen(evaluate(BSN, twee, undefined, auto()).outputs)[0]!.id).toBe(out[0]!.id);
  });

  it('many toewijzingen at one aanbieder: one WMO301 per step, not one per toewijzing', () => {
    const veel = [
      indicatie(),
      zorgtoewijzing(),
      ...Array.from({ length: 40 }, (_, i) => toewijzing({ toewijzingnummer: String(1000 + i) })),
    ];
    const out = beeindigingen(evaluate(BSN, veel, undefined, auto()).outputs);
    expect(out).toHaveLength(1);
    expect(parseWmo301(out[0]!.value!).producten).toHaveLength(40);
    expect(wmo301Problems(out[0]!, wmo(veel))).toEqual([]);
  });

  it('a later beëindiging at the same aanbieder re-sends the earlier one as the aanbieder now knows it', () => {
    const eerst = [indicatie(), zorgtoewijzing(), toewijzing()];
    const first = evaluate(BSN, eerst, undefined, auto());
    const later = [
      ...eerst,
      toewijzing({ toewijzingnummer: '500', productcategorie: '02', productcode: '02A01' }),
    ];
    const out = beeindigingen(evaluate(BSN, later, first.state, auto()).outputs);
    expect(out).toHaveLength(1);
    expect(wmo301Problems(out[0]!, wmo(later))).toEqual([]);
    expect(product(out[0]!, '123456')).toMatchObject({ einddatum: '2026-03-31' });
    expect(product(out[0]!, '123456')?.redenWijziging).toBeUndefined();
    expect(product(out[0]!, '500')).toMatchObject({ einddatum: '2026-03-31', redenWijziging: '06' });
  });
});

describe('after the beëindiging was sent', () => {
  const facts = [indicatie(), zorgtoewijzing(), toewijzing()];
  const first = evaluate(BSN, facts, undefined, auto());

  it('the gemeente’s copy of our WMO301 coming back closes the signal (resolved), and sends nothing', () => {
    const echo = toewijzing({
      version: '2026-03-02T09:15:00',
      toewijzingsdatum: '2026-03-02',
      toewijzingstijd: '09:15:00',
      einddatum: '2026-03-31',
      redenWijziging: '06',
    });
    const echoFacts = [indicatie(), zorgtoewijzing(), echo];
    const r = evaluate(BSN, echoFacts, first.state, auto());
    expect(beeindigingen(r.outputs)).toEqual([]);
    expect(events(r.outputs).map((e) => [e.type, e.data.reden, e.data.beeindiging?.status])).toEqual([
      ['nl.samenloop.vervallen', 'wmo-eindigt-voor-wlz', 'verzonden'],
    ]);
    expect(evaluate(BSN, echoFacts, r.state, auto()).outputs).toEqual([]);
  });

  it('when the Wlz care started in the past, the copy (ending today) updates the signal until tomorrow', () => {
    const past = [indicatie({ ingangsdatum: '2025-10-01' }), zorgtoewijzing({ ingangsdatum: '2025-11-01' })];
    const s = evaluate(BSN, [...past, toewijzing()], undefined, auto());
    const echo = toewijzing({
      version: '2026-03-02T09:15:00',
      einddatum: '2026-03-02',
      redenWijziging: '06',
    });
    const r = evaluate(BSN, [...past, echo], s.state, auto());
    expect(events(r.outputs).map((e) => [e.type, e.data.wmo.einddatum, e.data.beeindiging?.status])).toEqual([
      ['nl.samenloop.signaal', '2026-03-02', 'verzonden'],
    ]);
    expect(beeindigingen(r.outputs)).toEqual([]);
    const morgen = evaluate(BSN, [...past, echo], r.state, auto('2026-03-03'));
    expect(events(morgen.outputs).map((e) => [e.type, e.data.reden])).toEqual([
      ['nl.samenloop.vervallen', 'wmo-beeindigd'],
    ]);
  });

  it('once its Einddatum has passed, the signal is withdrawn (wmo-beeindigd) and nothing is corrected', () => {
    const echo = toewijzing({
      version: '2026-03-02T09:15:00',
      einddatum: '2026-03-31',
      redenWijziging: '06',
    });
    const r = evaluate(BSN, [indicatie(), zorgtoewijzing(), echo], first.state, auto('2026-04-01'));
    expect(beeindigingen(r.outputs)).toEqual([]);
    const [ev] = events(r.outputs);
    expect(ev).toMatchObject({
      type: 'nl.samenloop.vervallen',
      data: { reden: 'wmo-beeindigd', beeindiging: { status: 'verzonden' } },
    });
  });

  it('is sent once: re-evaluating the same facts sends nothing', () => {
    expect(evaluate(BSN, facts, first.state, auto()).outputs).toEqual([]);
    expect(evaluate(BSN, facts, first.state, auto('2026-03-10')).outputs).toEqual([]);
  });

  it('the same evaluation gives the same message ids', () => {
    expect(evaluate(BSN, facts, undefined, auto()).outputs.map((o) => o.id)).toEqual(
      first.outputs.map((o) => o.id),
    );
  });
});

describe('WMO301 without the client’s contact data', () => {
  it('still validates against the XSD (TR061, TR006 and CD034 need the address from the gemeente’s WMO301)', () => {
    const kaal = toewijzing({ client: { bsn: BSN } });
    const facts = [zorgtoewijzing({ client: { bsn: BSN } }), kaal];
    const [bericht] = beeindigingen(evaluate(BSN, facts, undefined, auto()).outputs);
    const problems = wmo301Problems(bericht!, wmo(facts));
    expect(problems.filter((p) => !/^(TR061|TR006|CD034):/.test(p))).toEqual([]);
    expect(problems.some((p) => p.startsWith('TR061'))).toBe(true);
    expect(parseWmo301(bericht!.value!).client.naam?.achternaam).toBe('Onbekend');
  });
});
