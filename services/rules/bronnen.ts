/**
 * The sources the rules cite, with the short ids of ../shared/reference/samenloop-rules.md §0 (and of
 * reference/iwmo.md and reference/iwlz.md for the iStandaarden rules). Reviewed like code: a rule may only
 * cite an id listed here (a unit test checks it).
 */
export interface Bron {
  titel: string;
  url: string;
}

export const BRONNEN: Readonly<Record<string, Bron>> = {
  'RH-SL': {
    titel: 'Regelhulp (VWS): Schema samenloop Wlz en Wmo',
    url: 'https://www.regelhulp.nl/onderwerpen/wlz/samenloop-met-wmo',
  },
  'RH-HM': {
    titel: 'Regelhulp: Hulpmiddelen bij Wlz-zorg',
    url: 'https://www.regelhulp.nl/onderwerpen/wlz/hulpmiddelen',
  },
  'VNG-PV': {
    titel: 'VNG: Overgang huishoudelijke hulp naar Wlz: correctie CIZ (partnerverblijf)',
    url: 'https://vng.nl/nieuws/overgang-huishoudelijke-hulp-naar-wlz-correctie-ciz',
  },
  'VNG-BW': {
    titel: 'VNG: Beschermd wonen, maatschappelijke opvang en ggz (van Wmo naar Wlz)',
    url: 'https://vng.nl/rubrieken/onderwerpen/beschermd-wonen-maatschappelijke-opvang-en-ggz',
  },
  'IB-SIG': {
    titel: 'Inlichtingenbureau: Wlz Signalen',
    url: 'https://www.inlichtingenbureau.nl/Beleidsterreinen/Wmo-en-Jeugdzorg/Dienstverlening-Wlz/Wlz-Signalen',
  },
  'VNGR-SIG': {
    titel: 'VNG Realisatie: Wlz Signalen verlicht gemeenten (2020)',
    url: 'https://publicaties.vngrealisatie.nl/2020/e-magazine/9/wlz-signalen-verlicht-gemeenten/',
  },
  'SCH-HH': {
    titel: 'Schulinck: overhevelen huishoudelijke hulp thuiswonende Wlz-cliënten (MPT) per 1 april 2017',
    url: 'https://www.schulinck.nl/sociaal-domein/wmo-nieuws-nieuws-wmo-overhevelen-hh-thuiswonende-wlz-clienten/',
  },
  'SCH-OP': {
    titel: 'Schulinck opinie: art. 2.3.5 lid 6 Wmo 2015 (Wlz-cliënten)',
    url: 'https://www.schulinck.nl/opinie/opinie-wmo-kunnen-wlz-clienten-die-van-intramuraal-naar/',
  },
  STZ: {
    titel: 'Stimulansz: Afbakening Wmo en Wlz',
    url: 'https://www.stimulansz.nl/afbakening-wmo-en-wlz-2/',
  },
  WMOT: {
    titel: 'Wmotraining: Wmo hulpmiddelen voor mensen met een Wlz-indicatie',
    url: 'https://www.wmotraining.nl/wmo/wmo-hulpmiddelen-voor-mensen-met-een-wlz-indicatie/',
  },
  ZHA: {
    titel: 'Zorghulpatlas: Hulpmiddelenzorg in Wlz-instellingen vereenvoudigd in 2020',
    url: 'https://zorghulpatlas.nl/hulpmiddelenzorg-in-wlz-instellingen-vereenvoudigd/',
  },
  CJZ: {
    titel: 'Checkjezit: Hoe werkt de Wlz-procedure? (rolstoel, 1-1-2020)',
    url: 'https://www.checkjezit.nl/aanvraag/hoe-werkt-de-wlz-procedure/',
  },
  MZK: {
    titel: 'Menzis zorgkantoor: Rolstoelen en hulpmiddelen',
    url: 'https://www.menziszorgkantoor.nl/zorgaanbieders/zorginkoop/rolstoelen-en-hulpmiddelen',
  },
  'CZ-LZ': {
    titel: 'CZ zorgkantoor: Overgangsrecht voor cliënten met een laag zorgprofiel',
    url: 'https://www.cz-zorgkantoor.nl/zorgaanbieder/zorg-leveren/overgangsrecht-laag-zorgprofiel',
  },
  'ZIN-OR': {
    titel: 'Zorginstituut Nederland: Overgangsrecht (Wlz)',
    url: 'https://www.zorginstituutnederland.nl/Verzekerde+zorg/overgangsrecht-wlz',
  },
  'PGB-ZZP': {
    titel: 'pgb.nl (Per Saldo): hoog/laag zzp',
    url: 'https://www.pgb.nl/pgb/wlz/voor-wie-2/hooglaag-zzp/',
  },
  'KST-651': {
    titel: 'Kamerbrief 14-4-2023, Kamerstuk 25 424 nr. 651 (ggz in de Wlz)',
    url: 'https://zoek.officielebekendmakingen.nl/kst-25424-651.html',
  },
  COD163: {
    titel: 'iWlz COD163 Zorgzwaartepakket (999 = partnerverblijf; lage zorgprofielen)',
    url: 'https://www.vektis.nl/standaardisatie/codelijsten/COD163-CIZ',
  },
  'IWLZ-AW33': {
    titel:
      'iWlz 2.2 AW33 zorgtoewijzing: Einddatum en RedenIntrekking (COD172); Indicatieregister: vervaldatum, verwijderde indicatie',
    url: 'https://github.com/iStandaarden/XSD-iWlz',
  },
  'IWLZ-FUNCTIE': {
    titel:
      'iWlz 2.2 AW33 ToegewezenFunctie, FunctieCode: 21 HV, 31 PV, 41 VP, 61-64 BH, 71 VBTYD, 81 BG-IND, 82 BG-GRP, 91 ADL',
    url: 'https://github.com/iStandaarden/XSD-iWlz',
  },
  'ZIN-VV': {
    titel: 'Zorginstituut Nederland: Vervoer (Wlz) (vervoer naar dagbesteding of dagbehandeling)',
    url: 'https://www.zorginstituutnederland.nl/Verzekerde+zorg/vervoer-wlz',
  },
  'WMOT-BEHOUD': {
    titel: 'Wmotraining: Behoud hulpmiddelen thuis bij wonen in Wlz-instelling (tip van de week 382)',
    url: 'https://www.wmotraining.nl/actueel/behoud-hulpmiddelen-thuis-bij-wonen-in-wlz-instelling/',
  },
  'IWMO-OP087': {
    titel:
      'iWmo 3.2 OP087: een toewijzingsbericht bevat alle actuele toewijzingen voor de aanbieder; actueel = geen einddatum of einddatum op/na vandaag',
    url: 'https://informatiemodel.istandaarden.nl/informatiemodel/iwmo/3.2/regels/bedrijfsregel/op087/',
  },
  'IWMO-OP033X1': {
    titel:
      'iWmo 3.2 OP033x1: wijzigen, intrekken (in overleg met de aanbieder) en verwijderen (RedenWijziging 13) van een toewijzing',
    url: 'https://informatiemodel.istandaarden.nl/informatiemodel/iwmo/3.2/regels/bedrijfsregel/op033x1/',
  },
  'IWMO-WMO002': {
    titel:
      'iWmo 3.2 WMO002 Reden wijziging: 02 client overleden, 06 uitstroom naar ander domein (Wlz), 13 verwijderd, 14 administratieve correctie',
    url: 'https://informatiemodel.istandaarden.nl/informatiemodel/iwmo/3.2/codelijsten/wmo002/',
  },
};

/** The sources of a rule as one line of text: `ID: titel (url); …`. */
export function bronTekst(ids: readonly string[]): string {
  return ids
    .map((id) => {
      const b = BRONNEN[id];
      return b ? `${id}: ${b.titel} (${b.url})` : id;
    })
    .join('; ');
}
