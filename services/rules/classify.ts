/**
 * Lookups over the rules data: situation of a leveringsvorm, the cell for a categorie × situation, and the
 * zorgprofiel exceptions. Pure.
 */
import { PRODUCTCATEGORIE } from '../domain/codelists';
import { bronTekst } from './bronnen';
import { ONBEKENDE_CATEGORIE, OVERGANGSRECHT, PARTNERVERBLIJF } from './exceptions';
import { categorieNaam, GRONDEN, REGELS } from './table';
import {
  FUNCTIE_SITUATIE,
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

/** The situation of a zorgtoewijzing: a toegewezen functie by its FunctieCode, a zorgzwaartepakket by its leveringsvorm. */
export function situatieVanZorgtoewijzing(z: {
  soort: 'zzp' | 'functie';
  code: string;
  leveringsvorm: string;
}): Situatie {
  if (z.soort === 'functie') {
    return Object.hasOwn(FUNCTIE_SITUATIE, z.code) ? FUNCTIE_SITUATIE[z.code]! : 'functie-overig';
  }
  return situatieVan(z.leveringsvorm);
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

/** Age in whole years on `datum` of someone born on `geboortedatum` (both `YYYY-MM-DD`). */
export function leeftijdOp(geboortedatum: string, datum: string): number {
  const jaren = Number(datum.slice(0, 4)) - Number(geboortedatum.slice(0, 4));
  return datum.slice(5) < geboortedatum.slice(5) ? jaren - 1 : jaren;
}

/**
 * A low zorgprofiel under the overgangsrecht, given the Afgiftedatum of its indicatie and the client's
 * Geboortedatum from the message: VG1/VG2 only for a client of 18 or older on the Afgiftedatum; without a
 * Geboortedatum they count as the overgangsrecht (see OVERGANGSRECHT.omschrijving).
 */
export function isLaagZorgprofiel(zzpCode: string, afgiftedatum: string, geboortedatum?: string): boolean {
  if (OVERGANGSRECHT.altijd.includes(zzpCode)) return true;
  const vg = OVERGANGSRECHT.alleenVanaf18;
  if (vg.codes.includes(zzpCode)) {
    return geboortedatum === undefined || leeftijdOp(geboortedatum, afgiftedatum) >= vg.leeftijd;
  }
  const voor = OVERGANGSRECHT.alleenAfgegevenVoor;
  return voor.codes.includes(zzpCode) && afgiftedatum < voor.datum;
}
