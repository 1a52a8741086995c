/**
 * iWlz 2.2 pieces shared by IO31 and AW33 (../shared/istandaarden/iwlz/xsd/IO31.xsd, AW33.xsd; reference/iwlz.md
 * §2, §3). See common.ts for what these schemas do and do not check.
 */
import { z } from 'zod';
import { leaf, many, optionalLeaf } from './schema';

export const Grondslagen = z.strictObject({
  Grondslag01: leaf,
  Grondslag02: optionalLeaf,
});

export const Wzd = z.strictObject({
  WzdVerklaring: leaf,
  WzdIngangsdatum: optionalLeaf,
  WzdEinddatum: optionalLeaf,
});

export const Stoornis = z.strictObject({
  Grondslag: leaf,
  DiagnoseCodelijst: leaf,
  DiagnoseSubcodelijst: optionalLeaf,
  ZiektebeeldStoornis: leaf,
  Prognose: optionalLeaf,
  Commentaar: optionalLeaf,
});

export const BeperkingScore = z.strictObject({
  Vraag: leaf,
  Score: leaf,
  Commentaar: optionalLeaf,
});

export const Beperking = z.strictObject({
  Categorie: leaf,
  Duur: optionalLeaf,
  Commentaar: optionalLeaf,
  BeperkingScores: z.strictObject({ BeperkingScore: many(BeperkingScore) }).optional(),
});

export const StoornisScore = z.strictObject({
  Vraag: leaf,
  Score: leaf,
  Commentaar: optionalLeaf,
});

export const Stoornissen = z.strictObject({ Stoornis: many(Stoornis) });
export const Beperkingen = z.strictObject({ Beperking: many(Beperking) });
export const StoornisScores = z.strictObject({ StoornisScore: many(StoornisScore) });

/** io31:GeindiceerdeFunctie; the AW33 variant has no InstellingVoorkeur. */
export const GeindiceerdeFunctie = z.strictObject({
  FunctieCode: leaf,
  Ingangsdatum: leaf,
  Einddatum: optionalLeaf,
  Klasse: leaf,
  Opslag: optionalLeaf,
  Leveringsvoorwaarde: leaf,
  Vervoer: optionalLeaf,
  InstellingVoorkeur: optionalLeaf,
  Financiering: leaf,
  Commentaar: optionalLeaf,
});

/** io31:GeindiceerdZorgzwaartepakket; the AW33 variant has no InstellingVoorkeur. */
export const GeindiceerdZorgzwaartepakket = z.strictObject({
  ZzpCode: leaf,
  Ingangsdatum: leaf,
  Einddatum: optionalLeaf,
  Klasse: leaf,
  VoorkeurClient: optionalLeaf,
  InstellingVoorkeur: optionalLeaf,
  Financiering: leaf,
  Commentaar: optionalLeaf,
});

export type GeindiceerdeFunctieXml = z.infer<typeof GeindiceerdeFunctie>;
export type GeindiceerdZorgzwaartepakketXml = z.infer<typeof GeindiceerdZorgzwaartepakket>;
export type GrondslagenXml = z.infer<typeof Grondslagen>;
