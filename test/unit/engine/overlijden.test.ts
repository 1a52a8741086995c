/**
 * A client who died is never given care back (issue 10.1, rules SL-OVERLEDEN): an AW33 withdrawn with
 * RedenIntrekking 1 (COD172 Client overleden) gives each gemeente a client-overleden signal with the date, and
 * only a proposal (never an automatic WMO301) ending the actuele toewijzingen with RedenWijziging 02.
 */
import type { Fact, WmoToewijzingFact } from '../../../services/domain/facts';
import { evaluate, handleCommand, type EngineContext } from './rendered';
import { aanvraag, BSN, ctx, GEMEENTE, GEMEENTE2, indicatie, toewijzing, zorgtoewijzing } from './factories';
import { beeindigingen, events, product, wmo301Problems } from './helpers';
import { TestDriver } from '../../../services/pipeline/driver';
import { buildAw33, buildWmo301, validBsn } from '../../fixtures/builders';
import { validateXml } from '../../support/xsd';

const wmo = (facts: Fact[]) => facts.filter((f): f is WmoToewijzingFact => f.type === 'wmo-toewijzing');
const met = (policy: 'voorstel' | 'automatisch' | 'alleen-signaal', today = '2026-03-02'): EngineContext =>
  ctx({ today, policies: { [GEMEENTE]: policy, [GEMEENTE2]: policy } });

/** The zorgtoewijzing (MPT from 2026-04-01) withdrawn because the client died on `datum`. */
const overleden = (datum: string) =>
  zorgtoewijzing({ einddatum: datum, redenIntrekking: '1', version: '2026-05-12T10:00:00' });

describe('RedenIntrekking 1 after a beëindiging was sent (automatisch)', () => {
  // sent on 2026-03-02: ends the toewijzing on 2026-03-31, the day before the MPT starts; the client dies
  // before that and the zorgkantoor withdraws the MPT before it began (Einddatum = Ingangsdatum, CS003)
  const facts = [indicatie(), zorgtoewijzing(), toewijzing()];
  const sent = evaluate(BSN, facts, undefined, met('automatisch'));
  const after = [indicatie(), overleden('2026-04-01'), toewijzing()];
  const r = evaluate(BSN, after, sent.state, met('automatisch', '2026-03-10'));

  it('sends no restoration (14) and no WMO301 at all, although the Einddatum has not passed', () => {
    expect(beeindigingen(sent.outputs)).toHaveLength(1);
    expect(beeindigingen(r.outputs)).toEqual([]);
  });

  it('tells the gemeente the Wlz reports the client deceased, with the date; the sent beëindiging stands', () => {
    const [ev, ...rest] = events(r.outputs);
    expect(rest).toEqual([]);
    expect(ev).toMatchObject({
      type: 'nl.samenloop.signaal',
      data: {
        beoordeling: 'client-overleden',
        overlijdensdatum: '2026-04-01',
        regel: { id: 'SL-OVERLEDEN' },
        beeindiging: { status: 'verzonden', redenWijziging: '06', einddatum: '2026-03-31' },
      },
    });
  });

  it('stays quiet afterwards, also on later days', () => {
    expect(evaluate(BSN, after, r.state, met('automatisch', '2026-03-10')).outputs).toEqual([]);
    expect(evaluate(BSN, after, r.state, met('automatisch', '2026-03-20')).outputs).toEqual([]);
  });
});

