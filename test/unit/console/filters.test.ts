import { leeftijdDagen, parseFilters, werkvoorraad } from '../../../services/console/filters';
import { parseMelding, project, type SignaalDoc } from '../../../services/console/model';
import { signaal } from './fixtures';

const doc = (o: Parameters<typeof signaal>[0] & { n: number }): SignaalDoc => {
  const p = parseMelding(signaal({ ...o, subject: `wmo-toewijzing/9999/${o.n}`, id: `sl-${o.n}` }), '9999');
  if (!p.ok) throw new Error(p.reason);
  return project(undefined, p.melding, 'test-secret-of-sixteen+');
};
const NOW = new Date('2026-11-23T12:00:00Z');

describe('the werkvoorraad filters (pure)', () => {
  const docs = [
    doc({ n: 1, status: 'voorgesteld', time: '2026-11-01T12:00:00Z' }),
    doc({
      n: 2,
      status: 'voorgesteld',
      categorie: '02',
      aanbieder: '99000002',
      time: '2026-11-20T12:00:00Z',
    }),
    doc({ n: 3, beoordeling: 'beoordelen', categorie: '08', time: '2026-11-22T12:00:00Z' }),
    doc({ n: 4, beoordeling: 'client-overleden', time: '2026-11-23T11:00:00Z' }),
    doc({ n: 5, status: 'verzonden', time: '2026-10-01T12:00:00Z' }),
  ];

  it('counts the open signals per status and the age of the oldest', () => {
    const w = werkvoorraad(docs, {}, NOW);
    expect(w.totaal).toBe(4);
    expect(w.aantallen).toEqual({
      voorgesteld: 2,
      beoordelen: 1,
      'client-overleden': 1,
      'wlz-voorliggend': 0,
    });
    expect(w.oudsteDagen).toBe(22);
    expect(w.rijen.map((d) => d.huidig.wmo?.toewijzingnummer)).toEqual(['9001', '9001', '9001', '9001']);
    expect(w.categorieen).toEqual(['01', '02', '08']);
    expect(w.aanbieders).toEqual(['99000001', '99000002']);
  });

  it('filters by beoordeling, categorie, aanbieder and age', () => {
    const ids = (f: Parameters<typeof werkvoorraad>[1]) =>
      werkvoorraad(docs, f, NOW).rijen.map((d) => d.subject);
    expect(ids({ beoordeling: 'voorgesteld' })).toEqual(['wmo-toewijzing/9999/1', 'wmo-toewijzing/9999/2']);
    expect(ids({ categorie: '08' })).toEqual(['wmo-toewijzing/9999/3']);
    expect(ids({ aanbieder: '99000002' })).toEqual(['wmo-toewijzing/9999/2']);
    expect(ids({ minDagen: 3 })).toEqual(['wmo-toewijzing/9999/1', 'wmo-toewijzing/9999/2']);
    expect(ids({ beoordeling: 'voorgesteld', minDagen: 10 })).toEqual(['wmo-toewijzing/9999/1']);
  });

  it('reads only well-formed filters from a query string', () => {
    expect(
      parseFilters({ beoordeling: 'voorgesteld', categorie: '01', aanbieder: '99000001', minDagen: '7' }),
    ).toEqual({
      beoordeling: 'voorgesteld',
      categorie: '01',
      aanbieder: '99000001',
      minDagen: 7,
    });
    expect(
      parseFilters({ beoordeling: '<script>', categorie: '1', aanbieder: ['x'], minDagen: '-1' }),
    ).toEqual({});
  });

  it('age in whole days, never negative', () => {
    expect(leeftijdDagen('2026-11-21T12:00:01Z', NOW)).toBe(1);
    expect(leeftijdDagen('2026-12-01T00:00:00Z', NOW)).toBe(0);
    expect(leeftijdDagen('garbage', NOW)).toBe(0);
  });
});
