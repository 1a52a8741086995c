/** Every row of the rules table, on the pure core: decide() with one indicatie, zorgtoewijzing and toewijzing. */
import type { Fact } from '../../../services/domain/facts';
import { decide } from '../../../services/engine';
import {
  FUNCTIE_SITUATIE,
  LEVERINGSVORM_VAN,
  REGELS,
  WOONSITUATIE,
  type Regel,
} from '../../../services/rules';
import { indicatie, toewijzing, TODAY, zorgtoewijzing } from './factories';

function factsFor(r: Regel): Fact[] {
  const facts: Fact[] = [
    indicatie(),
    toewijzing({ productcategorie: r.categorie, productcode: `${r.categorie}A01` }),
  ];
  const functie =
    r.situatie === 'functie-overig'
      ? '41'
      : Object.keys(FUNCTIE_SITUATIE).find((c) => FUNCTIE_SITUATIE[c] === r.situatie);
  if (r.situatie === 'overig') facts.push(zorgtoewijzing({ leveringsvorm: '3' }));
  else if (functie !== undefined) {
    facts.push(zorgtoewijzing({ soort: 'functie', code: functie, leveringsvorm: '' }));
  } else if (r.situatie !== 'geen-zorgtoewijzing') {
    facts.push(zorgtoewijzing({ leveringsvorm: LEVERINGSVORM_VAN[r.situatie]! }));
  }
  return facts;
}

describe('decide() applies every rule row', () => {
  it.each(REGELS.map((r) => [r.id, r.beoordeling, r] as const))('%s → %s', (id, beoordeling, r) => {
    const decisions = decide(factsFor(r), TODAY);
    if (beoordeling === 'toegestaan') {
      expect(decisions).toEqual([]);
      return;
    }
    expect(decisions).toHaveLength(1);
    const d = decisions[0]!;
    expect(d).toMatchObject({ beoordeling, regel: { id }, referentie: 'wmo-toewijzing/0363/123456' });
    if (beoordeling === 'wlz-voorliggend') {
      // zorgtoewijzing from 2026-04-01: end the day before
      expect(d.voorstel).toEqual({
        doelEinddatum: '2026-03-31',
        einddatum: '2026-03-31',
        wlzIngangsdatum: '2026-04-01',
        redenWijziging: '06',
      });
    } else {
      expect(d.voorstel).toBeUndefined();
    }
    expect(d.wlz.woonsituatie).toBe(WOONSITUATIE[r.situatie]);
  });
});
