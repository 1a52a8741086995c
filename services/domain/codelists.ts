/**
 * Codelists used by the ingest validation, copied from the enumerations in the iStandaarden basisschema XSDs
 * (../shared/istandaarden/{iwlz,iwmo}/xsd/Basisschema.xsd) and cross-checked with reference/iwlz.md and
 * reference/iwmo.md. Codes are strings: leading zeros matter ("01" is not "1").
 */

/** A codelist: code → label. */
export type Codelist = Readonly<Record<string, string>>;

/** True when `code` is one of the list's codes (own keys only, so `toString` or `__proto__` are never codes). */
export function isCode<L extends Codelist>(list: L, code: string): code is Extract<keyof L, string> {
  return Object.hasOwn(list, code);
}

/** The label of a code, or undefined. */
export function codeLabel(list: Codelist, code: string): string | undefined {
  return Object.hasOwn(list, code) ? list[code] : undefined;
}

/** COD578 Leveringsvorm. Source: iWlz 2.2 Basisschema.xsd `LDT_Leveringsvorm`; reference/iwlz.md §5. */
export const LEVERINGSVORM = {
  '2': 'Persoonsgebonden budget (PGB)',
  '4': 'Verblijf',
  '5': 'Volledig pakket thuis (VPT)',
  '7': 'Modulair Pakket Thuis (MPT)',
  '8': 'Deeltijdverblijf (DTV)',
  '9': 'Verkeerde bed (VKB)',
} as const satisfies Codelist;

/** COD163 Zorgzwaartepakket (zorgprofiel). Source: iWlz 2.2 Basisschema.xsd `LDT_ZzpCode`; reference/iwlz.md §5; identical to the iWlz 2.4 COD163. */
export const ZZP_CODE = {
  '190': '9VV A: Geriatrische revalidatiezorg',
  '191': '9VV B: Herstelgerichte behandeling met verpleging en verzorging',
  '750': '1VV: Beschut wonen met enige begeleiding',
  '751': '2VV: Beschut wonen met begeleiding en verzorging',
  '752': '3VV: Beschut wonen met begeleiding en intensieve verzorging',
  '753': '4VV: Beschut wonen met intensieve begeleiding en uitgebreide verzorging',
  '754': '5VV: Beschermd wonen met intensieve dementiezorg',
  '755': '6VV: Beschermd wonen met intensieve verzorging en verpleging',
  '756':
    '7VV: Beschermd wonen met zeer intensieve zorg, vanwege specifieke aandoeningen, met nadruk op begeleiding',
  '757':
    '8VV: Beschermd wonen met zeer intensieve zorg, vanwege specifieke aandoeningen, met de nadruk op verzorging/verpleging',
  '758': '9VV: Herstelgerichte behandeling met verpleging en verzorging',
  '759': '10VV: Beschermd verblijf met intensieve palliatief-terminale zorg',
  '760': '1GGZ C: Beschermd wonen met begeleiding',
  '762': '2GGZ C: Gestructureerd beschermd wonen met uitgebreide begeleiding',
  '764': '3GGZ C: Beschermd wonen met intensieve begeleiding',
  '766': '4GGZ B: Voortgezet verblijf met intensieve begeleiding en verzorging',
  '768': '5GGZ B: Voortgezet verblijf met intensieve begeleiding en gedragsregulering',
  '770': '6GGZ B: Voortgezet verblijf met intensieve begeleiding en intensieve verpleging en verzorging',
  '772':
    '7GGZ B: Beveiligd voortgezet verblijf vanwege extreme gedragsproblematiek met zeer intensieve begeleiding',
  '780': '1LVG: Wonen met enige behandeling en begeleiding',
  '781': '2LVG: Wonen met behandeling en begeleiding',
  '782': '3LVG: Wonen met intensieve behandeling en begeleiding, kleine groep',
  '783': '4LVG: Wonen met zeer intensieve behandeling en begeleiding',
  '784': '5LVG: Besloten wonen met zeer intensieve behandeling en begeleiding',
  '790': '1SGLVG: Behandeling in een SGLVG-behandelcentrum',
  '800': '1VG: Wonen met enige begeleiding',
  '802': '2VG: Wonen met begeleiding',
  '804': '3VG: Wonen met begeleiding en verzorging',
  '806': '4VG: Wonen met begeleiding en intensieve verzorging',
  '808': '5VG: Wonen met intensieve begeleiding en intensieve verzorging',
  '810': '6VG: Wonen met intensieve begeleiding, verzorging en gedragsregulering',
  '812': '7VG: (Besloten) wonen met zeer intensieve begeleiding, verzorging en gedragsregulering',
  '814': '8VG: Wonen met begeleiding en volledige verzorging en verpleging',
  '820': '1LG: Wonen met enige begeleiding en enige verzorging',
  '822': '2LG: Wonen met begeleiding en enige verzorging',
  '824': '3LG: Wonen met enige begeleiding en verzorging',
  '826': '4LG: Wonen met begeleiding en verzorging',
  '828': '5LG: Wonen met begeleiding en intensieve verzorging',
  '830': '6LG: Wonen met intensieve begeleiding en intensieve verzorging',
  '832': '7LG: Wonen met zeer intensieve begeleiding en zeer intensieve verzorging',
  '840': '1ZGvis: Wonen met enige begeleiding en enige verzorging',
  '842': '2ZGvis: Wonen met begeleiding en enige verzorging',
  '844': '3ZGvis: Wonen met intensieve begeleiding en verzorging',
  '846': '4ZGvis: Wonen met intensieve begeleiding en intensieve verzorging',
  '848': '5ZGvis: Wonen met zeer intensieve begeleiding en zeer intensieve verzorging',
  '850': '1ZGaud: Wonen met begeleiding en enige verzorging',
  '852': '2ZGaud: Wonen met intensieve begeleiding en verzorging',
  '854': '3ZGaud: Wonen met intensieve begeleiding en intensieve verzorging',
  '856': '4ZGaud: Wonen met intensieve begeleiding en enige verzorging',
  '860': '1GGZ B: Voortgezet verblijf met beleiding',
  '862': '2GGZ B: Voortgezet verblijf met structuur en uitgebreide begeleiding',
  '864': '3GGZ B: Voortgezet verblijf met intensieve begeleiding',
  '866': '4GGZ C: Gestructureerd beschermd wonen met intensieve begeleiding en verzorging',
  '868': '5GGZ C: Beschermd wonen met intensieve begeleiding en gedragsregulering',
  '870': '6GGZ C: Beschermd wonen met intensieve begeleiding en intensieve verpleging en verzorging',
  '880': '1GGZ W: Wonen met intensieve begeleiding',
  '882': '2GGZ W: Wonen met intensieve begeleiding en verzorging',
  '884': '3GGZ W: Wonen met intensieve begeleiding en gedragsregulering',
  '886': '4GGZ W: Wonen met intensieve begeleiding en intensieve verpleging en verzorging',
  '888': '5GGZ W: Beveiligd Wonen vanwege extreme gedragsproblematiek met zeer intensieve begeleiding',
  '996': 'Wlz Indiceerbaar',
  '997': 'PGB: ZZP-code uitsluitend te gebruiken voor start en stop PGB Wlz-indiceerbaren aan CAK',
  '998': 'ZZPX: Onbepaald zorgzwaartepakket',
  '999': 'ZZP0: Partnerverblijf',
} as const satisfies Codelist;

