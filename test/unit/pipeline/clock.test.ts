import { nowAmsterdam, today } from '../../../services/pipeline/clock';

describe('the processing clock (Europe/Amsterdam)', () => {
  it('gives local winter time with +01:00', () => {
    expect(nowAmsterdam(new Date('2026-11-23T09:15:30.500Z'))).toBe('2026-11-23T10:15:30+01:00');
  });
  it('gives local summer time with +02:00', () => {
    expect(nowAmsterdam(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02T00:30:00+02:00');
  });
  it('takes the Dutch calendar day, not the UTC one', () => {
    expect(today(undefined, new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(today('2026-11-23', new Date('2030-01-01T00:00:00Z'))).toBe('2026-11-23');
  });
});