describe('RedenIntrekking 1 with nothing sent yet', () => {
  const facts: Fact[] = [indicatie(), overleden('2026-04-20'), toewijzing()];

  it.each(['voorstel', 'automatisch'] as const)(
    '%s: only a proposal ending the toewijzing on the date of death with RedenWijziging 02',
    (policy) => {
      const r = evaluate(BSN, facts, undefined, met(policy, '2026-05-12'));
      expect(beeindigingen(r.outputs)).toEqual([]);
      const [ev, ...rest] = events(r.outputs);
      expect(rest).toEqual([]);
      expect(ev!.data).toMatchObject({
        beoordeling: 'client-overleden',
        overlijdensdatum: '2026-04-20',
        beeindiging: { redenWijziging: '02', einddatum: '2026-04-20', status: 'voorgesteld' },
      });
    },
  );

  it('the gemeente confirms it with the usual command: a valid WMO301 with 02 and Einddatum = date of death', () => {
    const c = met('voorstel', '2026-05-12');
    const v = evaluate(BSN, facts, undefined, c);
    const id = events(v.outputs)[0]!.data.beeindiging!.id;
    const r = handleCommand(
      BSN,
      facts,
      v.state,
      GEMEENTE,
      { type: 'beeindiging.bevestigen', beeindigingId: id, door: 'consulent A' },
      c,
    );
    const [bericht, ...rest] = beeindigingen(r.outputs);
    expect(rest).toEqual([]);
    expect(wmo301Problems(bericht!, wmo(facts))).toEqual([]);
    expect(product(bericht!, '123456')).toMatchObject({ einddatum: '2026-04-20', redenWijziging: '02' });
    expect(events(r.outputs)[0]!.data).toMatchObject({
      beoordeling: 'client-overleden',
      beeindiging: { status: 'verzonden', redenWijziging: '02' },
    });
  });

  it('alleen-signaal: only the signal, no proposal', () => {
    const r = evaluate(BSN, facts, undefined, met('alleen-signaal', '2026-05-12'));
    expect(beeindigingen(r.outputs)).toEqual([]);
    const [ev] = events(r.outputs);
    expect(ev!.data).toMatchObject({ beoordeling: 'client-overleden', overlijdensdatum: '2026-04-20' });
    expect(ev!.data.beeindiging).toBeUndefined();
  });

  it('reaches every gemeente, for every actuele toewijzing and aanvraag, whatever the table says', () => {
    const rolstoel = toewijzing({ toewijzingnummer: '77', productcategorie: '11', productcode: '11A01' });
    const ander = toewijzing({ gemeente: GEMEENTE2, toewijzingnummer: '88' });
    const all = [...facts, rolstoel, ander, aanvraag()];
    const r = evaluate(BSN, all, undefined, met('voorstel', '2026-05-12'));
    expect(
      events(r.outputs).map((e) => [e.subject, e.data.beoordeling, e.data.beeindiging?.redenWijziging]),
    ).toEqual([
      ['wmo-aanvraag/0363/A-1', 'client-overleden', undefined],
      ['wmo-toewijzing/0363/123456', 'client-overleden', '02'],
      ['wmo-toewijzing/0363/77', 'client-overleden', '02'],
      ['wmo-toewijzing/0599/88', 'client-overleden', '02'],
    ]);
  });

  it('a toewijzing that starts after the date of death gets the signal but no proposal', () => {
    const later = toewijzing({ ingangsdatum: '2026-05-01' });
    const r = evaluate(
      BSN,
      [indicatie(), overleden('2026-04-20'), later],
      undefined,
      met('voorstel', '2026-05-12'),
    );
    const [ev] = events(r.outputs);
    expect(ev!.data.beoordeling).toBe('client-overleden');
    expect(ev!.data.beeindiging).toBeUndefined();
  });
});

describe('an open 06 proposal when the client dies', () => {
  it('is cancelled for the 02 proposal; no restoration', () => {
    const v = evaluate(BSN, [indicatie(), zorgtoewijzing(), toewijzing()], undefined, met('voorstel'));
    const voorstel06 = events(v.outputs)[0]!.data.beeindiging!;
    expect(voorstel06).toMatchObject({ redenWijziging: '06', status: 'voorgesteld' });
    const r = evaluate(
      BSN,
      [indicatie(), overleden('2026-04-20'), toewijzing()],
      v.state,
      met('voorstel', '2026-05-12'),
    );
    expect(beeindigingen(r.outputs)).toEqual([]);
    const [ev] = events(r.outputs);
    expect(ev!.data.beeindiging).toMatchObject({ redenWijziging: '02', status: 'voorgesteld' });
    expect(ev!.data.beeindiging!.id).not.toBe(voorstel06.id);
    expect(r.state.beeindigingen[voorstel06.id]!.status).toBe('geannuleerd');
  });
});

