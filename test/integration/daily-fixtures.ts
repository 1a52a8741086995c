/** The IO31 and WMO301 of the daily re-evaluation's tests on the real stack (daily, retention). */
import { buildIo31, buildWmo301 } from '../fixtures/builders';

export const indicatie = (bsn: string) =>
  buildIo31({
    bsn,
    identificatie: `I${bsn}`.slice(0, 12),
    dagtekening: '2026-11-01',
    besluitnummer: 5000 + Number(bsn.slice(-3)),
    afgiftedatum: '2026-11-01',
    ingangsdatum: '2026-11-01',
    einddatum: null,
    zzps: ['755'],
  });

export const toewijzing = (bsn: string, einddatum: string | null) =>
  buildWmo301({
    bsn,
    identificatie: `W${bsn}`.slice(0, 12),
    dagtekening: '2026-11-02',
    toewijzingnummer: Number(bsn.slice(-6)),
    toewijzingsdatum: '2026-11-02',
    ingangsdatum: '2026-01-01',
    einddatum,
    ...(einddatum ? { omvang: { volume: 3, eenheid: '04', frequentie: '2' } } : {}),
  });
