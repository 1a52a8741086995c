/**
 * IO31 Indicatiebesluit (iWlz 2.2, BerichtCode 388), structure from ../shared/istandaarden/iwlz/xsd/IO31.xsd
 * (reference/iwlz.md §2). See common.ts for what these schemas do and do not check.
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

/** IO31 has no Afzender: the sender is implicitly the CIZ. Ontvanger is a zorgkantoor code. */
export const Io31Header = z.strictObject({
  BerichtCode: leaf,
  BerichtVersie: leaf,
  BerichtSubversie: leaf,
  Ontvanger: leaf,
  BerichtIdentificatie,
  XsdVersie,
});

export const Io31Indicatie = z.strictObject({
  Besluitnummer: leaf,
  Soort: leaf,
  Grondslagen: Grondslagen.optional(),
  Afgiftedatum: leaf,
  Ingangsdatum: leaf,
  Einddatum: optionalLeaf,
  Meerzorg: optionalLeaf,
  Commentaar: optionalLeaf,
  Stoornissen: Stoornissen.optional(),
  Beperkingen: Beperkingen.optional(),
  GeindiceerdeFuncties: z.strictObject({ GeindiceerdeFunctie: many(GeindiceerdeFunctie) }).optional(),
  StoornisScores: StoornisScores.optional(),
  GeindiceerdeZorgzwaartepakketten: z
    .strictObject({ GeindiceerdZorgzwaartepakket: many(GeindiceerdZorgzwaartepakket) })
    .optional(),
});

export const Io31Client = z.strictObject({
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
  Commentaar: optionalLeaf,
  Relaties: Relaties.optional(),
  Contactgegevens,
  Indicatie: Io31Indicatie,
});

/** The children of io31:Bericht. */
export const Io31Bericht = z.strictObject({
  Header: Io31Header,
  Clienten: z.strictObject({ Client: many(Io31Client) }),
});

export type Io31Xml = z.infer<typeof Io31Bericht>;
export type Io31ClientXml = z.infer<typeof Io31Client>;
