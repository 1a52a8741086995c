/** Corrections: a withdrawn or corrected Wlz fact retracts its signals and undoes a sent beëindiging (RedenWijziging 14). */
import type { Fact, WmoToewijzingFact } from '../../../services/domain/facts';
import { evaluate, type EngineContext } from './rendered';
import { BSN, ctx, GEMEENTE, indicatie, toewijzing, zorgtoewijzing } from './factories';
import { beeindigingen, events, product, wmo301Problems } from './helpers';

const auto = (today = '2026-03-02'): EngineContext => ctx({ today, policies: { [GEMEENTE]: 'automatisch' } });
const wmo = (facts: Fact[]) => facts.filter((f): f is WmoToewijzingFact => f.type === 'wmo-toewijzing');
const verwijderd = indicatie({ status: 'verwijderd', version: '2026-03-05' });

describe('indicatie verwijderd after the beëindiging was sent', () => {
  const facts = [indicatie(), zorgtoewijzing(), toewijzing()];
  const sent = evaluate(BSN, facts, undefined, auto());

  it('Einddatum not passed: vervallen + a WMO301 with RedenWijziging 14 restoring the previous Einddatum', () => {
    const after = [verwijderd, zorgtoewijzing(), toewijzing()];
    const r = evaluate(BSN, after, sent.state, auto('2026-03-06'));
    const [bericht, ...rest] = beeindigingen(r.outputs);
    expect(rest).toEqual([]);
    expect(wmo301Problems(bericht!, wmo(after))).toEqual([]);
    expect(product(bericht!, '123456')).toMatchObject({
      einddatum: '2026-12-31',
      redenWijziging: '14',
      toewijzingsdatum: '2026-03-06',
    });
    expect(product(bericht!, '123456')?.referentieAanbieder).toBeUndefined();
    expect(bericht!.id).not.toBe(beeindigingen(sent.outputs)[0]!.id);
    const [ev] = events(r.outputs);
    expect(ev).toMatchObject({
      type: 'nl.samenloop.vervallen',
      subject: 'wmo-toewijzing/0363/123456',
      data: {
        reden: 'wlz-vervallen',
        beeindiging: {
          status: 'gecorrigeerd',
          einddatum: '2026-03-31',
          herstel: { einddatum: '2026-12-31', redenWijziging: '14' },
        },
      },
    });
    expect(evaluate(BSN, after, r.state, auto('2026-03-06')).outputs).toEqual([]);
  });

  it('also when the gemeente’s copy of our beëindiging came back first', () => {
    const echo = toewijzing({
      version: '2026-03-02T09:15:00',
      einddatum: '2026-03-31',
      redenWijziging: '06',
    });
    const r = evaluate(BSN, [verwijderd, zorgtoewijzing(), echo], sent.state, auto('2026-03-06'));
    expect(product(beeindigingen(r.outputs)[0]!, '123456')).toMatchObject({
      einddatum: '2026-12-31',
      redenWijziging: '14',
    });
  });

  it('a toewijzing that had no Einddatum gets none back', () => {
    const open = [indicatie(), zorgtoewijzing(), toewijzing({ einddatum: undefined })];
    const s = evaluate(BSN, open, undefined, auto());
    const r = evaluate(
      BSN,
      [verwijderd, zorgtoewijzing(), toewijzing({ einddatum: undefined })],
      s.state,
      auto(),
    );
    const [bericht] = beeindigingen(r.outputs);
    expect(product(bericht!, '123456')?.einddatum).toBeUndefined();
    expect(product(bericht!, '123456')?.redenWijziging).toBe('14');
  });

  it('Einddatum already passed: vervallen, no WMO301', () => {
    const r = evaluate(
      BSN,
      [verwijderd, zorgtoewijzing(), toewijzing({ einddatum: '2026-03-31', redenWijziging: '06' })],
      sent.state,
      auto('2026-04-02'),
    );
    expect(beeindigingen(r.outputs)).toEqual([]);
    expect(events(r.outputs).map((e) => e.type)).toEqual(['nl.samenloop.vervallen']);
  });

  it('the Wlz basis coming back sends a new beëindiging with a new Identificatie', () => {
    const r = evaluate(BSN, [verwijderd, zorgtoewijzing(), toewijzing()], sent.state, auto());
    const terug = evaluate(BSN, facts, r.state, auto());
    const [bericht] = beeindigingen(terug.outputs);
    expect(product(bericht!, '123456')).toMatchObject({ einddatum: '2026-03-31', redenWijziging: '06' });
    const ids = [sent, r, terug].flatMap((x) => beeindigingen(x.outputs).map((o) => o.id));
    expect(new Set(ids).size).toBe(3);
    const [ev] = events(terug.outputs);
    expect(ev!.type).toBe('nl.samenloop.signaal');
    expect(ev!.id).not.toBe(events(sent.outputs)[0]!.id); // a returning signal is not a re-emission
  });
});

