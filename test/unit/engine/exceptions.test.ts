/** The exceptions and counting rules, hand-written, on decide() and evaluate(). */
import type { Fact } from '../../../services/domain/facts';
import { decide, evaluate } from './rendered';
import { OVERGANGSRECHT } from '../../../services/rules';
import { aanvraag, BSN, client, ctx, indicatie, toewijzing, TODAY, zorgtoewijzing } from './factories';
import { events } from './helpers';

const hh = toewijzing(); // 01 hulp bij het huishouden, 2026-01-01 .. 2026-12-31
const one = (facts: Fact[], today = TODAY) => {
  const ds = decide(facts, today);
  expect(ds.length).toBeLessThanOrEqual(1);
  return ds[0];
};

describe('partnerverblijf (ZzpCode 999)', () => {
  it('an indicatie with only 999 gives no signal at all', () => {
    expect(decide([indicatie({ zzp: '999' }), hh], TODAY)).toEqual([]);
  });

  it('nor does a zorgtoewijzing for 999, even with Verblijf', () => {
    const facts = [indicatie({ zzp: '999' }), zorgtoewijzing({ code: '999', leveringsvorm: '4' }), hh];
    expect(decide(facts, TODAY)).toEqual([]);
    expect(evaluate(BSN, facts, undefined, ctx()).outputs).toEqual([]);
  });

  it('nor a regular zorgtoewijzing under a partnerverblijf indicatie', () => {
    expect(decide([indicatie({ zzp: '999' }), zorgtoewijzing(), hh], TODAY)).toEqual([]);
  });

  it('a 999 zorgtoewijzing without its indicatie in the register does not count either', () => {
    expect(decide([zorgtoewijzing({ code: '999', leveringsvorm: '4' }), hh], TODAY)).toEqual([]);
  });
});

describe('overgangsrecht laag zorgprofiel', () => {
  const laag = [
    ...OVERGANGSRECHT.altijd.map((c) => [c, '2016-05-01'] as const),
    ...OVERGANGSRECHT.alleenVanaf18.codes.map((c) => [c, '2016-05-01'] as const),
    ...OVERGANGSRECHT.alleenAfgegevenVoor.codes.map((c) => [c, '2014-12-31'] as const),
  ];

  it.each(laag)('%s (afgegeven %s) without a zorgtoewijzing: no samenloop', (zzp, afgiftedatum) => {
    expect(decide([indicatie({ zzp, afgiftedatum }), hh], TODAY)).toEqual([]);
  });

  it.each(laag)(
    '%s (afgegeven %s) with a zorgtoewijzing: the normal rules from its ingangsdatum',
    (zzp, afgiftedatum) => {
      const d = one([
        indicatie({ zzp, afgiftedatum }),
        zorgtoewijzing({ code: zzp, leveringsvorm: '7' }),
        hh,
      ]);
      expect(d).toMatchObject({ beoordeling: 'wlz-voorliggend', regel: { id: 'SL-01-MPT' } });
      expect(d!.voorstel?.einddatum).toBe('2026-03-31');
      expect(d!.wlz.woonsituatie).toBe('thuis');
    },
  );

  it.each(OVERGANGSRECHT.alleenAfgegevenVoor.codes)(
    '%s issued in 2015 or later is a regular indicatie',
    (zzp) => {
      expect(one([indicatie({ zzp, afgiftedatum: '2015-01-01' }), hh])).toMatchObject({
        beoordeling: 'beoordelen',
        regel: { id: 'SL-01-GEEN' },
      });
    },
  );

  it.each(['800', '802'])(
    '%s (VG1/VG2) of a client under 18 on the Afgiftedatum is a regular Wlz indicatie; 18 or older: overgangsrecht',
    (zzp) => {
      const kind = { ...client(), geboortedatum: '2010-05-01' };
      const jong = indicatie({ zzp, afgiftedatum: '2026-01-15', client: kind });
      expect(one([jong, hh])).toMatchObject({ beoordeling: 'beoordelen', regel: { id: 'SL-01-GEEN' } });
      const volwassen = { ...client(), geboortedatum: '2008-01-15' };
      expect(decide([indicatie({ zzp, client: volwassen }), hh], TODAY)).toEqual([]);
      const onbekend = client();
      delete onbekend.geboortedatum;
      expect(decide([indicatie({ zzp, client: onbekend }), hh], TODAY)).toEqual([]);
    },
  );

  it('a toewijzing that ends before the zorgtoewijzing starts is no samenloop', () => {
    const w = toewijzing({ einddatum: '2026-03-31' });
    expect(decide([indicatie({ zzp: '750' }), zorgtoewijzing({ code: '750' }), w], TODAY)).toEqual([]);
  });
});

