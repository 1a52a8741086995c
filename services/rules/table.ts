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
      '(VPT, MPT, PGB, of Wlz-zorg thuis in toegewezen functies) blijven Wmo, ook met een Wlz-indicatie.',
    bronnen: ['RH-SL', 'RH-HM', 'WMOT'],
  },
  'HM-VERBLIJF': {
    id: 'HM-VERBLIJF',
    omschrijving:
      'Sinds 1 januari 2020 verstrekt de Wlz mobiliteitshulpmiddelen en roerende voorzieningen aan alle cliënten ' +
      'in een Wlz-instelling, ook bij deeltijdverblijf.',
    bronnen: ['ZHA', 'CJZ', 'MZK', 'RH-SL'],
  },
  'HM-DTV': {
    id: 'HM-DTV',
    omschrijving:
      'Deeltijdverblijf: de Wlz verstrekt hulpmiddelen en woonvoorzieningen in de instelling, de Wmo "zo nodig: 2e ' +
      'woonvoorziening/hulpmiddel voor thuis". De categorie zegt niet welke van de twee dit is: de gemeente beoordeelt, ' +
      'niets wordt beëindigd (bij twijfel houdt de cliënt zijn voorziening thuis).',
    bronnen: ['RH-SL', 'ZHA'],
  },
  WOONVOORZIENING: {
    id: 'WOONVOORZIENING',
    omschrijving:
      'Woonvoorzieningen bij verblijf: een woningaanpassing is een eenmalige voorziening aan de woning die de cliënt ' +
      'verlaat, geen zorg die de Wlz overneemt (de Wmo kan de woning ook bezoekbaar maken); roerende woonvoorzieningen ' +
      'in de instelling komen wel uit de Wlz. De categorie onderscheidt ze niet: de gemeente beoordeelt, niets wordt ' +
      'beëindigd.',
    bronnen: ['RH-SL', 'WMOT-BEHOUD', 'ZHA'],
  },
  VERVOER: {
    id: 'VERVOER',
    omschrijving: 'Sociaal vervoer (regiotaxi, collectief vervoer) blijft Wmo, ook naast Wlz-zorg.',
    bronnen: ['RH-SL'],
  },
  'VERVOER-DAGBESTEDING': {
    id: 'VERVOER-DAGBESTEDING',
    omschrijving:
      'Sociaal vervoer blijft Wmo, maar vervoer naar dagbesteding of dagbehandeling hoort bij de Wlz-aanspraak als de ' +
      'zorgtoewijzing dagbesteding (kan) omvatten; categorie 08 onderscheidt ze niet: de gemeente beoordeelt, niets ' +
      'wordt beëindigd. Een gemeente kan haar productcode voor vervoer naar dagbesteding op een andere categorie laten ' +
      'beoordelen (PRODUCTCODE_REGELS).',
    bronnen: ['RH-SL', 'ZIN-VV'],
  },
  FUNCTIE: {
    id: 'FUNCTIE',
    omschrijving:
      'Een toegewezen functie is Wlz-zorg thuis in functies en klassen (zorgarrangement thuis); de functie omvat de ' +
      'Wmo-zorg van deze categorie: 21 HV → 01, 31 PV → 03, 81 BG-IND en 82 BG-GRP → 02, 07, 09, 71 VBTYD → 04.',
    bronnen: ['IWLZ-FUNCTIE', 'CZ-LZ', 'RH-SL'],
  },
  'FUNCTIE-ANDERS': {
    id: 'FUNCTIE-ANDERS',
    omschrijving:
      'Wlz-zorg thuis in een toegewezen functie die deze Wmo-zorg niet omvat: er is samenloop met de Wlz, maar de ' +
      'Wlz levert deze zorg (nog) niet; de gemeente beoordeelt, niets wordt beëindigd.',
    bronnen: ['IWLZ-FUNCTIE', 'STZ'],
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
    omschrijving: 'Zorgtoewijzing met een andere of ontbrekende leveringsvorm: de woonsituatie is onbekend.',
    bronnen: ['STZ'],
  },
};

const V: Beoordeling = 'wlz-voorliggend';
const T: Beoordeling = 'toegestaan';
const B: Beoordeling = 'beoordelen';
type Cel = readonly [Beoordeling, keyof typeof GRONDEN];

type FunctieSituatie =
  'functie-hv' | 'functie-pv' | 'functie-bg-ind' | 'functie-bg-grp' | 'functie-vbtyd' | 'functie-overig';
