import { parseMessage } from '../../../services/ingest';
import { REPEAT_LIMITS } from '../../../services/ingest/istandaard/schema';
import {
  buildIo31,
  buildNetwerkmodelEvent,
  buildWmo301,
  DEFAULT_CONTACT,
  netwerkmodelEvent,
} from '../../fixtures/builders';

/**
 * Repeated elements are bounded per message (REPEAT_LIMITS): one WMO301 of 400 products once made 400
 * beëindigingen of 400 products each, and 28,000 Contact elements a WMO301 larger than Kafka takes. The
 * limit is accepted, one more is TOO_MANY.
 */
const result = (topic: Parameters<typeof parseMessage>[0], text: string, json = false) => {
  const r = parseMessage(topic, text, json ? { 'content-type': 'application/json' } : {});
  return r.ok ? 'OK' : `${r.error.code}: ${r.error.reason}`;
};

const producten = (n: number) => Array.from({ length: n }, (_, i) => ({ toewijzingnummer: 1000 + i }));
const contacten = (n: number) => Array.from({ length: n }, () => DEFAULT_CONTACT);

describe('repeated elements beyond REPEAT_LIMITS are TOO_MANY', () => {
  const maxProducten = REPEAT_LIMITS['ToegewezenProducten/ToegewezenProduct']!;
  const maxContacten = REPEAT_LIMITS['Contactgegevens/Contact']!;
  const maxZzp = REPEAT_LIMITS['GeindiceerdeZorgzwaartepakketten/GeindiceerdZorgzwaartepakket']!;

  it('ToegewezenProduct in a WMO301', () => {
    expect(result('wmo-toewijzingen', buildWmo301({ producten: producten(maxProducten) }))).toBe('OK');
    expect(result('wmo-toewijzingen', buildWmo301({ producten: producten(maxProducten + 1) }))).toBe(
      `TOO_MANY: more than ${maxProducten} ToegewezenProduct elements in Bericht/Client/ToegewezenProducten`,
    );
  });

  it('Contact in a WMO301 and an IO31', () => {
    expect(result('wmo-toewijzingen', buildWmo301({ contacten: contacten(maxContacten) }))).toBe('OK');
    expect(result('wmo-toewijzingen', buildWmo301({ contacten: contacten(maxContacten + 1) }))).toMatch(
      /^TOO_MANY: more than 10 Contact elements in Bericht\/Client\/Contactgegevens$/,
    );
    expect(result('indicatiebesluiten', buildIo31({ contacten: contacten(maxContacten + 1) }))).toMatch(
      /^TOO_MANY: /,
    );
  });

  it('zorgzwaartepakketten in an IO31 and a netwerkmodel event', () => {
    const zzps = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        zzpCode: '754',
        ingangsdatum: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      }));
    expect(result('indicatiebesluiten', buildIo31({ zzps: zzps(maxZzp) }))).toBe('OK');
    expect(result('indicatiebesluiten', buildIo31({ zzps: zzps(maxZzp + 1) }))).toMatch(/^TOO_MANY: /);
    const event = netwerkmodelEvent();
    const record = event['wlzIndicatie'] as Record<string, unknown>;
    const one = (record['geindiceerdZorgzwaartepakket'] as unknown[])[0];
    record['geindiceerdZorgzwaartepakket'] = Array.from({ length: maxZzp + 1 }, () => one);
    expect(result('indicatiebesluiten', JSON.stringify(event), true)).toBe(
      `TOO_MANY: wlzIndicatie.geindiceerdZorgzwaartepakket has more than ${maxZzp} entries`,
    );
    expect(result('indicatiebesluiten', buildNetwerkmodelEvent(), true)).toBe('OK');
  });

  it('every repeated element has a limit', () => {
    for (const [pair, limit] of Object.entries(REPEAT_LIMITS)) {
      expect(pair).toMatch(/^\w+\/\w+$/);
      expect(limit).toBeGreaterThan(0);
    }
  });
});
