/** Policies (voorstel, automatisch, alleen-signaal) and the gemeente's commands. */
import { beeindigingIds } from '../../../services/engine';
import { evaluate, handleCommand, rejectCommand, type EngineState, type Policy } from './rendered';
import { AANBIEDER, BSN, ctx, GEMEENTE, GEMEENTE2, indicatie, toewijzing, zorgtoewijzing } from './factories';
import { beeindigingen, events, product, wmo301Problems } from './helpers';

const facts = [indicatie(), zorgtoewijzing(), toewijzing()];
const wmoFacts = [toewijzing()];
const met = (policy: Policy, today = '2026-03-02') => ctx({ today, policies: { [GEMEENTE]: policy } });
const DOOR = 'M. Medewerker';
const bevestig = (beeindigingId: string) => ({
  type: 'beeindiging.bevestigen' as const,
  beeindigingId,
  door: DOOR,
  toelichting: 'Wlz-verblijf per 1 april bevestigd door het zorgkantoor',
});
const wijsAf = (beeindigingId: string) => ({
  type: 'beeindiging.afwijzen' as const,
  beeindigingId,
  door: DOOR,
});

describe('policies', () => {
  it('voorstel (default): the signal carries the proposed beëindiging; nothing is sent', () => {
    const r = evaluate(BSN, facts, undefined, ctx());
    expect(beeindigingen(r.outputs)).toEqual([]);
    const [ev] = events(r.outputs);
    expect(ev!.data.beeindiging).toEqual({
      id: beeindigingIds(r.state)[0],
      einddatum: '2026-03-31',
      redenWijziging: '06',
      status: 'voorgesteld',
    });
  });

  it('automatisch: the WMO301 is sent at once and the signal says verzonden', () => {
    const r = evaluate(BSN, facts, undefined, met('automatisch'));
    expect(beeindigingen(r.outputs)).toHaveLength(1);
    expect(events(r.outputs)[0]!.data.beeindiging).toMatchObject({
      status: 'verzonden',
      einddatum: '2026-03-31',
    });
    expect(r.outputs.map((o) => o.channel)).toEqual(['samenloop', 'beeindigingen']);
  });

  it('alleen-signaal: a signal without beëindiging, never a WMO301', () => {
    const r = evaluate(BSN, facts, undefined, met('alleen-signaal'));
    expect(beeindigingen(r.outputs)).toEqual([]);
    expect(events(r.outputs)[0]!.data.beeindiging).toBeUndefined();
    expect(beeindigingIds(r.state)).toEqual([]);
  });

  it('a policy change to alleen-signaal cancels an open proposal', () => {
    const first = evaluate(BSN, facts, undefined, ctx());
    const r = evaluate(BSN, facts, first.state, met('alleen-signaal'));
    expect(events(r.outputs)[0]!.data.beeindiging).toBeUndefined();
    expect(Object.values(r.state.beeindigingen)[0]!.status).toBe('geannuleerd');
  });
});

