/**
 * No flip-flopping when the Wlz only changes form (issue 10.2, rules UITZ-VORMWIJZIGING): a zorgtoewijzing
 * withdrawn with RedenIntrekking 3, 4, 5, 7 or 8 never restores (14) a Wmo toewijzing that was ended; without a
 * successor the gemeente is told "indicatie, nog geen zorgtoewijzing". 2 and 6, and a verwijderde indicatie,
 * still restore.
 */
import type { Fact, WmoToewijzingFact } from '../../../services/domain/facts';
import { evaluate, type EngineContext } from './rendered';
import { BSN, ctx, GEMEENTE, indicatie, toewijzing, zorgtoewijzing } from './factories';
import { beeindigingen, events, product, wmo301Problems } from './helpers';

const auto = (today = '2026-03-02'): EngineContext => ctx({ today, policies: { [GEMEENTE]: 'automatisch' } });
const wmo = (facts: Fact[]) => facts.filter((f): f is WmoToewijzingFact => f.type === 'wmo-toewijzing');

/** The MPT from 2026-04-01, withdrawn before it began with this RedenIntrekking. */
const ingetrokken = (reden: string) =>
  zorgtoewijzing({ einddatum: '2026-04-01', redenIntrekking: reden, version: '2026-03-05T08:00:00' });
/** Its successor: VPT from 2026-04-01 at another instelling. */
const opvolger = zorgtoewijzing({
  leveringsvorm: '5',
  instelling: '99000002',
  version: '2026-03-05T08:00:01',
});

describe.each(['3', '4', '5', '7', '8'])('RedenIntrekking %s after the beëindiging was sent', (reden) => {
  const sent = evaluate(BSN, [indicatie(), zorgtoewijzing(), toewijzing()], undefined, auto());

  it('no restoration (14); the gemeente is told "indicatie, nog geen zorgtoewijzing"', () => {
    expect(beeindigingen(sent.outputs)).toHaveLength(1);
    const r = evaluate(BSN, [indicatie(), ingetrokken(reden), toewijzing()], sent.state, auto('2026-03-05'));
    expect(beeindigingen(r.outputs)).toEqual([]);
    const [ev, ...rest] = events(r.outputs);
    expect(rest).toEqual([]);
    expect(ev).toMatchObject({
      type: 'nl.samenloop.signaal',
      data: { beoordeling: 'beoordelen', regel: { id: 'SL-01-GEEN' }, beeindiging: { status: 'verzonden' } },
    });
  });

  it('the successor zorgtoewijzing sends nothing to the aanbieder either: one 06, never 06-14-06', () => {
    const tussen = evaluate(
      BSN,
      [indicatie(), ingetrokken(reden), toewijzing()],
      sent.state,
      auto('2026-03-05'),
    );
    const r = evaluate(
      BSN,
      [indicatie(), ingetrokken(reden), opvolger, toewijzing()],
      tussen.state,
      auto('2026-03-05'),
    );
    expect(beeindigingen(r.outputs)).toEqual([]);
    expect(events(r.outputs)[0]!.data).toMatchObject({
      beoordeling: 'wlz-voorliggend',
      regel: { id: 'SL-01-VPT' },
      beeindiging: { status: 'verzonden' },
    });
  });

  it('without the indicatie in the register it falls back to "nog geen zorgtoewijzing" too', () => {
    const s = evaluate(BSN, [zorgtoewijzing(), toewijzing()], undefined, auto());
    expect(beeindigingen(s.outputs)).toHaveLength(1);
    const r = evaluate(BSN, [ingetrokken(reden), toewijzing()], s.state, auto('2026-03-05'));
    expect(beeindigingen(r.outputs)).toEqual([]);
    expect(events(r.outputs)[0]!.data).toMatchObject({
      beoordeling: 'beoordelen',
      regel: { id: 'SL-01-GEEN' },
    });
  });
});

describe('what really removes the Wlz basis still restores (14)', () => {
  const sent = evaluate(BSN, [indicatie(), zorgtoewijzing(), toewijzing()], undefined, auto());

  it.each(['2', '6'])('RedenIntrekking %s', (reden) => {
    const after = [indicatie(), ingetrokken(reden), toewijzing()];
    const r = evaluate(BSN, after, sent.state, auto('2026-03-05'));
    const [bericht, ...rest] = beeindigingen(r.outputs);
    expect(rest).toEqual([]);
    expect(wmo301Problems(bericht!, wmo(after))).toEqual([]);
    expect(product(bericht!, '123456')).toMatchObject({ einddatum: '2026-12-31', redenWijziging: '14' });
  });

  it('a verwijderde indicatie after a vormwijziging', () => {
    const tussen = evaluate(
      BSN,
      [indicatie(), ingetrokken('5'), toewijzing()],
      sent.state,
      auto('2026-03-05'),
    );
    const weg = indicatie({ status: 'verwijderd', version: '2026-03-06' });
    const r = evaluate(BSN, [weg, ingetrokken('5'), toewijzing()], tussen.state, auto('2026-03-06'));
    expect(product(beeindigingen(r.outputs)[0]!, '123456')).toMatchObject({ redenWijziging: '14' });
    expect(events(r.outputs)[0]).toMatchObject({ type: 'nl.samenloop.vervallen' });
  });
});

describe('a vormwijziging of an overgangsrecht indicatie', () => {
  it('falls back to "nog geen zorgtoewijzing": the Wlz care goes on, the gemeente is told', () => {
    const laag = indicatie({ zzp: '750' });
    const s = evaluate(BSN, [laag, zorgtoewijzing({ code: '750' }), toewijzing()], undefined, auto());
    expect(beeindigingen(s.outputs)).toHaveLength(1);
    const weg = zorgtoewijzing({
      code: '750',
      einddatum: '2026-04-01',
      redenIntrekking: '8',
      version: '2026-03-05T08:00:00',
    });
    const r = evaluate(BSN, [laag, weg, toewijzing()], s.state, auto('2026-03-05'));
    expect(beeindigingen(r.outputs)).toEqual([]);
    expect(events(r.outputs)[0]!.data).toMatchObject({
      beoordeling: 'beoordelen',
      regel: { id: 'SL-01-GEEN' },
    });
  });
});
