/**
 * Exceptions to the table, and the rules about which facts count at all, as data with their sources.
 * The engine reads its parameters (codes, dates) from here; the README renders them.
 * Sources: ../shared/reference/samenloop-rules.md §4, §5, §9, §10; reference/iwlz.md §2-§3; reference/iwmo.md §3-§4.
 */
import type { Uitzondering } from './types';

/** ZzpCode 999 "ZZP0: Partnerverblijf": no access to the Wlz, so no samenloop. */
export const PARTNERVERBLIJF = {
  id: 'UITZ-PARTNERVERBLIJF',
  titel: 'Partnerverblijf (ZzpCode 999)',
  omschrijving:
    'Een indicatie of zorgtoewijzing met alleen zorgprofiel 999 (partnerverblijf) geeft geen toegang tot de Wlz: ' +
    'geen signaal, geen beëindiging; de Wmo-beschikking wordt niet ingetrokken. Vervangt een indicatie met 999 een ' +
    'eerdere (zelfde besluitnummer), dan vervallen de signalen van die eerdere indicatie.',
  bronnen: ['VNG-PV', 'COD163'],
  zzpCodes: ['999'] as readonly string[],
};

/**
 * Overgangsrecht laag zorgprofiel: VV1-3 and VG1-2 always; LG1/LG3 and ZGvis1/ZGaud1 only when the indicatie
 * was issued (Afgiftedatum) before `afgegevenVoor`; issued later they are regular Wlz indicaties (PGB-ZZP).
 */
export const OVERGANGSRECHT = {
  id: 'UITZ-OVERGANGSRECHT',
  titel: 'Overgangsrecht laag zorgprofiel (750-752, 800, 802; 820, 824, 840, 850 afgegeven vóór 2015)',
  omschrijving:
    'Een indicatie met alleen lage zorgprofielen onder het overgangsrecht (1VV-3VV = 750, 751, 752; 1VG-2VG = 800, ' +
    '802; 1LG/3LG = 820, 824 en 1ZGvis/1ZGaud = 840, 850 als afgegeven vóór 2015) is geen samenloop zolang de cliënt ' +
    'thuis woont met Wmo-ondersteuning. Vanaf de ingangsdatum van een zorgtoewijzing voor die indicatie betaalt de ' +
    'Wlz en gelden de gewone regels.',
  bronnen: ['CZ-LZ', 'ZIN-OR', 'PGB-ZZP', 'COD163'],
  altijd: ['750', '751', '752', '800', '802'] as readonly string[],
  alleenAfgegevenVoor: { datum: '2015-01-01', codes: ['820', '824', '840', '850'] as readonly string[] },
};

/** A Wmo toewijzing or aanvraag without a (valid) productcategorie: nothing to look up, the gemeente judges. */
export const ONBEKENDE_CATEGORIE = {
  id: 'SL-ONBEKEND',
  titel: 'Productcategorie onbekend',
  omschrijving:
    'De Wmo-toewijzing of -aanvraag heeft geen (geldige) productcategorie: de gemeente beoordeelt, niets wordt beëindigd.',
  bronnen: ['STZ'],
};

/** Einddatum of a beëindiging, and RedenWijziging 06; the correction with 14. */
export const BEEINDIGING = {
  id: 'UITZ-BEEINDIGING',
  titel: 'Beëindiging: de dag vóór de Wlz-zorg, nooit met terugwerkende kracht',
  omschrijving:
    'Een wlz-voorliggende toewijzing eindigt (WMO301, zelfde ToewijzingNummer, RedenWijziging 06) op de dag vóór de ' +
    'ingangsdatum van de zorgtoewijzing, maar nooit vóór vandaag; begint de toewijzing pas daarna, dan stelt de ' +
    'engine niets voor (verwijderen, RedenWijziging 13, is aan de gemeente). Vervalt de Wlz-grondslag terwijl de ' +
    'einddatum nog niet voorbij is, dan herstelt een WMO301 met RedenWijziging 14 de vorige einddatum, tenzij de ' +
    'gemeente de toewijzing na de beëindiging zelf heeft gewijzigd of verwijderd.',
  bronnen: ['IWMO-WMO002', 'IWMO-OP033X1', 'IWMO-OP087'],
};

/** Every exception and counting rule, in README order. */
export const UITZONDERINGEN: readonly Uitzondering[] = [
  PARTNERVERBLIJF,
  OVERGANGSRECHT,
  {
    id: 'UITZ-INTREKKING',
    titel: 'Beëindigde of ingetrokken zorgtoewijzing',
    omschrijving:
      'Een zorgtoewijzing telt alleen van Ingangsdatum tot en met Einddatum. Een ingetrokken zorgtoewijzing ' +
      '(RedenIntrekking) met Einddatum gelijk aan Ingangsdatum, of zonder Einddatum, heeft nooit gegolden. Een ' +
      'zorgtoewijzing telt niet als haar indicatie verwijderd is of alleen partnerverblijf bevat, en niet buiten de ' +
      'geldigheid van haar indicatie.',
    bronnen: ['IWLZ-AW33'],
  },
  {
    id: 'UITZ-INDICATIE-STATUS',
    titel: 'Verwijderde en vervallen indicatie',
    omschrijving:
      "Een indicatie met status 'verwijderd' heeft nooit gegolden. Een 'vervallen' indicatie telt tot (niet tot en met) " +
      'haar vervaldatum; zonder vervaldatum telt zij niet. Een beëindigde indicatie telt tot en met haar Einddatum.',
    bronnen: ['IWLZ-AW33'],
  },
  {
    id: 'UITZ-WLZ-ACTUEEL',
    titel: 'Alleen lopende of toekomstige Wlz-zorg',
    omschrijving:
      'Alleen een Wlz-periode die vandaag of later nog loopt telt; een Wmo-toewijzing of -aanvraag wordt alleen ' +
      'gesignaleerd als haar periode die Wlz-periode overlapt. Een indicatie telt als "nog geen zorgtoewijzing" ' +
      'zolang er geen lopende of toekomstige zorgtoewijzing voor is; daarna beslist de zorgtoewijzing.',
    bronnen: ['IB-SIG', 'VNGR-SIG'],
  },
  {
    id: 'UITZ-WMO-ACTUEEL',
    titel: 'Alleen actuele Wmo-toewijzingen',
    omschrijving:
      'Alleen een actuele Wmo-toewijzing (geen Einddatum, of Einddatum op of na vandaag) wordt gesignaleerd; een ' +
      'toewijzing met RedenWijziging 13 (verwijderd) heeft nooit bestaan en trekt haar signalen in.',
    bronnen: ['IWMO-OP087', 'IWMO-OP033X1', 'IWMO-WMO002'],
  },
  ONBEKENDE_CATEGORIE,
  BEEINDIGING,
];
