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
 * Overgangsrecht laag zorgprofiel: VV1-3 always; VG1-2 only for clients of 18 or older (on the Afgiftedatum,
 * by the Geboortedatum in the message); LG1/LG3 and ZGvis1/ZGaud1 only when the indicatie was issued
 * (Afgiftedatum) before `afgegevenVoor`; otherwise they are regular Wlz indicaties (CZ-LZ, PGB-ZZP).
 */
export const OVERGANGSRECHT = {
  id: 'UITZ-OVERGANGSRECHT',
  titel:
    'Overgangsrecht laag zorgprofiel (750-752; 800, 802 vanaf 18 jaar; 820, 824, 840, 850 afgegeven vóór 2015)',
  omschrijving:
    'Een indicatie met alleen lage zorgprofielen onder het overgangsrecht (1VV-3VV = 750, 751, 752; 1VG-2VG = 800, ' +
    '802 voor een cliënt van 18 jaar of ouder; 1LG/3LG = 820, 824 en 1ZGvis/1ZGaud = 840, 850 als afgegeven vóór ' +
    '2015) is geen samenloop zolang de cliënt thuis woont met Wmo-ondersteuning. Vanaf de ingangsdatum van een ' +
    'zorgtoewijzing voor die indicatie betaalt de Wlz en gelden de gewone regels. VG1/VG2 van een cliënt die op de ' +
    'afgiftedatum jonger dan 18 was, is een gewone Wlz-indicatie. Ontbreekt de geboortedatum in het bericht, dan ' +
    'geldt het overgangsrecht (de bronnen zwijgen; zo houdt de cliënt zijn Wmo-ondersteuning tot er een ' +
    'zorgtoewijzing is).',
  bronnen: ['CZ-LZ', 'ZIN-OR', 'PGB-ZZP', 'COD163'],
  altijd: ['750', '751', '752'] as readonly string[],
  alleenVanaf18: { leeftijd: 18, codes: ['800', '802'] as readonly string[] },
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

/**
 * RedenIntrekking 1 (COD172: Client overleden) on a zorgtoewijzing: the client died. Never a restoration (14)
 * nor any other signal: each gemeente hears it once per Wmo toewijzing or aanvraag, with the date, and is
 * offered (never sent by itself) a WMO301 ending the actuele toewijzingen with RedenWijziging 02.
 */
export const OVERLEDEN = {
  id: 'SL-OVERLEDEN',
  titel: 'Cliënt overleden (RedenIntrekking 1)',
  omschrijving:
    'De Wlz meldt de cliënt overleden: een zorgtoewijzing is ingetrokken met RedenIntrekking 1 (Client overleden); ' +
    'de overlijdensdatum is haar Einddatum. Er volgt geen herstel (RedenWijziging 14) en geen ander signaal. De ' +
    'gemeente krijgt per actuele Wmo-toewijzing of -aanvraag een signaal met beoordeling client-overleden; bij ' +
    'voorstel en automatisch stelt de engine alleen voor (verstuurt nooit zelf) een WMO301 die de toewijzing ' +
    'beëindigt met RedenWijziging 02 (Client overleden) en Einddatum = de overlijdensdatum, als de toewijzing dan al ' +
    'liep en daarna nog doorliep; de gemeente bevestigt met de gewone opdracht. Bij alleen-signaal alleen het signaal.',
  bronnen: ['IWLZ-AW33', 'IWMO-WMO002'],
  redenIntrekking: '1',
};

/**
 * RedenIntrekking 3 (Herindicatie), 4 (Overplaatsing), 5 (Wijziging leveringsvorm), 7 (Andere aanbieder) and
 * 8 (Verhuizing): the Wlz care goes on under another toewijzing, so the Wlz basis is not gone.
 */
export const VORMWIJZIGING = {
  id: 'UITZ-VORMWIJZIGING',
  titel: 'Intrekking die alleen de vorm van de Wlz-zorg wijzigt (RedenIntrekking 3, 4, 5, 7, 8)',
  omschrijving:
    'Een zorgtoewijzing ingetrokken wegens herindicatie (3), overplaatsing (4), wijziging leveringsvorm (5), andere ' +
    "aanbieder (7) of verhuizing (8): de Wlz-zorg loopt door onder een andere toewijzing. Zo'n intrekking herstelt " +
    'nooit (RedenWijziging 14) een beëindigde Wmo-toewijzing; zonder opvolgende zorgtoewijzing geldt weer "indicatie, ' +
    'nog geen zorgtoewijzing" (ook als het register de indicatie niet heeft, of zij onder het overgangsrecht valt) ' +
    'en krijgt de gemeente dat signaal. Herstel (14) blijft voor wat de Wlz-grondslag echt wegneemt: een verwijderde ' +
    'of vervallen indicatie, een correctie naar partnerverblijf, RedenIntrekking 2 (negatief indicatiebesluit) en 6 ' +
    '(uitstroom).',
  bronnen: ['IWLZ-AW33', 'IWMO-WMO002'],
  redenen: ['3', '4', '5', '7', '8'] as readonly string[],
};

/** Per-gemeente productcode rules (PRODUCTCODE_REGELS), applied before the productcategorie. */
export const PRODUCTCODE_REGELS = {
  id: 'UITZ-PRODUCTCODE',
  titel: 'Productcode-regels per gemeente',
  omschrijving:
    'Een gemeente kan een eigen productcode laten beoordelen volgens de regel van een andere categorie (bijv. haar ' +
    "code voor vervoer naar dagbesteding, categorie 08, als 07 dagbesteding); zo'n regel gaat vóór de categorie. " +
    'Zonder regel beslist de categorie.',
  bronnen: ['ZIN-VV', 'RH-SL'],
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
  OVERLEDEN,
  VORMWIJZIGING,
  PRODUCTCODE_REGELS,
];
