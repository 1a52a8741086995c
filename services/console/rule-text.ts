/**
 * A rule in plain Dutch for the Signaal page: what the rules table (services/rules) says about the rule id
 * a notification names, with its grond and sources. Pure.
 */
import { BRONNEN, GRONDEN, REGELS, SITUATIE_LABEL, UITZONDERINGEN, categorieNaam } from '../rules';

export interface RegelUitleg {
  id: string;
  titel: string;
  grond: string;
  bronnen: Array<{ id: string; titel: string; url: string | null }>;
}

const BEOORDELING_TEKST: Record<string, string> = {
  'wlz-voorliggend': 'de Wlz gaat voor: de Wmo-voorziening hoort te eindigen',
  beoordelen: 'mogelijke samenloop: de gemeente beoordeelt, er wordt niets beëindigd',
  toegestaan: 'de Wmo-voorziening mag doorlopen',
};

const bronnen = (ids: readonly string[]) =>
  ids.map((id) => {
    const b = BRONNEN[id];
    return { id, titel: b?.titel ?? id, url: b?.url ?? null };
  });

/** The rule with this id, or null when the rules table does not know it. */
export function regelUitleg(id: string): RegelUitleg | null {
  const r = REGELS.find((x) => x.id === id);
  if (r) {
    const g = GRONDEN[r.grond];
    return {
      id,
      titel:
        `${categorieNaam(r.categorie)} (categorie ${r.categorie}) naast ${SITUATIE_LABEL[r.situatie]}: ` +
        (BEOORDELING_TEKST[r.beoordeling] ?? r.beoordeling),
      grond: g?.omschrijving ?? r.grond,
      bronnen: bronnen(g?.bronnen ?? []),
    };
  }
  const u = UITZONDERINGEN.find((x) => x.id === id);
  if (u) return { id, titel: u.titel, grond: u.omschrijving, bronnen: bronnen(u.bronnen) };
  return null;
}
