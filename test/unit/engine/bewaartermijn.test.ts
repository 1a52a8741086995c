/**
 * The bewaartermijn (issue 15.2): a client is deleted REGISTER_BEWAARTERMIJN_DAGEN days after its last Wlz and
 * Wmo relation ended, or after its death; never while a relation is open, a proposal is open or a beëindiging
 * sent may still be corrected. volgendeDag puts the deletion day in the daily index.
 */
import { addDays } from '../../../services/domain/dates';
import { houdtVast, teVerwijderen, verwijderdag } from '../../../services/engine/bewaartermijn';
import { volgendeDag } from '../../../services/engine/dagen';
import type { EngineState } from '../../../services/engine';
import { aanvraag, indicatie, toewijzing, zorgtoewijzing } from './factories';

const T = 183;

const engineWith = (status: string, einddatum: string) =>
  ({
    beeindigingen: { 'bd-1': { status, einddatum } },
    afgesloten: {},
    lastEventIds: {},
    decisions: {},
  }) as unknown as EngineState;

describe('the bewaartermijn', () => {
  it('counts from the end of the last relation: the day after the period is the first day of deletion', () => {
    const facts = [
      indicatie({ ingangsdatum: '2026-01-01', einddatum: '2026-03-31' }),
      toewijzing({ ingangsdatum: '2026-01-01', einddatum: '2026-05-31' }),
    ];
    expect(verwijderdag(facts, T)).toBe(addDays('2026-05-31', T + 1));
    expect(teVerwijderen(facts, undefined, addDays('2026-05-31', T), T)).toBe(false);
    expect(teVerwijderen(facts, undefined, addDays('2026-05-31', T + 1), T)).toBe(true);
  });

  it('keeps a client while any relation has no end (a Wmo aanvraag without Einddatum too)', () => {
    const ended = indicatie({ ingangsdatum: '2025-01-01', einddatum: '2025-03-31' });
    expect(verwijderdag([ended, toewijzing({ einddatum: undefined })], T)).toBeUndefined();
    expect(verwijderdag([ended, aanvraag({ einddatum: undefined })], T)).toBeUndefined();
    expect(teVerwijderen([ended, aanvraag({ einddatum: undefined })], undefined, '2030-01-01', T)).toBe(
      false,
    );
  });

  it('never counts from before a relation that starts later than the last end', () => {
    const facts = [
      indicatie({ ingangsdatum: '2026-01-01', einddatum: '2026-01-31' }),
      toewijzing({ ingangsdatum: '2026-09-01', einddatum: '2026-08-31' }),
    ];
    expect(verwijderdag(facts, T)).toBe(addDays('2026-09-01', T + 1));
  });

  it('a client reported deceased: from the date of death, even with relations still open', () => {
    const facts = [
      indicatie({ einddatum: undefined }),
      zorgtoewijzing({ einddatum: '2026-04-20', redenIntrekking: '1' }),
      toewijzing({ einddatum: undefined }),
    ];
    expect(verwijderdag(facts, T)).toBe(addDays('2026-04-20', T + 1));
  });

  it('an open proposal, or a beëindiging sent whose Einddatum has not passed, keeps the client', () => {
    const facts = [toewijzing({ ingangsdatum: '2025-01-01', einddatum: '2025-03-31' })];
    const day = '2026-06-01';
    expect(teVerwijderen(facts, undefined, day, T)).toBe(true);
    expect(houdtVast(engineWith('voorgesteld', '2025-03-31'), day)).toBe(true);
    expect(teVerwijderen(facts, engineWith('voorgesteld', '2025-03-31'), day, T)).toBe(false);
    expect(teVerwijderen(facts, engineWith('verzonden', '2026-07-01'), day, T)).toBe(false);
    expect(teVerwijderen(facts, engineWith('verzonden', '2025-03-31'), day, T)).toBe(true);
    expect(teVerwijderen(facts, engineWith('afgewezen', '2026-07-01'), day, T)).toBe(true);
  });

  it('a retracted signal whose tombstone is still to come keeps the client (and a state from before tombstones once)', () => {
    const facts = [toewijzing({ ingangsdatum: '2025-01-01', einddatum: '2025-03-31' })];
    const day = '2026-01-15';
    const wachtend = {
      ...engineWith('afgewezen', '2025-03-31'),
      afgesloten: { 'wmo-toewijzing/0363/T1': { gemeente: '0363', sinds: day, opruimdag: '2026-02-14' } },
    } as unknown as EngineState;
    expect(teVerwijderen(facts, wachtend, day, T)).toBe(false);
    const ouder = {
      ...engineWith('afgewezen', '2025-03-31'),
      afgesloten: undefined,
    } as unknown as EngineState;
    expect(teVerwijderen(facts, ouder, day, T)).toBe(false);
    expect(teVerwijderen(facts, engineWith('afgewezen', '2025-03-31'), day, T)).toBe(true);
  });

  it('volgendeDag includes the deletion day, and tomorrow while a kept client is past it', () => {
    const facts = [toewijzing({ ingangsdatum: '2025-01-01', einddatum: '2025-03-31' })];
    expect(volgendeDag(facts, undefined, '2025-04-02')).toBeUndefined();
    expect(volgendeDag(facts, undefined, '2025-04-02', T)).toBe(addDays('2025-03-31', T + 1));
    expect(volgendeDag(facts, engineWith('voorgesteld', '2025-03-31'), '2026-06-01', T)).toBe('2026-06-02');
  });
});
