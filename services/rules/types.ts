import { LEVERINGSVORM, PRODUCTCATEGORIE, type Productcategorie } from '../domain/codelists';

/**
 * What the rules say about one Wmo voorziening beside one Wlz situation:
 * - `wlz-voorliggend`: the Wlz covers it; the Wmo toewijzing should end (a beëindiging is proposed or sent);
 * - `beoordelen`: possible samenloop; the gemeente is told and judges, nothing is ended;
 * - `toegestaan`: the Wmo voorziening may continue; nobody is told.
 */
export type Beoordeling = 'wlz-voorliggend' | 'toegestaan' | 'beoordelen';

/**
 * The Wlz situation of the client as far as the rules need it: no zorgtoewijzing yet (indicatie only, the
 * leveringsvorm is unknown), the leveringsvorm of a zorgtoewijzing (COD578), a toegewezen functie (AW33
 * ToegewezenFunctie: Wlz care at home in functies and klassen, by the FunctieCode), or `overig` for a
 * zorgtoewijzing whose leveringsvorm is missing or not in COD578.
 */
export const SITUATIES = [
  'geen-zorgtoewijzing',
  'verblijf',
  'vpt',
  'mpt',
  'pgb',
  'dtv',
  'vkb',
  'functie-hv',
  'functie-pv',
  'functie-bg-ind',
  'functie-bg-grp',
  'functie-vbtyd',
  'functie-overig',
  'overig',
] as const;
export type Situatie = (typeof SITUATIES)[number];

/** The COD578 Leveringsvorm code of each situation that has one. */
export const LEVERINGSVORM_VAN: Readonly<Partial<Record<Situatie, keyof typeof LEVERINGSVORM>>> = {
  verblijf: '4',
  vpt: '5',
  mpt: '7',
  pgb: '2',
  dtv: '8',
  vkb: '9',
};

/**
 * The situation of each toegewezen functie (FunctieCode, reference/iwlz.md §7); every other FunctieCode
 * (41 VP, 61-64 BH, 91 ADL, or an unknown one) is `functie-overig`.
 */
export const FUNCTIE_SITUATIE: Readonly<Record<string, Situatie>> = {
  '21': 'functie-hv',
  '31': 'functie-pv',
  '81': 'functie-bg-ind',
  '82': 'functie-bg-grp',
  '71': 'functie-vbtyd',
};

/**
 * Where the client lives, as far as the Wlz situation tells (data minimisation: a notification carries this,
 * not the leveringsvorm or zorgprofiel codes): `thuis` (VPT, MPT, PGB, functies), `instelling` (verblijf),
 * `deeltijd` (deeltijdverblijf), `onbekend` (no zorgtoewijzing yet, verkeerde bed in a hospital, or an
 * unknown leveringsvorm).
 */
export type Woonsituatie = 'thuis' | 'instelling' | 'deeltijd' | 'onbekend';
export const WOONSITUATIE: Readonly<Record<Situatie, Woonsituatie>> = {
  'geen-zorgtoewijzing': 'onbekend',
  verblijf: 'instelling',
  vpt: 'thuis',
  mpt: 'thuis',
  pgb: 'thuis',
  dtv: 'deeltijd',
  vkb: 'onbekend',
  'functie-hv': 'thuis',
  'functie-pv': 'thuis',
  'functie-bg-ind': 'thuis',
  'functie-bg-grp': 'thuis',
  'functie-vbtyd': 'thuis',
  'functie-overig': 'thuis',
  overig: 'onbekend',
};

/** Short label of a situation, for the rule texts and the README table. */
export const SITUATIE_LABEL: Readonly<Record<Situatie, string>> = {
  'geen-zorgtoewijzing': 'indicatie, nog geen zorgtoewijzing',
  verblijf: 'Verblijf (4)',
  vpt: 'VPT (5)',
  mpt: 'MPT (7)',
  pgb: 'PGB (2)',
  dtv: 'DTV (8)',
  vkb: 'VKB (9)',
  'functie-hv': 'functie HV (21)',
  'functie-pv': 'functie PV (31)',
  'functie-bg-ind': 'functie BG-IND (81)',
  'functie-bg-grp': 'functie BG-GRP (82)',
  'functie-vbtyd': 'functie VBTYD (71)',
  'functie-overig': 'andere functie (41, 6x, 91)',
  overig: 'andere of ontbrekende leveringsvorm',
};

/** Rule-id part of a situation: `SL-<categorie>-<code>`. */
export const SITUATIE_CODE: Readonly<Record<Situatie, string>> = {
  'geen-zorgtoewijzing': 'GEEN',
  verblijf: 'VERBLIJF',
  vpt: 'VPT',
  mpt: 'MPT',
  pgb: 'PGB',
  dtv: 'DTV',
  vkb: 'VKB',
  'functie-hv': 'FHV',
  'functie-pv': 'FPV',
  'functie-bg-ind': 'FBGIND',
  'functie-bg-grp': 'FBGGRP',
  'functie-vbtyd': 'FVBTYD',
  'functie-overig': 'FOVERIG',
  overig: 'OVERIG',
};

export type { Productcategorie };
/** iWmo WMO020 productcategorieën 01 … 18, in code order. */
export const PRODUCTCATEGORIEEN = Object.keys(PRODUCTCATEGORIE).sort() as Productcategorie[];

/** One cell of the rules table: a productcategorie beside a Wlz situation. */
export interface Regel {
  /** `SL-<categorie>-<situatie>`, e.g. `SL-01-MPT`. Stable: it is sent to gemeenten. */
  id: string;
  categorie: Productcategorie;
  situatie: Situatie;
  beoordeling: Beoordeling;
  /** Key into GRONDEN: why, with the sources. */
  grond: string;
}

/** A reason shared by several cells, with its sources (keys into BRONNEN). */
export interface Grond {
  id: string;
  omschrijving: string;
  bronnen: string[];
}

/** An exception to the table (or a rule about which facts count at all), as data with its sources. */
export interface Uitzondering {
  id: string;
  titel: string;
  omschrijving: string;
  bronnen: string[];
}

/** What a notification carries about the rule that decided: id, Dutch text, sources as text. */
export interface RegelView {
  id: string;
  omschrijving: string;
  bron: string;
}
