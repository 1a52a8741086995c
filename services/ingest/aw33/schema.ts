/**
 * AW33 Zorgtoewijzing (iWlz 2.2, BerichtCode 352), structure from ../shared/istandaarden/iwlz/xsd/AW33.xsd
 * (reference/iwlz.md §3). See common.ts for what these schemas do and do not check.
 */
import { z } from 'zod';
import {
  BerichtIdentificatie,
  Communicatie,
  Contactgegevens,
  Geboortedatum,
  Relaties,
  VolledigeNaam,
  XsdVersie,
  leaf,
  many,
  optionalLeaf,
} from '../istandaard/schema';
import {
  Beperkingen,
  GeindiceerdZorgzwaartepakket,
  GeindiceerdeFunctie,
  Grondslagen,
  StoornisScores,
  Stoornissen,
  Wzd,
} from '../istandaard/iwlz-schema';

/** Afzender is the zorgkantoor, Ontvanger the aanbieder (iWlz-AGB). */
export const Aw33Header = z.strictObject({
  BerichtCode: leaf,
  BerichtVersie: leaf,
  BerichtSubversie: leaf,
  Afzender: leaf,
  Ontvanger: leaf,
  BerichtIdentificatie,
  XsdVersie,
});

export const ToegewezenZorgzwaartepakket = z.strictObject({
  ZzpCode: leaf,
  Instelling: optionalLeaf,
  Zorgkantoor: leaf,
  Soort: leaf,
  Toewijzingsdatum: leaf,
  Toewijzingstijd: leaf,
  ToewijzingPercentage: optionalLeaf,
  Ingangsdatum: leaf,
  Einddatum: optionalLeaf,
  RedenIntrekking: optionalLeaf,
  Etmalen: optionalLeaf,
  Klasse: optionalLeaf,
  InstellingBestemming: optionalLeaf,
  Leveringsvorm: leaf,
  Dossierhouder: optionalLeaf,
  CoordinatorZorgThuis: optionalLeaf,
  Opname: optionalLeaf,
});

/** A toegewezen functie has no Leveringsvorm and a required Instelling. */
export const ToegewezenFunctie = z.strictObject({
  FunctieCode: leaf,
  Instelling: leaf,
  Zorgkantoor: leaf,
  Soort: leaf,
  Toewijzingsdatum: leaf,
  Toewijzingstijd: leaf,
  Ingangsdatum: leaf,
  Einddatum: optionalLeaf,
  RedenIntrekking: optionalLeaf,
  Klasse: leaf,
  Opslag: optionalLeaf,
  Vervoer: optionalLeaf,
  InstellingBestemming: optionalLeaf,
});

export const Aw33Indicatie = z.strictObject({
  Besluitnummer: leaf,
  Soort: leaf,
  Grondslagen: Grondslagen.optional(),
  Afgiftedatum: leaf,
  Ingangsdatum: leaf,
  Einddatum: optionalLeaf,
  Commentaar: optionalLeaf,
  Stoornissen: Stoornissen.optional(),
  Beperkingen: Beperkingen.optional(),
  GeindiceerdeFuncties: z
    .strictObject({ GeindiceerdeFunctie: many(GeindiceerdeFunctie.omit({ InstellingVoorkeur: true })) })
    .optional(),
  StoornisScores: StoornisScores.optional(),
  ToegewezenFuncties: z.strictObject({ ToegewezenFunctie: many(ToegewezenFunctie) }).optional(),
  GeindiceerdeZorgzwaartepakketten: z
    .strictObject({
      GeindiceerdZorgzwaartepakket: many(GeindiceerdZorgzwaartepakket.omit({ InstellingVoorkeur: true })),
    })
    .optional(),
  ToegewezenZorgzwaartepakketten: z
    .strictObject({ ToegewezenZorgzwaartepakket: many(ToegewezenZorgzwaartepakket) })
    .optional(),
});

export const Aw33Client = z.strictObject({
  Bsn: leaf,
  GeheimeClient: leaf,
  Geboortedatum,
  Geslacht: leaf,
  BurgerlijkeStaat: optionalLeaf,
  Naam: VolledigeNaam,
  Leefeenheid: leaf,
  Huisarts: optionalLeaf,
  Communicatie: Communicatie.optional(),
  Wzd: Wzd.optional(),
  Partneropname: leaf,
  Commentaar: optionalLeaf,
  Relaties: Relaties.optional(),
  Contactgegevens,
  Indicatie: Aw33Indicatie,
});

/** The children of aw33:Bericht. */
export const Aw33Bericht = z.strictObject({
  Header: Aw33Header,
  Clienten: z.strictObject({ Client: many(Aw33Client) }),
});

export type Aw33Xml = z.infer<typeof Aw33Bericht>;
export type Aw33ClientXml = z.infer<typeof Aw33Client>;
