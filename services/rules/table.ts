/**
 * THE RULES TABLE: may a client keep this Wmo voorziening (iWmo WMO020 productcategorie) beside this Wlz
 * situation? One cell per productcategorie × situation, each with an id and a grond (reason + sources).
 * Sources: ../shared/reference/samenloop-rules.md §2-§10 (which cites them); the README section
 * "Rules table" is rendered from this file (`npx tsx services/rules/update-readme.ts`).
 *
 * Review this file like code: a change here changes which toewijzingen gemeenten are told to end.
 */
import { PRODUCTCATEGORIE, type Productcategorie } from '../domain/codelists';
import { SITUATIE_CODE, SITUATIES, type Beoordeling, type Grond, type Regel, type Situatie } from './types';

export const GRONDEN: Readonly<Record<string, Grond>> = {
  ZORG: {
    id: 'ZORG',
    omschrijving:
      'Wlz-zorg omvat huishoudelijke hulp, begeleiding, persoonlijke verzorging, dagbesteding en logeeropvang, ' +
      'in elke leveringsvorm (verblijf, VPT, MPT, PGB, deeltijdverblijf; bij verkeerde bed in het ziekenhuis).',
    bronnen: ['RH-SL', 'WMOT', 'STZ'],
  },
  'HH-MPT': {
    id: 'HH-MPT',
    omschrijving:
      'Huishoudelijke hulp voor thuiswonende Wlz-cliënten met een MPT is per 1 april 2017 overgegaan naar de Wlz ' +
      '(VPT en PGB omvatten haar al).',
    bronnen: ['SCH-HH', 'VNG-PV', 'RH-SL'],
  },
  BW: {
    id: 'BW',
    omschrijving:
      'Beschermd wonen: Wlz-verblijf (sinds 2021 ook GGZ-Wonen) vervangt de Wmo-voorziening; thuis levert de ' +
      'Wlz de begeleiding en verzorging.',
    bronnen: ['VNG-BW', 'KST-651', 'RH-SL'],
  },
  'HM-THUIS': {
    id: 'HM-THUIS',
    omschrijving:
      'Rolstoelen, vervoervoorzieningen, woonvoorzieningen en hulpmiddelen voor wie zelfstandig thuis woont ' +
      '(VPT, MPT, PGB) blijven Wmo, ook met een Wlz-indicatie.',
    bronnen: ['RH-SL', 'RH-HM', 'WMOT'],
  },
  'HM-VERBLIJF': {
    id: 'HM-VERBLIJF',
    omschrijving:
      'Sinds 1 januari 2020 verstrekt de Wlz mobiliteitshulpmiddelen en roerende voorzieningen aan alle cliënten ' +
      'in een Wlz-instelling, ook bij deeltijdverblijf.',
    bronnen: ['ZHA', 'CJZ', 'MZK', 'RH-SL'],
  },
  VERVOER: {
    id: 'VERVOER',
    omschrijving: 'Sociaal vervoer (regiotaxi, collectief vervoer) blijft Wmo, ook naast Wlz-zorg.',
    bronnen: ['RH-SL'],
  },
  'INDICATIE-ZORG': {
    id: 'INDICATIE-ZORG',
    omschrijving:
      'Wlz-indicatie zonder zorgtoewijzing: de leveringsvorm is nog onbekend. De gemeente mag de Wmo-voorziening ' +
      'weigeren (art. 2.3.5 lid 6 Wmo 2015), maar moet eerst onderzoeken hoe de Wlz wordt ingezet.',
    bronnen: ['STZ', 'SCH-OP', 'IB-SIG', 'VNGR-SIG'],
  },
  'INDICATIE-HM': {
    id: 'INDICATIE-HM',
    omschrijving:
      'Wlz-indicatie zonder zorgtoewijzing: de cliënt woont (nog) thuis; hulpmiddelen en vervoer blijven Wmo.',
    bronnen: ['RH-SL', 'RH-HM'],
  },
  ONDUIDELIJK: {
    id: 'ONDUIDELIJK',
    omschrijving: 'Voor deze categorie is geen bron gevonden over samenloop met de Wlz.',
    bronnen: ['RH-SL', 'STZ'],
  },
  'VKB-HM': {
    id: 'VKB-HM',
    omschrijving:
      'Verkeerde bed (VKB): de cliënt wacht in het ziekenhuis op Wlz-opname. De bronnen noemen hulpmiddelen bij VKB ' +
      'niet.',
    bronnen: ['RH-SL', 'ZHA'],
  },
  OVERIG: {
    id: 'OVERIG',
    omschrijving:
      'Zorgtoewijzing met een andere of ontbrekende leveringsvorm (bijv. een toegewezen functie): de woonsituatie ' +
      'is onbekend.',
    bronnen: ['STZ'],
  },
};