describe('zorgtoewijzing: ended and withdrawn', () => {
  it('withdrawn before it began (RedenIntrekking, Einddatum = Ingangsdatum) never counted: the indicatie alone decides', () => {
    const z = zorgtoewijzing({ einddatum: '2026-04-01', redenIntrekking: '5' });
    expect(one([indicatie(), z, hh])).toMatchObject({
      beoordeling: 'beoordelen',
      regel: { id: 'SL-01-GEEN' },
    });
  });

  it('withdrawn later counts for the period it was valid', () => {
    const z = zorgtoewijzing({ einddatum: '2026-05-31', redenIntrekking: '5', leveringsvorm: '4' });
    const d = one([indicatie(), z, toewijzing({ productcategorie: '11', productcode: '11A01' })]);
    expect(d).toMatchObject({ beoordeling: 'wlz-voorliggend', regel: { id: 'SL-11-VERBLIJF' } });
  });

  it('a zorgtoewijzing that ended before today no longer counts', () => {
    const z = zorgtoewijzing({ ingangsdatum: '2026-01-20', einddatum: '2026-02-28', leveringsvorm: '4' });
    expect(
      decide([indicatie(), z, toewijzing({ productcategorie: '11', productcode: '11A01' })], TODAY),
    ).toEqual([]);
  });

  it('a zorgtoewijzing without its indicatie in the register counts on its own', () => {
    const d = one([zorgtoewijzing(), hh]);
    expect(d).toMatchObject({
      beoordeling: 'wlz-voorliggend',
      wlz: { afgiftedatum: null, woonsituatie: 'thuis' },
    });
  });

  it('a zorgtoewijzing counts only within its indicatie (an ended indicatie ends it)', () => {
    const ind = indicatie({ einddatum: '2026-03-15' });
    const d = one([
      ind,
      zorgtoewijzing({ ingangsdatum: '2026-03-01' }),
      toewijzing({ ingangsdatum: '2026-03-20' }),
    ]);
    expect(d).toBeUndefined();
  });
});

describe('indicatie: verwijderd, vervallen, ended', () => {
  it("'verwijderd' never counted, not even with a zorgtoewijzing", () => {
    expect(decide([indicatie({ status: 'verwijderd' }), zorgtoewijzing(), hh], TODAY)).toEqual([]);
  });

  it("'vervallen' counts until (not including) its vervaldatum", () => {
    const ind = indicatie({ status: 'vervallen', vervaldatum: '2026-06-01' });
    expect(one([ind, hh])).toMatchObject({ beoordeling: 'beoordelen', wlz: { einddatum: '2026-05-31' } });
    expect(decide([ind, toewijzing({ ingangsdatum: '2026-06-01' })], TODAY)).toEqual([]);
    expect(decide([indicatie({ status: 'vervallen', vervaldatum: TODAY }), hh], TODAY)).toEqual([]);
    expect(decide([indicatie({ status: 'vervallen' }), hh], TODAY)).toEqual([]);
  });

  it('an indicatie that ended before today no longer counts', () => {
    expect(decide([indicatie({ ingangsdatum: '2025-01-01', einddatum: '2026-03-01' }), hh], TODAY)).toEqual(
      [],
    );
  });
});