describe('partnerverblijf replacement', () => {
  const facts = [indicatie(), zorgtoewijzing(), toewijzing()];
  const partner = indicatie({ zzp: '999', version: '2026-03-04' });

  it('proposed: the proposal is cancelled and the signal withdrawn', () => {
    const v = evaluate(BSN, facts, undefined, ctx());
    const r = evaluate(BSN, [partner, zorgtoewijzing(), toewijzing()], v.state, ctx());
    expect(beeindigingen(r.outputs)).toEqual([]);
    const [ev] = events(r.outputs);
    expect(ev).toMatchObject({
      type: 'nl.samenloop.vervallen',
      data: { reden: 'wlz-vervallen', beeindiging: { status: 'geannuleerd' } },
    });
  });

  it('sent: vervallen + a correction with RedenWijziging 14', () => {
    const s = evaluate(BSN, facts, undefined, auto());
    const r = evaluate(BSN, [partner, zorgtoewijzing(), toewijzing()], s.state, auto('2026-03-04'));
    const [bericht] = beeindigingen(r.outputs);
    expect(product(bericht!, '123456')).toMatchObject({ einddatum: '2026-12-31', redenWijziging: '14' });
    expect(events(r.outputs)[0]!.type).toBe('nl.samenloop.vervallen');
  });
});

describe('other corrections', () => {
  it('a zorgtoewijzing withdrawn before it began: proposal cancelled, the indicatie alone leaves a beoordelen signal', () => {
    const v = evaluate(BSN, [indicatie(), zorgtoewijzing(), toewijzing()], undefined, ctx());
    const weg = zorgtoewijzing({
      einddatum: '2026-04-01',
      redenIntrekking: '5',
      version: '2026-03-01T00:00:00',
    });
    const r = evaluate(BSN, [indicatie(), weg, toewijzing()], v.state, ctx());
    const [ev] = events(r.outputs);
    expect(ev).toMatchObject({
      type: 'nl.samenloop.signaal',
      data: { beoordeling: 'beoordelen', regel: { id: 'SL-01-GEEN' } },
    });
    expect(ev!.data.beeindiging).toBeUndefined();
  });

  it('a sent beëindiging whose Wlz turns into toegestaan is corrected, and the signal shows the correction', () => {
    const rolstoel = toewijzing({ productcategorie: '11', productcode: '11A01' });
    const s = evaluate(
      BSN,
      [indicatie(), zorgtoewijzing({ leveringsvorm: '4' }), rolstoel],
      undefined,
      auto(),
    );
    expect(beeindigingen(s.outputs)).toHaveLength(1);
    const vkb = zorgtoewijzing({ leveringsvorm: '9', version: '2026-03-01T00:00:00' });
    const r = evaluate(BSN, [indicatie(), vkb, rolstoel], s.state, auto());
    expect(product(beeindigingen(r.outputs)[0]!, '123456')?.redenWijziging).toBe('14');
    const [ev] = events(r.outputs);
    expect(ev).toMatchObject({
      type: 'nl.samenloop.signaal',
      data: { beoordeling: 'beoordelen', beeindiging: { status: 'gecorrigeerd' } },
    });
    expect(evaluate(BSN, [indicatie(), vkb, rolstoel], r.state, auto()).outputs).toEqual([]);
  });

  it('a toewijzing the gemeente withdrew (RedenWijziging 13) retracts its signal; no correction is sent', () => {
    const s = evaluate(BSN, [indicatie(), zorgtoewijzing(), toewijzing()], undefined, auto());
    const weg = toewijzing({ redenWijziging: '13', einddatum: '2026-01-01', version: '2026-03-03T08:00:00' });
    const r = evaluate(BSN, [indicatie(), zorgtoewijzing(), weg], s.state, auto());
    expect(beeindigingen(r.outputs)).toEqual([]);
    expect(events(r.outputs)[0]).toMatchObject({
      type: 'nl.samenloop.vervallen',
      data: { reden: 'wmo-verwijderd' },
    });
  });
});
