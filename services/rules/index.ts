export * from './types';
export { BRONNEN, bronTekst } from './bronnen';
export { GRONDEN, REGELS, regelId, categorieNaam } from './table';
export {
  UITZONDERINGEN,
  PARTNERVERBLIJF,
  OVERGANGSRECHT,
  ONBEKENDE_CATEGORIE,
  BEEINDIGING,
  OVERLEDEN,
  VORMWIJZIGING,
  PRODUCTCODE_REGELS,
} from './exceptions';
export {
  beoordeel,
  situatieVan,
  situatieVanZorgtoewijzing,
  isPartnerverblijf,
  isLaagZorgprofiel,
  leeftijdOp,
  type Uitkomst,
} from './classify';