/** FunctieCode (no COD id found). Source: iWlz 2.2 Basisschema.xsd `LDT_FunctieCode`; reference/iwlz.md §5. */
export const FUNCTIE_CODE = {
  '21': 'HV: Huishoudelijke Hulp',
  '31': 'PV: Persoonlijke verzorging',
  '41': 'VP: Verpleging',
  '61': 'BHALG: Behandeling algemeen (buiten verblijf in Wlz-instelling)',
  '62': 'BHVBF: Behandeling met verblijf',
  '63': 'BH-IND: Behandeling individueel',
  '64': 'BH-GRP: Behandeling in groepsverband',
  '71': 'VBTYD: Verblijf tijdelijk',
  '81': 'BG-IND: Begeleiding individueel',
  '82': 'BG-GRP: Begeleiding in groepsverband',
  '91': 'ADL: ADL-assistentie',
} as const satisfies Codelist;

/** VoorkeurClient ("COD999" in the Indicatieregister, looks like a placeholder). Source: iWlz 2.2 Basisschema.xsd `LDT_VoorkeurClient`; reference/iwlz.md §5. */
export const VOORKEUR_CLIENT = {
  '10': 'Deeltijdverblijf (DTV)',
  '2': 'Persoonsgebonden budget (PGB)',
  '3': 'Zorg thuis (niet nader gespecificeerd)',
  '4': 'Verblijf',
  '5': 'Volledig pakket thuis (VPT)',
  '6': 'Combinatie PGB/MPT',
  '7': 'Modulair pakket thuis (MPT)',
  '8': 'combinatie VPT/PGB',
  '9': 'combinatie Verblijf/PGB',
} as const satisfies Codelist;

/** COD165 Soort toewijzing. Source: iWlz 2.2 Basisschema.xsd `LDT_SoortToewijzing`; reference/iwlz.md §5. */
export const SOORT_TOEWIJZING = {
  '1': 'Regulier',
  '3': 'Overbrugging',
  '5': 'Administratief',
} as const satisfies Codelist;

