/**
 * Lookups over the rules data: situation of a leveringsvorm, the cell for a categorie × situation, and the
 * zorgprofiel exceptions. Pure.
 */
import { PRODUCTCATEGORIE } from '../domain/codelists';
import { bronTekst } from './bronnen';
import { ONBEKENDE_CATEGORIE, OVERGANGSRECHT, PARTNERVERBLIJF } from './exceptions';
import { categorieNaam, GRONDEN, REGELS } from './table';
import {
  LEVERINGSVORM_VAN,
  SITUATIE_LABEL,
  SITUATIES,
  type Beoordeling,
  type RegelView,
  type Situatie,
} from './types';

const BY_KEY = new Map(REGELS.map((r) => [`${r.categorie}|${r.situatie}`, r]));
const SITUATIE_VAN_LEVERINGSVORM = new Map(
  SITUATIES.flatMap((s) => {
    const code = LEVERINGSVORM_VAN[s];
    return code === undefined ? [] : [[code as string, s] as const];
  }),
);

/** The situation of a zorgtoewijzing with this COD578 Leveringsvorm; `overig` when missing or unknown. */
export function situatieVan(leveringsvorm: string | undefined): Situatie {
  return (leveringsvorm !== undefined && SITUATIE_VAN_LEVERINGSVORM.get(leveringsvorm)) || 'overig';
}

export interface Uitkomst {
  beoordeling: Beoordeling;
  regel: RegelView;
}

const BEOORDELING_TEKST: Readonly<Record<Beoordeling, string>> = {
  'wlz-voorliggend': 'de Wlz is voorliggend',
  toegestaan: 'de Wmo-voorziening mag doorlopen',
  beoordelen: 'de gemeente beoordeelt, niets wordt beëindigd',
};

/** The table's verdict for a productcategorie (WMO020 code) beside a Wlz situation. */
export function beoordeel(categorie: string | undefined, situatie: Situatie): Uitkomst {
  const regel = categorie !== undefined ? BY_KEY.get(`${categorie}|${situatie}`) : undefined;
  if (!regel || !Object.hasOwn(PRODUCTCATEGORIE, regel.categorie)) {
    return {
      beoordeling: 'beoordelen',
      regel: {
        id: ONBEKENDE_CATEGORIE.id,
        omschrijving: ONBEKENDE_CATEGORIE.omschrijving,
        bron: bronTekst(ONBEKENDE_CATEGORIE.bronnen),
      },
    };
  }
  const grond = GRONDEN[regel.grond];
  if (!grond) throw new Error(`rules table: unknown grond ${regel.grond}`);
  return {
    beoordeling: regel.beoordeling,
    regel: {
      id: regel.id,
      omschrijving:
        `${regel.categorie} ${categorieNaam(regel.categorie)} bij ${SITUATIE_LABEL[situatie]}: ` +
        `${BEOORDELING_TEKST[regel.beoordeling]}. ${grond.omschrijving}`,
      bron: bronTekst(grond.bronnen),
    },
  };
}

/** ZzpCode 999: partnerverblijf, no Wlz access. */
export const isPartnerverblijf = (zzpCode: string): boolean => PARTNERVERBLIJF.zzpCodes.includes(zzpCode);

/** A low zorgprofiel under the overgangsrecht, given the Afgiftedatum of its indicatie. */
export function isLaagZorgprofiel(zzpCode: string, afgiftedatum: string): boolean {
  if (OVERGANGSRECHT.altijd.includes(zzpCode)) return true;
  const voor = OVERGANGSRECHT.alleenAfgegevenVoor;
  return voor.codes.includes(zzpCode) && afgiftedatum < voor.datum;
}
