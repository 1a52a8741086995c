/** The IO31 and WMO301 of the daily re-evaluation's tests (test/unit/pipeline/daily and tombstones). */
import { buildIo31, buildWmo301 } from '../../fixtures/builders';

export const indicatie = (
  bsn: string,
  o: { einddatum?: string | null; ingangsdatum?: string; besluitnummer?: number } = {},
) =>
  buildIo31({
    bsn,
    identificatie: `CIZ${bsn.slice(-4)}${o.besluitnummer ?? ''}`.slice(0, 12),
    dagtekening: '2026-11-01',
    besluitnummer: o.besluitnummer ?? 4001,
    afgiftedatum: '2026-11-01',
    ingangsdatum: o.ingangsdatum ?? '2026-11-01',
    einddatum: o.einddatum ?? null,
    zzps: ['755'],
  });

export const wmo = (bsn: string, o: { einddatum?: string | null; nummer?: number } = {}) =>
  buildWmo301({
    bsn,
    identificatie: `W${bsn.slice(-4)}${o.nummer ?? 1}`,
    dagtekening: '2026-11-02',
    toewijzingnummer: o.nummer ?? 7001,
    toewijzingsdatum: '2026-11-02',
    ingangsdatum: '2026-01-01',
    einddatum: o.einddatum ?? null,
    ...(o.einddatum ? { omvang: { volume: 3, eenheid: '04', frequentie: '2' } } : {}),
  });