/** COD172 Reden intrekking. Source: iWlz 2.2 Basisschema.xsd `LDT_RedenIntrekking`; reference/iwlz.md §5. */
export const REDEN_INTREKKING = {
  '1': 'Client overleden',
  '2': 'Negatief indicatiebesluit',
  '3': 'Herindicatie',
  '4': 'Overplaatsing',
  '5': 'Wijziging leveringsvorm',
  '6': 'Uitstroom',
  '7': 'Andere aanbieder heeft de client in zorg genomen',
  '8': 'Verhuizing',
} as const satisfies Codelist;

/** COD736 Grondslag. Source: iWlz 2.2 Basisschema.xsd `LDT_Grondslag`; reference/iwlz.md §5. */
export const GRONDSLAG = {
  '01': 'SOMATISCHE ZIEKTE/AANDOENING',
  '02': 'PSYCHOGERIATRISCHE ZIEKTE/AANDOENING',
  '03': 'PSYCHIATRISCHE AANDOENING, PSYCHISCHE STOORNIS',
  '04': 'LICHAMELIJKE HANDICAP (FUNCTIESTOORNIS)',
  '05': 'VERSTANDELIJKE HANDICAP (FUNCTIESTOORNIS)',
  '06': 'ZINTUIGLIJKE HANDICAP (FUNCTIESTOORNIS)',
  '07': 'PSYCHOSOCIALE PROBLEMEN',
} as const satisfies Codelist;

/** COD169 Soort indicatie. Source: iWlz 2.2 Basisschema.xsd `LDT_SoortIndicatie`; reference/iwlz.md §5. */
export const SOORT_INDICATIE = {
  '1': 'CIZ indicatie',
  '2': 'BJZ indicatie',
  '3': 'CIZ/BJZ indicatie',
  '4': 'Experimenten',
} as const satisfies Codelist;

/** COD001 Zorgkantoorcode. Source: iWlz 2.2 Basisschema.xsd `LDT_ZorgkantoorCode`; reference/iwlz.md §1, §5. */
export const ZORGKANTOOR = {
  '5501': 'Zorgkantoor Groningen',
  '5502': 'Zorgkantoor Friesland',
  '5503': 'Zorgkantoor Drenthe',
  '5504': 'Zorgkantoor Zwolle',
  '5505': 'Zorgkantoor Twente',
  '5506': 'Zorgkantoor Apeldoorn, Zutphen en omstreken',
  '5507': 'Zorgkantoor Arnhem',
  '5508': 'Zorgkantoor Nijmegen',
  '5509': 'Zorgkantoor Utrecht',
  '5510': 'Zorgkantoor Flevoland',
  '5511': "Zorgkantoor 't Gooi",
  '5512': 'Zorgkantoor Noord Holland Noord',
  '5513': 'Zorgkantoor Kennemerland',
  '5514': 'Zorgkantoor Zaanstreek/Waterland',
  '5515': 'Zorgkantoor Amsterdam',
  '5516': 'Zorgkantoor Amstelland en De Meerlanden',
  '5517': 'Zorgkantoor Zuid-Holland Noord',
  '5518': 'Zorgkantoor Haaglanden',
  '5519': 'Zorgkantoor Delft Westland Oostland',
  '5520': 'Zorgkantoor Midden-Holland',
  '5521': 'Zorgkantoor Rotterdam',
  '5523': 'Zorgkantoor Zuid-Hollandse Eilanden',
  '5524': 'Zorgkantoor Waardenland',
  '5525': 'Zorgkantoor Zeeland',
  '5526': 'Zorgkantoor West-Brabant',
  '5527': 'Zorgkantoor Midden-Brabant',
  '5528': 'Zorgkantoor Noordoost Brabant',
  '5529': 'Zorgkantoor Zuidoost-Brabant',
  '5530': 'Zorgkantoor Noord- en Midden Limburg',
  '5531': 'Zorgkantoor Zuid-Limburg',
  '5532': 'Zorgkantoor Midden-IJssel',
  '5533': 'Zorgkantoor Friesland',
} as const satisfies Codelist;

/** Financiering ("COD998" in the Indicatieregister, looks like a placeholder). Source: iWlz 2.2 Basisschema.xsd `LDT_Financiering`; reference/iwlz.md §5. */
export const FINANCIERING = {
  '1': 'Wlz',
  '2': 'Wlz, voorheen Wlz-indiceerbaar',
  '3': 'Subsidieregeling',
  '4': 'Anders',
} as const satisfies Codelist;

