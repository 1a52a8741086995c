import { nowAmsterdam, processingMoment, today } from '../../../services/pipeline/clock';

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

describe('the processing moment', () => {
  it('is the clock without a pinned day', () => {
    expect(processingMoment(undefined, new Date('2026-11-23T09:15:30Z'))).toBe('2026-11-23T10:15:30+01:00');
  });
  it('keeps the time of day but takes the pinned day', () => {
    expect(processingMoment('2031-03-14', new Date('2026-12-02T09:15:30Z'))).toBe(
      '2031-03-14T10:15:30+01:00',
    );
  });
});