describe('Wmo toewijzingen and aanvragen', () => {
  it('a toewijzing with Einddatum before today is not actueel: no signal', () => {
    expect(decide([indicatie(), zorgtoewijzing(), toewijzing({ einddatum: '2026-03-01' })], TODAY)).toEqual(
      [],
    );
  });

  it('a toewijzing ending today is still actueel, but nothing is left to end', () => {
    const d = one([
      indicatie({ ingangsdatum: '2025-01-01' }),
      zorgtoewijzing({ ingangsdatum: '2026-02-01' }),
      toewijzing({ einddatum: TODAY }),
    ]);
    expect(d).toMatchObject({ beoordeling: 'wlz-voorliggend' });
    expect(d!.voorstel).toBeUndefined();
  });

  it('RedenWijziging 13 (verwijderd): never existed, and retracts its earlier signal', () => {
    expect(
      decide([indicatie(), toewijzing({ redenWijziging: '13', einddatum: '2026-01-01' })], TODAY),
    ).toEqual([]);
    const first = evaluate(BSN, [indicatie(), hh], undefined, ctx());
    expect(events(first.outputs).map((e) => e.type)).toEqual(['nl.samenloop.signaal']);
    const weg = toewijzing({ redenWijziging: '13', einddatum: '2026-01-01', version: '2026-03-01T10:00:00' });
    const second = evaluate(BSN, [indicatie(), weg], first.state, ctx());
    const [ev] = events(second.outputs);
    expect(ev).toMatchObject({
      type: 'nl.samenloop.vervallen',
      subject: 'wmo-toewijzing/0363/123456',
      data: { reden: 'wmo-verwijderd' },
    });
    expect(second.outputs).toHaveLength(1);
  });

  it('a toewijzing that starts after the Wlz care is signalled, but no beëindiging is proposed (verwijderen is the gemeente’s call)', () => {
    const d = one([indicatie(), zorgtoewijzing(), toewijzing({ ingangsdatum: '2026-05-01' })]);
    expect(d).toMatchObject({ beoordeling: 'wlz-voorliggend' });
    expect(d!.voorstel).toBeUndefined();
  });

  it('an aanvraag is signalled (soort aanvraag) and never gets a beëindiging', () => {
    const d = one([indicatie(), zorgtoewijzing(), aanvraag()]);
    expect(d).toMatchObject({
      referentie: 'wmo-aanvraag/0363/A-1',
      beoordeling: 'wlz-voorliggend',
      wmo: { soort: 'aanvraag', aanvraagId: 'A-1', toewijzingnummer: null },
    });
    expect(d!.voorstel).toBeUndefined();
    const r = evaluate(
      BSN,
      [indicatie(), zorgtoewijzing(), aanvraag()],
      undefined,
      ctx({ policies: { '0363': 'automatisch' } }),
    );
    expect(r.outputs.map((o) => o.channel)).toEqual(['samenloop']);
  });

  it('an aanvraag without productcategorie: beoordelen (SL-ONBEKEND); an ended one: nothing', () => {
    expect(one([indicatie(), aanvraag({ productcategorie: undefined })])).toMatchObject({
      regel: { id: 'SL-ONBEKEND' },
    });
    expect(decide([indicatie(), aanvraag({ einddatum: '2026-02-01' })], TODAY)).toEqual([]);
  });

  it('the strongest rule wins when several Wlz periods overlap: Verblijf beats the indicatie alone', () => {
    const rolstoel = toewijzing({ productcategorie: '11', productcode: '11A01' });
    const d = one([
      indicatie(),
      zorgtoewijzing({ leveringsvorm: '5' }),
      zorgtoewijzing({ leveringsvorm: '4', ingangsdatum: '2026-07-01' }),
      rolstoel,
    ]);
    expect(d).toMatchObject({ regel: { id: 'SL-11-VERBLIJF' }, voorstel: { einddatum: '2026-06-30' } });
  });
});
