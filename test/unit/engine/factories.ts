/**
 * Small builders of facts and contexts for the engine tests: valid defaults, override what a test is about.
 * Synthetic data only (BSNs pass the 11-proef; gemeentecodes and AGB codes are made up).
 */
import type {
  ClientGegevens,
  IsoDate,
  WlzIndicatieFact,
  WlzZorgtoewijzingFact,
  WmoAanvraagFact,
  WmoToewijzingFact,
} from '../../../services/domain/facts';
import type { EngineContext, Policy } from './rendered';

export const BSN = '999990019';
export const BSN2 = '999990032';
export const GEMEENTE = '0363';
export const GEMEENTE2 = '0599';
export const AANBIEDER = '12345678';
export const AANBIEDER2 = '87654321';
export const TODAY = '2026-03-02';

export const client = (bsn = BSN): ClientGegevens => ({
  bsn,
  geboortedatum: '1938-04-02',
  geslacht: '2',
  naam: { achternaam: 'Testpersoon', voorvoegsel: 'van', voorletters: 'AB', naamGebruik: '1' },
  contactgegevens: [
    {
      soort: '01',
      huisnummer: '12',
      postcode: '3511AA',
      straatnaam: 'Voorbeeldstraat',
      plaatsnaam: 'Utrecht',
      landCode: 'NL',
    },
  ],
});

export function indicatie(over: Partial<WlzIndicatieFact> & { zzp?: string } = {}): WlzIndicatieFact {
  const { zzp = '755', ...rest } = over;
  const besluitnummer = rest.besluitnummer ?? '100000001';
  const ingangsdatum = rest.ingangsdatum ?? '2026-01-15';
  return {
    type: 'wlz-indicatie',
    key: `indicatie:${besluitnummer}`,
    version: '2026-01-15',
    source: { kind: 'IO31', messageId: `io31:${besluitnummer}` },
    client: client(),
    besluitnummer,
    afgiftedatum: '2026-01-15',
    ingangsdatum,
    zorgzwaartepakketten: [{ zzpCode: zzp, ingangsdatum }],
    functies: [],
    grondslagen: ['01'],
    status: 'actueel',
    ...rest,
  };
}

export function zorgtoewijzing(over: Partial<WlzZorgtoewijzingFact> = {}): WlzZorgtoewijzingFact {
  const besluitnummer = over.besluitnummer ?? '100000001';
  const code = over.code ?? '755';
  const instelling = over.instelling ?? '99000001';
  const ingangsdatum = over.ingangsdatum ?? '2026-04-01';
  return {
    type: 'wlz-zorgtoewijzing',
    key: `zorgtoewijzing:${besluitnummer}:${code}:${instelling}:${ingangsdatum}`,
    version: '2026-02-20T10:00:00',
    source: { kind: 'AW33', messageId: `aw33:${besluitnummer}:${ingangsdatum}` },
    client: client(),
    besluitnummer,
    soort: 'zzp',
    code,
    instelling,
    zorgkantoor: '5509',
    soortToewijzing: '1',
    toewijzingsdatum: '2026-02-20',
    toewijzingstijd: '10:00:00',
    ingangsdatum,
    leveringsvorm: '7',
    ...over,
  };
}

export function toewijzing(over: Partial<WmoToewijzingFact> = {}): WmoToewijzingFact {
  const gemeente = over.gemeente ?? GEMEENTE;
  const toewijzingnummer = over.toewijzingnummer ?? '123456';
  return {
    type: 'wmo-toewijzing',
    key: `wmo:${gemeente}:${toewijzingnummer}`,
    version: '2025-12-01T09:00:00',
    source: { kind: 'WMO301', messageId: `wmo301:${gemeente}:${toewijzingnummer}` },
    client: client(),
    gemeente,
    aanbieder: AANBIEDER,
    toewijzingnummer,
    productcategorie: '01',
    productcode: '01A01',
    toewijzingsdatum: '2025-12-01',
    toewijzingstijd: '09:00:00',
    ingangsdatum: '2026-01-01',
    einddatum: '2026-12-31',
    omvang: { volume: '3', eenheid: '04', frequentie: '2' },
    ...over,
  };
}

export function aanvraag(over: Partial<WmoAanvraagFact> = {}): WmoAanvraagFact {
  const gemeente = over.gemeente ?? GEMEENTE;
  const aanvraagId = over.aanvraagId ?? 'A-1';
  return {
    type: 'wmo-aanvraag',
    key: `aanvraag:${gemeente}:${aanvraagId}`,
    version: '2026-02-01',
    source: { kind: 'CSV', messageId: `csv:${gemeente}:${aanvraagId}` },
    client: client(),
    gemeente,
    aanvraagId,
    productcategorie: '02',
    ingangsdatum: '2026-02-01',
    ...over,
  };
}

export function ctx(
  over: Partial<EngineContext> & { policies?: Record<string, Policy>; today?: IsoDate } = {},
): EngineContext {
  const { policies = {}, ...rest } = over;
  const today = rest.today ?? TODAY;
  return {
    today,
    now: `${today}T09:15:00+01:00`,
    policy: (g) => policies[g] ?? 'voorstel',
    source: 'urn:samenloop:test',
    ...rest,
  };
}