describe('commands', () => {
  const voorstel = evaluate(BSN, facts, undefined, ctx());
  const id = beeindigingIds(voorstel.state)[0]!;

  it('confirm → the WMO301 is sent once, and the signal says verzonden', () => {
    const r = handleCommand(BSN, facts, voorstel.state, GEMEENTE, bevestig(id), ctx());
    const [bericht, ...rest] = beeindigingen(r.outputs);
    expect(rest).toEqual([]);
    expect(wmo301Problems(bericht!, wmoFacts)).toEqual([]);
    expect(bericht).toMatchObject({ gemeente: GEMEENTE, key: AANBIEDER });
    expect(events(r.outputs).map((e) => [e.type, e.data.beeindiging?.status])).toEqual([
      ['nl.samenloop.signaal', 'verzonden'],
    ]);
    expect(events(r.outputs)[0]!.data.beeindiging?.besluit).toEqual({
      door: DOOR,
      toelichting: 'Wlz-verblijf per 1 april bevestigd door het zorgkantoor',
    });
    expect(r.state.beeindigingen[id]!.status).toBe('verzonden');

    const again = handleCommand(BSN, facts, r.state, GEMEENTE, bevestig(id), ctx());
    expect(beeindigingen(again.outputs)).toEqual([]);
    const [rejection] = events(again.outputs);
    expect(rejection).toMatchObject({
      type: 'nl.samenloop.opdracht.afgewezen',
      subject: `opdracht/${id}`,
      data: {
        gemeente: GEMEENTE,
        opdracht: { type: 'beeindiging.bevestigen', beeindigingId: id, door: DOOR },
      },
    });
    expect(rejection!.data.reden).toMatch(/verzonden/);
    expect(again.state).toEqual(r.state);
  });

  it('confirm a few days later: the Einddatum is never before the day of confirmation', () => {
    const past = [
      indicatie({ ingangsdatum: '2025-10-01' }),
      zorgtoewijzing({ ingangsdatum: '2025-11-01' }),
      toewijzing(),
    ];
    const v = evaluate(BSN, past, undefined, ctx({ today: '2026-03-02' }));
    const vid = beeindigingIds(v.state)[0]!;
    expect(events(v.outputs)[0]!.data.beeindiging?.einddatum).toBe('2026-03-02');
    // a day later the open proposal's Einddatum has passed: it moves to today (issue 10.3), never retroactive
    const later = evaluate(BSN, past, v.state, ctx({ today: '2026-03-05' }));
    expect(events(later.outputs).map((e) => e.data.beeindiging?.einddatum)).toEqual(['2026-03-05']);
    expect(beeindigingIds(later.state)).toEqual([vid]);
    const r = handleCommand(BSN, past, v.state, GEMEENTE, bevestig(vid), ctx({ today: '2026-03-05' }));
    expect(product(beeindigingen(r.outputs)[0]!, '123456')?.einddatum).toBe('2026-03-05');
    // the lapsed proposal first moves to today (its signal), then it is sent
    expect(events(r.outputs).map((e) => e.data.beeindiging?.status)).toEqual(['voorgesteld', 'verzonden']);
    expect(events(r.outputs).at(-1)!.data.beeindiging).toMatchObject({
      status: 'verzonden',
      einddatum: '2026-03-05',
    });
  });

  it('reject → afgewezen, nothing sent; a later confirm is stale', () => {
    const r = handleCommand(BSN, facts, voorstel.state, GEMEENTE, wijsAf(id), ctx());
    expect(beeindigingen(r.outputs)).toEqual([]);
    expect(events(r.outputs)[0]!.data.beeindiging?.status).toBe('afgewezen');
    expect(events(r.outputs)[0]!.data.beeindiging?.besluit).toEqual({ door: DOOR });
    expect(evaluate(BSN, facts, r.state, ctx()).outputs).toEqual([]);
    const late = handleCommand(BSN, facts, r.state, GEMEENTE, bevestig(id), ctx());
    expect(beeindigingen(late.outputs)).toEqual([]);
    expect(events(late.outputs)[0]!.type).toBe('nl.samenloop.opdracht.afgewezen');
  });

  it('a command from another gemeente → rejection on that gemeente’s channel, state untouched, nothing leaked', () => {
    const r = handleCommand(BSN, facts, voorstel.state, GEMEENTE2, bevestig(id), ctx());
    expect(r.state).toBe(voorstel.state);
    expect(r.outputs).toHaveLength(1);
    expect(r.outputs[0]).toMatchObject({ channel: 'samenloop', gemeente: GEMEENTE2 });
    const [ev] = events(r.outputs);
    expect(ev!.data).toEqual({
      gemeente: GEMEENTE2,
      opdracht: { type: 'beeindiging.bevestigen', beeindigingId: id, door: DOOR },
      reden: 'onbekende beeindigingId',
    });
    expect(r.outputs[0]!.value).not.toContain(BSN);
    expect(r.outputs[0]!.value).not.toContain(GEMEENTE);
  });

  it('an unknown id → the same rejection, state untouched', () => {
    const unknown = 'bd-000000000000000000000000';
    const r = handleCommand(BSN, facts, voorstel.state, GEMEENTE, bevestig(unknown), ctx());
    expect(r.state).toBe(voorstel.state);
    expect(events(r.outputs)[0]).toMatchObject({
      type: 'nl.samenloop.opdracht.afgewezen',
      data: { reden: 'onbekende beeindigingId' },
    });
    expect(handleCommand(BSN, [], undefined, GEMEENTE, bevestig(unknown), ctx()).outputs).toHaveLength(1);
  });

  it('a proposal that lapsed (the zorgtoewijzing was withdrawn) cannot be confirmed', () => {
    const weg = zorgtoewijzing({
      einddatum: '2026-04-01',
      redenIntrekking: '5',
      version: '2026-03-01T00:00:00',
    });
    const r = handleCommand(
      BSN,
      [indicatie(), weg, toewijzing()],
      voorstel.state,
      GEMEENTE,
      bevestig(id),
      ctx(),
    );
    expect(beeindigingen(r.outputs)).toEqual([]);
    const types = events(r.outputs).map((e) => e.type);
    expect(types).toEqual(['nl.samenloop.signaal', 'nl.samenloop.opdracht.afgewezen']);
    expect(r.state.beeindigingen[id]!.status).toBe('geannuleerd');
  });

  it('the history records the command and what it caused', () => {
    const r = handleCommand(BSN, facts, voorstel.state, GEMEENTE, bevestig(id), ctx());
    expect(r.state.history.map((h) => h.type)).toEqual([
      'nl.samenloop.signaal',
      'opdracht.bevestigen',
      'nl.samenloop.signaal',
      'wmo301.beeindiging',
    ]);
  });
});

describe('rejectCommand', () => {
  it('never carries a BSN, from the command or the reason', () => {
    const o = rejectCommand(
      GEMEENTE,
      { type: 'x', beeindigingId: BSN, bsn: BSN },
      `bad field 999990019 in ${BSN}`,
      ctx(),
    );
    expect(o.value).not.toContain(BSN);
    const [ev] = events([o]);
    expect(ev!.data).toEqual({
      gemeente: GEMEENTE,
      opdracht: { type: null, beeindigingId: null, door: null },
      reden: 'bad field [nummer] in [nummer]',
    });
    expect(o.key).toBe(`opdracht/${GEMEENTE}`);
  });

  it('has a deterministic id', () => {
    const a = rejectCommand(GEMEENTE, undefined, 'command is not valid JSON', ctx());
    expect(
      rejectCommand(
        GEMEENTE,
        undefined,
        'command is not valid JSON',
        ctx({ now: '2026-03-03T10:00:00+01:00' }),
      ).id,
    ).toBe(a.id);
    expect(rejectCommand(GEMEENTE2, undefined, 'command is not valid JSON', ctx()).id).not.toBe(a.id);
  });
});

describe('state', () => {
  it('is plain JSON and evaluate never changes the state it is given', () => {
    const r = evaluate(BSN, facts, undefined, ctx());
    const frozen = JSON.parse(JSON.stringify(r.state)) as EngineState;
    handleCommand(BSN, facts, r.state, GEMEENTE, bevestig(beeindigingIds(r.state)[0]!), ctx());
    evaluate(BSN, [], r.state, ctx());
    expect(r.state).toEqual(frozen);
    expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state);
  });
});