const FUNCTIE_KOLOMMEN: readonly FunctieSituatie[] = [
  'functie-hv',
  'functie-pv',
  'functie-bg-ind',
  'functie-bg-grp',
  'functie-vbtyd',
  'functie-overig',
];

/** The functie columns of a zorg categorie: wlz-voorliggend where the functie covers it, else beoordelen. */
const functies = (omvat: readonly FunctieSituatie[]): Cel[] =>
  FUNCTIE_KOLOMMEN.map((f) => (omvat.includes(f) ? [V, 'FUNCTIE'] : [B, 'FUNCTIE-ANDERS']));

/** Zorg (01, 02, 03, 04, 07, 09, 15): Wlz in every leveringsvorm; in functies only where the functie covers it. */
const zorg = (
  omvat: readonly FunctieSituatie[],
  mpt: Cel = [V, 'ZORG'],
  grond: keyof typeof GRONDEN = 'ZORG',
): Cel[] => [
  [B, 'INDICATIE-ZORG'],
  [V, grond],
  [V, grond],
  mpt,
  [V, grond],
  [V, grond],
  [V, grond],
  ...functies(omvat),
  [B, 'OVERIG'],
];
const thuisFuncties = (c: Cel): Cel[] => FUNCTIE_KOLOMMEN.map(() => c);
/**
 * Hulpmiddelen, woon- en vervoervoorzieningen (11-14): Wmo at home (also with functies), Wlz in verblijf,
 * beoordelen in deeltijdverblijf; woonvoorzieningen (13) beoordelen in verblijf too.
 */
const hulpmiddel = (verblijf: Cel = [V, 'HM-VERBLIJF']): Cel[] => [
  [T, 'INDICATIE-HM'],
  verblijf,
  [T, 'HM-THUIS'],
  [T, 'HM-THUIS'],
  [T, 'HM-THUIS'],
  [B, 'HM-DTV'],
  [B, 'VKB-HM'],
  ...thuisFuncties([T, 'HM-THUIS']),
  [B, 'OVERIG'],
];
const VD: Cel = [B, 'VERVOER-DAGBESTEDING'];
const VS: Cel = [T, 'VERVOER'];
/** Vervoerdiensten (08): toegestaan, but beoordelen where the zorgtoewijzing (may) include dagbesteding. */
const vervoer: Cel[] = [VS, VD, VD, VD, VD, VD, VS, VS, VS, VS, VD, VS, VD, VD];
const overal = (c: Cel): Cel[] => SITUATIES.map(() => c);

const BG: readonly FunctieSituatie[] = ['functie-bg-ind', 'functie-bg-grp'];

/**
 * Columns, in SITUATIES order:
 * geen-zorgtoewijzing | verblijf (4) | vpt (5) | mpt (7) | pgb (2) | dtv (8) | vkb (9) |
 * functie 21 | 31 | 81 | 82 | 71 | andere functie | overig
 */
const TABEL: Readonly<Record<Productcategorie, Cel[]>> = {
  '01': zorg(['functie-hv'], [V, 'HH-MPT']), // hulp bij het huishouden
  '02': zorg(BG), // begeleiding
  '03': zorg(['functie-pv']), // persoonlijke verzorging
  '04': zorg(['functie-vbtyd']), // kortdurend verblijf
  '05': overal([B, 'ONDUIDELIJK']), // woondiensten
  '06': overal([B, 'ONDUIDELIJK']), // overige ondersteuning individu/huishouden
  '07': zorg(BG), // dagbesteding
  '08': vervoer, // vervoerdiensten (regiotaxi; vervoer naar dagbesteding)
  '09': zorg(BG), // overige groepsgerichte ondersteuning
  '10': overal([B, 'ONDUIDELIJK']), // overige maatwerk arrangementen
  '11': hulpmiddel(), // rolstoelen
  '12': hulpmiddel(), // vervoervoorzieningen
  '13': hulpmiddel([B, 'WOONVOORZIENING']), // woonvoorzieningen
  '14': hulpmiddel(), // overige hulpmiddelen
  '15': zorg([], [V, 'BW'], 'BW'), // beschermd wonen
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
      if (TABEL[categorie].length !== SITUATIES.length)
        throw new Error(`rules table: row ${categorie} length`);
      return { id: regelId(categorie, situatie), categorie, situatie, beoordeling: cel[0], grond: cel[1] };
    }),
  );

export const categorieNaam = (categorie: string): string =>
  Object.hasOwn(PRODUCTCATEGORIE, categorie) ? PRODUCTCATEGORIE[categorie as Productcategorie] : categorie;
