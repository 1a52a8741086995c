import { pseudonym } from '../../../services/domain/pseudonym';
import { parseMelding, project, signaalId, weigeringVan, werkStatus } from '../../../services/console/model';
import { signaal } from './fixtures';

const SECRET = 'test-secret-of-sixteen+';
const ok = (raw: string, g = '9999') => {
  const p = parseMelding(raw, g);
  if (!p.ok) throw new Error(p.reason);
  return p.melding;
};

describe('the console read model (pure)', () => {
  it('keeps what the pages need and passes over what is not a notification of this gemeente', () => {
    const m = ok(signaal({ status: 'voorgesteld' }));
    expect(m.client).toEqual({ bsn: '999990019', naam: 'M Jansen', geboortedatum: '1938-04-02' });
    expect(m.beeindiging?.status).toBe('voorgesteld');
    expect(parseMelding(signaal({ gemeente: '9998' }), '9999')).toEqual({
      ok: false,
      reason: 'gemeente differs from the topic',
    });
    for (const bad of [
      '',
      'null',
      '[]',
      '{"type":"x"}',
      '{'.repeat(10),
      JSON.stringify({ type: 'nl.samenloop.signaal' }),
    ])
      expect(parseMelding(bad, '9999').ok).toBe(false);
  });

  it('drops fields of the wrong type or length instead of trusting them', () => {
    const raw = JSON.parse(signaal({})) as { data: Record<string, unknown> };
    raw.data.client = { bsn: '12<script>', naam: { toString: 'x' }, geboortedatum: '1938-04-02' };
    raw.data.wmo = { aanbieder: '<b>', productcategorie: 1, productcode: 'x'.repeat(100) };
    const m = ok(JSON.stringify(raw));
    expect(m.client).toBeNull();
    expect(m.wmo).toMatchObject({ aanbieder: null, productcategorie: null, productcode: null });
  });

  it('folds notifications into a document per subject; a redelivered one changes nothing', () => {
    const a = ok(signaal({ id: 'sl-1', beoordeling: 'beoordelen', time: '2026-11-16T09:00:00Z' }));
    const b = ok(signaal({ id: 'sl-2', status: 'voorgesteld', time: '2026-11-22T09:00:00Z' }));
    const c = ok(
      signaal({
        id: 'sl-3',
        status: 'verzonden',
        besluit: { door: 'J. de Vries' },
        time: '2026-11-23T09:00:00Z',
      }),
    );
    let doc = project(undefined, a, SECRET);
    expect(doc.status).toBe('beoordelen');
    expect(doc.id).toBe(signaalId('9999', 'wmo-toewijzing/9999/9001'));
    expect(doc.id).not.toContain('999990019');
    expect(doc.betrokkene).toBe(pseudonym(SECRET, '999990019'));
    doc = project(doc, b, SECRET);
    expect(doc.status).toBe('voorgesteld');
    expect(project(doc, b, SECRET)).toBe(doc);
    doc = project(doc, c, SECRET);
    expect(doc.status).toBeNull();
    expect(doc.eerst).toBe('2026-11-16T09:00:00Z');
    expect(doc.geschiedenis.map((h) => [h.id, h.beeindigingStatus, h.door])).toEqual([
      ['sl-1', null, null],
      ['sl-2', 'voorgesteld', null],
      ['sl-3', 'verzonden', 'J. de Vries'],
    ]);
  });

  it('werk status: proposals, beoordelen, client overleden and a notice without beëindiging are open', () => {
    expect(werkStatus(ok(signaal({ status: 'voorgesteld' })))).toBe('voorgesteld');
    expect(werkStatus(ok(signaal({ beoordeling: 'beoordelen' })))).toBe('beoordelen');
    expect(werkStatus(ok(signaal({ beoordeling: 'client-overleden', status: 'voorgesteld' })))).toBe(
      'client-overleden',
    );
    expect(werkStatus(ok(signaal({})))).toBe('wlz-voorliggend');
    for (const st of ['verzonden', 'afgewezen', 'geannuleerd', 'gecorrigeerd'])
      expect(werkStatus(ok(signaal({ status: st })))).toBeNull();
  });

  it('a refused command is kept under its beëindiging', () => {
    const refusal = JSON.stringify({
      id: 'sl-9',
      type: 'nl.samenloop.opdracht.afgewezen',
      subject: 'opdracht/bd-0123456789abcdef01234567',
      time: '2026-11-23T10:00:00Z',
      data: {
        gemeente: '9999',
        opdracht: { type: 'beeindiging.afwijzen', beeindigingId: 'bd-0123456789abcdef01234567', door: 'A' },
        reden: 'BEEINDIGING_AL_VERZONDEN: al verzonden',
      },
    });
    expect(weigeringVan(ok(refusal))).toEqual({
      beeindigingId: 'bd-0123456789abcdef01234567',
      weigering: {
        id: 'sl-9',
        time: '2026-11-23T10:00:00Z',
        type: 'beeindiging.afwijzen',
        door: 'A',
        reden: 'BEEINDIGING_AL_VERZONDEN: al verzonden',
      },
    });
  });
});