const V: Beoordeling = 'wlz-voorliggend';
const T: Beoordeling = 'toegestaan';
const B: Beoordeling = 'beoordelen';
type Cel = readonly [Beoordeling, keyof typeof GRONDEN];

/** Zorg (01, 02, 03, 04, 07, 09): Wlz in every leveringsvorm. */
const zorg = (mpt: Cel = [V, 'ZORG'], grond: keyof typeof GRONDEN = 'ZORG'): Cel[] => [
  [B, 'INDICATIE-ZORG'],
  [V, grond],
  [V, grond],
  mpt,
  [V, grond],
  [V, grond],
  [V, grond],
  [B, 'OVERIG'],
];
/** Hulpmiddelen, woon- en vervoervoorzieningen (11-14): Wmo at home, Wlz in (deeltijd)verblijf. */
const hulpmiddel: Cel[] = [
  [T, 'INDICATIE-HM'],
  [V, 'HM-VERBLIJF'],
  [T, 'HM-THUIS'],
  [T, 'HM-THUIS'],
  [T, 'HM-THUIS'],
  [V, 'HM-VERBLIJF'],
  [B, 'VKB-HM'],
  [B, 'OVERIG'],
];
const overal = (c: Cel): Cel[] => SITUATIES.map(() => c);

/**
 * Columns, in SITUATIES order:
 * geen-zorgtoewijzing | verblijf (4) | vpt (5) | mpt (7) | pgb (2) | dtv (8) | vkb (9) | overig
 */
const TABEL: Readonly<Record<Productcategorie, Cel[]>> = {
  '01': zorg([V, 'HH-MPT']), // hulp bij het huishouden
  '02': zorg(), // begeleiding
  '03': zorg(), // persoonlijke verzorging
  '04': zorg(), // kortdurend verblijf
  '05': overal([B, 'ONDUIDELIJK']), // woondiensten
  '06': overal([B, 'ONDUIDELIJK']), // overige ondersteuning individu/huishouden
  '07': zorg(), // dagbesteding
  '08': overal([T, 'VERVOER']), // vervoerdiensten (regiotaxi)
  '09': zorg(), // overige groepsgerichte ondersteuning
  '10': overal([B, 'ONDUIDELIJK']), // overige maatwerk arrangementen
  '11': hulpmiddel, // rolstoelen
  '12': hulpmiddel, // vervoervoorzieningen
  '13': hulpmiddel, // woonvoorzieningen
  '14': hulpmiddel, // overige hulpmiddelen
  '15': zorg([V, 'BW'], 'BW'), // beschermd wonen
  '16': overal([B, 'ONDUIDELIJK']), // opvang
  '17': overal([B, 'ONDUIDELIJK']), // spoedopvang
  '18': overal([B, 'ONDUIDELIJK']), // overige beschermd wonen en opvang
};

export const regelId = (categorie: string, situatie: Situatie): string =>
  `SL-${categorie}-${SITUATIE_CODE[situatie]}`;

/** The table as rows: every productcategorie × every situation, exactly once. */
export const REGELS: readonly Regel[] = (Object.keys(TABEL) as Productcategorie[])
  .sort()
  .flatMap((categorie) =>
    SITUATIES.map((situatie, i): Regel => {
      const cel = TABEL[categorie][i];
      if (!cel) throw new Error(`rules table: no cell for ${categorie} × ${situatie}`);
      return { id: regelId(categorie, situatie), categorie, situatie, beoordeling: cel[0], grond: cel[1] };
    }),
  );

export const categorieNaam = (categorie: string): string =>
  Object.hasOwn(PRODUCTCATEGORIE, categorie) ? PRODUCTCATEGORIE[categorie as Productcategorie] : categorie;