describe('through the TestDriver, with real AW33 and WMO301 XML', () => {
  it('a death after a sent beëindiging: no 14, a client-overleden signal', async () => {
    const d = new TestDriver({ SAMENLOOP_TODAY: '2026-11-23', DEFAULT_POLICY: 'automatisch' });
    const bsn = validBsn(1);
    const zorg = { bsn, indicatieIngangsdatum: '2026-11-01', ingangsdatum: '2026-12-01', leveringsvorm: '4' };
    await d.pipe('wlz.zorgtoewijzingen', buildAw33({ ...zorg, toewijzingsdatum: '2026-11-20' }));
    await d.pipe(
      'gemeente.0384.toewijzingen',
      buildWmo301({ bsn, ingangsdatum: '2026-01-01', einddatum: null }),
    );
    const eerst = d.outputsOn('gemeente.0384.beeindigingen');
    expect(eerst).toHaveLength(1);
    // the client dies on 2026-11-25; the zorgkantoor withdraws the verblijf before it began (CS003)
    d.setToday('2026-11-26');
    await d.pipe(
      'wlz.zorgtoewijzingen',
      buildAw33({
        ...zorg,
        identificatie: 'ZK2',
        toewijzingsdatum: '2026-11-26',
        einddatum: '2026-12-01',
        redenIntrekking: '1',
      }),
    );
    expect(d.deadLetters).toEqual([]);
    expect(d.outputsOn('gemeente.0384.beeindigingen')).toHaveLength(1);
    const laatste = d.events('gemeente.0384.samenloop').at(-1) as { data: Record<string, unknown> };
    expect(laatste.data).toMatchObject({
      beoordeling: 'client-overleden',
      overlijdensdatum: '2026-12-01',
      beeindiging: { redenWijziging: '06', status: 'verzonden' },
    });
  });

  it('nothing sent yet: automatisch only proposes the 02; the command sends it, valid against the XSD', async () => {
    const d = new TestDriver({ SAMENLOOP_TODAY: '2026-11-23', DEFAULT_POLICY: 'automatisch' });
    const bsn = validBsn(1);
    await d.pipe(
      'gemeente.0384.toewijzingen',
      buildWmo301({ bsn, ingangsdatum: '2026-01-01', einddatum: null }),
    );
    await d.pipe(
      'wlz.zorgtoewijzingen',
      buildAw33({
        bsn,
        indicatieIngangsdatum: '2026-06-01',
        ingangsdatum: '2026-07-01',
        toewijzingsdatum: '2026-11-22',
        einddatum: '2026-11-20',
        redenIntrekking: '1',
        leveringsvorm: '5',
      }),
    );
    expect(d.outputsOn('gemeente.0384.beeindigingen')).toEqual([]);
    const ev = d.events('gemeente.0384.samenloop').at(-1) as {
      data: { beoordeling: string; beeindiging: { id: string; redenWijziging: string; status: string } };
    };
    expect(ev.data.beoordeling).toBe('client-overleden');
    expect(ev.data.beeindiging).toMatchObject({ redenWijziging: '02', status: 'voorgesteld' });
    await d.pipe(
      'gemeente.0384.opdrachten',
      JSON.stringify({
        type: 'beeindiging.bevestigen',
        beeindigingId: ev.data.beeindiging.id,
        door: 'consulent A',
      }),
      { headers: { 'content-type': 'application/json' } },
    );
    const [bericht, ...rest] = d.outputsOn('gemeente.0384.beeindigingen');
    expect(rest).toEqual([]);
    expect(validateXml('WMO301', bericht!.value!)).toMatchObject({ valid: true });
    expect(bericht!.value).toMatch(/Einddatum>2026-11-20</);
    expect(bericht!.value).toMatch(/RedenWijziging>02</);
  });
});
