export * from './types';
export { BRONNEN, bronTekst } from './bronnen';
export { GRONDEN, REGELS, regelId, categorieNaam } from './table';
export {
  UITZONDERINGEN,
  PARTNERVERBLIJF,
  OVERGANGSRECHT,
  ONBEKENDE_CATEGORIE,
  BEEINDIGING,
} from './exceptions';
export { beoordeel, situatieVan, isPartnerverblijf, isLaagZorgprofiel, type Uitkomst } from './classify';