/** WMO020 Productcategorie. Source: iWmo 3.2 Basisschema.xsd `LDT_ProductCategorie`; reference/iwmo.md §6.1. */
export const PRODUCTCATEGORIE = {
  '01': 'Hulp bij het huishouden',
  '02': 'Begeleiding',
  '03': 'Persoonlijke verzorging',
  '04': 'Kortdurend verblijf',
  '05': 'Woondiensten',
  '06': 'Overige ondersteuning gericht op het individu of huishouden/gezin',
  '07': 'Dagbesteding',
  '08': 'Vervoerdiensten',
  '09': 'Overige groepsgerichte ondersteuning',
  '10': 'Overige maatwerk arrangementen',
  '11': 'Rolstoelen',
  '12': 'Vervoervoorzieningen',
  '13': 'Woonvoorzieningen',
  '14': 'Overige hulpmiddelen',
  '15': 'Beschermd wonen',
  '16': 'Opvang',
  '17': 'Spoedopvang',
  '18': 'Overige beschermd wonen en opvang',
} as const satisfies Codelist;

/** WMO002 Reden wijziging toewijzing. Source: iWmo 3.2 Basisschema.xsd `LDT_RedenWijziging`; reference/iwmo.md §4.1. */
export const REDEN_WIJZIGING = {
  '01': 'Administratieve correctie (vervallen)',
  '02': 'Client overleden',
  '03': 'Contractwijziging',
  '04': 'Herbeoordeling: verlenging toewijzing',
  '05': 'Herbeoordeling: verkorting toewijzing',
  '06': 'Uitstroom naar ander domein',
  '07': 'Verhuizing naar een andere gemeente',
  '08': 'Wijziging leveringsvorm',
  '09': 'Overstap naar andere aanbieder',
  '10': 'Overgang naar nieuwe bekostigingssystematiek',
  '11': 'Gemeentelijke herindeling',
  '12': 'Geinitieerd door de aanbieder',
  '13': 'Verwijderd',
  '14': 'Administratieve correctie',
} as const satisfies Codelist;

/** WJ756 Eenheid. Source: iWmo 3.2 Basisschema.xsd `LDT_Eenheid`; reference/iwmo.md §6.3. */
export const EENHEID = {
  '01': 'Minuut',
  '04': 'Uur',
  '14': 'Etmaal',
  '16': 'Dagdeel (4 uur)',
  '82': 'Stuks (output)',
  '83': "Euro's",
  '84': 'Stuks (inspanning)',
} as const satisfies Codelist;

/** WMO757 Frequentie. Source: iWmo 3.2 Basisschema.xsd `LDT_Frequentie`; reference/iwmo.md §6.4. */
export const FREQUENTIE = {
  '1': 'Per dag',
  '2': 'Per week',
  '4': 'Per maand',
  '6': 'Totaal binnen geldigheidsduur toewijzing',
} as const satisfies Codelist;

/** COD046 Geslacht (iWlz and iWmo identical). Source: iWlz 2.2 Basisschema.xsd `LDT_Geslacht`; reference/iwlz.md §5, reference/iwmo.md §6.2. */
export const GESLACHT = {
  '0': 'Onbekend',
  '1': 'Mannelijk',
  '2': 'Vrouwelijk',
} as const satisfies Codelist;

/** COD700 NaamGebruik (iWlz and iWmo identical). Source: iWlz 2.2 Basisschema.xsd `LDT_NaamGebruik`; reference/iwmo.md §6.5. */
export const NAAM_GEBRUIK = {
  '1': 'Eigen naam',
  '2': 'Naam echtgenoot of geregistreerd partner of alternatieve naam',
  '3': 'Naam echtgenoot of geregistreerd partner gevolgd door eigen naam',
  '4': 'Eigen naam gevolgd door naam echtgenoot of geregistreerd partner',
  '5': 'Pseudoniem',
  '6': 'Niet-natuurlijk persoon',
} as const satisfies Codelist;

/** COD170 DatumGebruik (iWlz and iWmo identical). Source: iWlz 2.2 Basisschema.xsd `LDT_DatumGebruik`; reference/iwmo.md §6.5. */
export const DATUM_GEBRUIK = {
  '1': 'dag onbekend; alleen maand en jaar gebruiken',
  '2': 'dag en maand onbekend; alleen jaar gebruiken',
  '3': 'dag, maand en jaar onbekend; onbekende datum',
} as const satisfies Codelist;

/** COD757 AdresSoort (iWlz and iWmo identical). Source: iWmo 3.2 Basisschema.xsd `LDT_AdresSoort`; reference/iwmo.md §6.5. */
export const ADRES_SOORT = {
  '01': 'BRP-adres',
  '02': 'Correspondentie-adres',
  '03': 'Verblijfadres',
  '04': 'Tijdelijk verblijfadres',
} as const satisfies Codelist;

export type Leveringsvorm = keyof typeof LEVERINGSVORM;
export type ZzpCode = keyof typeof ZZP_CODE;
export type FunctieCode = keyof typeof FUNCTIE_CODE;
export type Productcategorie = keyof typeof PRODUCTCATEGORIE;
export type RedenWijziging = keyof typeof REDEN_WIJZIGING;
export type RedenIntrekking = keyof typeof REDEN_INTREKKING;
