import type { WmoToewijzingFact } from '../../../services/domain/facts';
import { applyFacts, currentFacts, emptyState, gemeentenOf, isNewer } from '../../../services/register/state';

const wmo = (over: Partial<WmoToewijzingFact> = {}): WmoToewijzingFact => ({
  type: 'wmo-toewijzing',
  key: 'wmo:0363:T1',
  version: '2026-01-01T10:00:00',
  source: { kind: 'WMO301', messageId: 'WMO301:0363:M1:2026-01-01' },
  client: { bsn: '999990019' },
  gemeente: '0363',
  aanbieder: '99000001',
  toewijzingnummer: 'T1',
  productcategorie: '01',
  toewijzingsdatum: '2026-01-01',
  toewijzingstijd: '10:00:00',
  ingangsdatum: '2026-01-01',
  ...over,
});

describe('register reducer', () => {
  it('applies a new message and remembers where', () => {
    const r = applyFacts(emptyState('999990019'), 'M1', 't/0/0', [wmo()]);
    expect(r.outcome).toBe('applied');
    expect(r.state.applied).toEqual({ M1: 't/0/0' });
    expect(currentFacts(r.state)).toEqual([wmo()]);
    expect(gemeentenOf(r.state)).toEqual(['0363']);
  });

  it('recognises a redelivery of the same record as a replay and changes nothing', () => {
    const s1 = applyFacts(emptyState('999990019'), 'M1', 't/0/0', [wmo()]).state;
    const r = applyFacts(s1, 'M1', 't/0/0', [wmo({ productcategorie: '02' })]);
    expect(r.outcome).toBe('replay');
    expect(r.state).toBe(s1);
  });

  it('recognises the same message re-sent at another offset as a duplicate', () => {
    const s1 = applyFacts(emptyState('999990019'), 'M1', 't/0/0', [wmo()]).state;
    const r = applyFacts(s1, 'M1', 't/0/9', [wmo()]);
    expect(r.outcome).toBe('duplicate');
    expect(r.state).toBe(s1);
  });

  it('keeps the later version whatever the order of arrival', () => {
    const older = wmo({ version: '2026-01-01T10:00:00', einddatum: '2026-12-31' });
    const newer = wmo({
      version: '2026-02-01T10:00:00',
      einddatum: '2026-06-30',
      source: { kind: 'WMO301', messageId: 'M2' },
    });
    const a = applyFacts(applyFacts(emptyState('x'), 'M1', 't/0/0', [older]).state, 'M2', 't/0/1', [
      newer,
    ]).state;
    const b = applyFacts(applyFacts(emptyState('x'), 'M2', 't/0/0', [newer]).state, 'M1', 't/0/1', [
      older,
    ]).state;
    expect(currentFacts(a)).toEqual([newer]);
    expect(currentFacts(b)).toEqual([newer]);
  });

  it('on an equal version, the later record in the same partition wins', () => {
    const f1 = wmo({ einddatum: '2026-12-31', source: { kind: 'WMO301', messageId: 'M9' } });
    const f2 = wmo({ einddatum: '2026-06-30', source: { kind: 'WMO301', messageId: 'M1' } });
    expect(isNewer(f2, 't/0/5', { fact: f1, at: 't/0/4' })).toBe(true);
    expect(isNewer(f2, 't/0/3', { fact: f1, at: 't/0/4' })).toBe(false);
    // across partitions the message id decides, so delivery order cannot matter
    expect(isNewer(f2, 't/1/5', { fact: f1, at: 't/0/4' })).toBe(false);
    expect(isNewer(f1, 't/1/5', { fact: f2, at: 't/0/4' })).toBe(true);
  });
});
