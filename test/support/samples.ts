/** Small sample values that several tests build the same way. */
import type { Rendered } from '../../services/messages/render';
import { buildWmo301 } from '../fixtures/builders';

/** A rendered output to gemeente 0363 whose key, id and JSON body are all `id`. */
export const output = (id: string): Rendered => ({
  channel: 'samenloop',
  gemeente: '0363',
  key: id,
  value: `{"id":"${id}"}`,
  contentType: 'application/cloudevents+json',
  id,
});

/**
 * The WMO301 these tests send for a client: toewijzing 7001 of 2026-11-02, from 2026-01-01 to `einddatum` (open
 * when null; an ending one has an omvang).
 */
export const wmo301 = (bsn: string, einddatum: string | null) =>
  buildWmo301({
    bsn,
    identificatie: `W${bsn.slice(-4)}1`,
    dagtekening: '2026-11-02',
    toewijzingnummer: 7001,
    toewijzingsdatum: '2026-11-02',
    ingangsdatum: '2026-01-01',
    einddatum,
    ...(einddatum ? { omvang: { volume: 3, eenheid: '04', frequentie: '2' } } : {}),
  });
