import {
  BRONNEN,
  GRONDEN,
  ONBEKENDE_CATEGORIE,
  OVERGANGSRECHT,
  PARTNERVERBLIJF,
  PRODUCTCATEGORIEEN,
  REGELS,
  SITUATIES,
  UITZONDERINGEN,
  beoordeel,
  isLaagZorgprofiel,
  isPartnerverblijf,
  situatieVan,
  type Beoordeling,
  type Situatie,
} from '../../../services/rules';

const ZORG = ['01', '02', '03', '04', '07', '09', '15'];
const HULPMIDDELEN = ['11', '12', '13', '14'];
const ONDUIDELIJK = ['05', '06', '10', '16', '17', '18'];
const LEVERINGSVORMEN: Situatie[] = ['verblijf', 'vpt', 'mpt', 'pgb', 'dtv', 'vkb'];
const FUNCTIES: Situatie[] = [
  'functie-hv',
  'functie-pv',
  'functie-bg-ind',
  'functie-bg-grp',
  'functie-vbtyd',
  'functie-overig',
];
/** Which functie covers which zorg categorie (issue 10.5; seed 004: zorgarrangement thuis in functies). */
const FUNCTIE_DEKT: Readonly<Record<string, Situatie[]>> = {
  '01': ['functie-hv'],
  '02': ['functie-bg-ind', 'functie-bg-grp'],
  '03': ['functie-pv'],
  '04': ['functie-vbtyd'],
  '07': ['functie-bg-ind', 'functie-bg-grp'],
  '09': ['functie-bg-ind', 'functie-bg-grp'],
  '15': [],
};
const cel = (categorie: string, situatie: Situatie): Beoordeling =>
  REGELS.find((r) => r.categorie === categorie && r.situatie === situatie)!.beoordeling;

describe('the rules table (data)', () => {
  it('has exactly one row per productcategorie 01-18 × Wlz situation, with unique ids', () => {
    expect(PRODUCTCATEGORIEEN).toEqual([...Array(18)].map((_, i) => String(i + 1).padStart(2, '0')));
    expect(REGELS).toHaveLength(PRODUCTCATEGORIEEN.length * SITUATIES.length);
    const keys = new Set(REGELS.map((r) => `${r.categorie}|${r.situatie}`));
    expect(keys.size).toBe(REGELS.length);
    expect(new Set(REGELS.map((r) => r.id)).size).toBe(REGELS.length);
    for (const r of REGELS) expect(r.id).toMatch(/^SL-\d{2}-[A-Z]+$/);
    expect(REGELS.find((r) => r.categorie === '01' && r.situatie === 'functie-hv')!.id).toBe('SL-01-FHV');
  });

  it('gives every row a grond, and cites only known sources', () => {
    for (const r of REGELS) expect(GRONDEN[r.grond]).toBeDefined();
    const cited = [...Object.values(GRONDEN), ...UITZONDERINGEN].flatMap((g) => g.bronnen);
    for (const id of cited) expect(Object.keys(BRONNEN)).toContain(id);
    for (const g of [...Object.values(GRONDEN), ...UITZONDERINGEN])
      expect(g.bronnen.length).toBeGreaterThan(0);
  });

  it.each(ZORG)(
    'zorg %s is wlz-voorliggend in every leveringsvorm, beoordelen with an indicatie alone',
    (c) => {
      for (const s of LEVERINGSVORMEN) expect(cel(c, s)).toBe('wlz-voorliggend');
      expect(cel(c, 'geen-zorgtoewijzing')).toBe('beoordelen');
      expect(cel(c, 'overig')).toBe('beoordelen');
    },
  );

  it.each(ZORG)(
    'zorg %s beside a toegewezen functie: wlz-voorliggend only where the functie covers it',
    (c) => {
      for (const f of FUNCTIES) {
        const dekt = FUNCTIE_DEKT[c]!.includes(f);
        expect([f, cel(c, f)]).toEqual([f, dekt ? 'wlz-voorliggend' : 'beoordelen']);
        const r = REGELS.find((x) => x.categorie === c && x.situatie === f)!;
        expect(r.grond).toBe(dekt ? 'FUNCTIE' : 'FUNCTIE-ANDERS');
      }
    },
  );

  it('the functie grond names each mapping and cites the FunctieCode source', () => {
    expect(GRONDEN['FUNCTIE']!.omschrijving).toContain('21 HV → 01');
    expect(GRONDEN['FUNCTIE']!.omschrijving).toContain('71 VBTYD → 04');
    expect(GRONDEN['FUNCTIE']!.bronnen).toContain('IWLZ-FUNCTIE');
  });

  it('huishoudelijke hulp with MPT cites the 2017 move to the Wlz', () => {
    const r = REGELS.find((x) => x.id === 'SL-01-MPT')!;
    expect(r.grond).toBe('HH-MPT');
    expect(GRONDEN['HH-MPT']!.bronnen).toContain('SCH-HH');
  });

  it.each(HULPMIDDELEN)(
    'hulpmiddel %s: toegestaan at home (also with functies) and with an indicatie alone, beoordelen in deeltijdverblijf',
    (c) => {
      for (const s of ['vpt', 'mpt', 'pgb', 'geen-zorgtoewijzing', ...FUNCTIES] as Situatie[])
        expect([s, cel(c, s)]).toEqual([s, 'toegestaan']);
      expect(cel(c, 'dtv')).toBe('beoordelen');
      expect(REGELS.find((r) => r.categorie === c && r.situatie === 'dtv')!.grond).toBe('HM-DTV');
      expect(cel(c, 'vkb')).toBe('beoordelen');
      expect(cel(c, 'overig')).toBe('beoordelen');
    },
  );

  it.each(['11', '12', '14'])('hulpmiddel %s is wlz-voorliggend in verblijf', (c) => {
    expect(cel(c, 'verblijf')).toBe('wlz-voorliggend');
  });

  it('13 woonvoorzieningen beside verblijf: beoordelen (a woningaanpassing is a one-off at the home left behind)', () => {
    expect(cel('13', 'verblijf')).toBe('beoordelen');
    expect(REGELS.find((r) => r.id === 'SL-13-VERBLIJF')!.grond).toBe('WOONVOORZIENING');
  });

  it('the deeltijdverblijf grond quotes RH-SL: a 2e woonvoorziening/hulpmiddel voor thuis', () => {
    expect(GRONDEN['HM-DTV']!.omschrijving).toContain('2e');
    expect(GRONDEN['HM-DTV']!.bronnen).toContain('RH-SL');
  });

  it('08 vervoerdiensten: toegestaan where no dagbesteding can be included, beoordelen where it can', () => {
    const beoordelen: Situatie[] = [
      'verblijf',
      'vpt',
      'mpt',
      'pgb',
      'dtv',
      'functie-bg-grp',
      'functie-overig',
      'overig',
    ];
    for (const s of SITUATIES) {
      expect([s, cel('08', s)]).toEqual([s, beoordelen.includes(s) ? 'beoordelen' : 'toegestaan']);
    }
    expect(GRONDEN['VERVOER-DAGBESTEDING']!.bronnen).toEqual(expect.arrayContaining(['RH-SL', 'ZIN-VV']));
  });

  it.each(ONDUIDELIJK)('%s has no clear source: beoordelen everywhere', (c) => {
    for (const s of SITUATIES) expect(cel(c, s)).toBe('beoordelen');
  });
});

describe('beoordeel', () => {
  it.each(REGELS.map((r) => [r.id, r] as const))('%s returns its own row', (_id, r) => {
    const u = beoordeel(r.categorie, r.situatie);
    expect(u.beoordeling).toBe(r.beoordeling);
    expect(u.regel.id).toBe(r.id);
    expect(u.regel.omschrijving).toContain(r.categorie);
    expect(u.regel.bron.length).toBeGreaterThan(0);
  });

  it.each([undefined, '', '19', '1', 'toString', '__proto__'])(
    'an unknown productcategorie %p: beoordelen by SL-ONBEKEND',
    (c) => {
      const u = beoordeel(c, 'verblijf');
      expect(u).toMatchObject({ beoordeling: 'beoordelen', regel: { id: ONBEKENDE_CATEGORIE.id } });
    },
  );
});

describe('situations and zorgprofielen', () => {
  it.each([
    ['4', 'verblijf'],
    ['5', 'vpt'],
    ['7', 'mpt'],
    ['2', 'pgb'],
    ['8', 'dtv'],
    ['9', 'vkb'],
    ['3', 'overig'],
    ['', 'overig'],
    [undefined, 'overig'],
  ] as const)('leveringsvorm %p is %s', (lv, s) => expect(situatieVan(lv)).toBe(s));

  it('999 is partnerverblijf, nothing else', () => {
    expect(PARTNERVERBLIJF.zzpCodes).toEqual(['999']);
    expect(isPartnerverblijf('999')).toBe(true);
    expect(isPartnerverblijf('998')).toBe(false);
  });

  it.each(OVERGANGSRECHT.altijd)('%s is a low profile whenever issued', (c) => {
    expect(isLaagZorgprofiel(c, '2014-01-01')).toBe(true);
    expect(isLaagZorgprofiel(c, '2025-01-01')).toBe(true);
  });

  it.each(OVERGANGSRECHT.alleenVanaf18.codes)(
    '%s (VG1/VG2) is a low profile only for a client of 18 or older on the Afgiftedatum; without a Geboortedatum it is',
    (c) => {
      expect(isLaagZorgprofiel(c, '2025-06-01', '2007-06-01')).toBe(true);
      expect(isLaagZorgprofiel(c, '2025-05-31', '2007-06-01')).toBe(false);
      expect(isLaagZorgprofiel(c, '2025-06-01', '2015-01-01')).toBe(false);
      expect(isLaagZorgprofiel(c, '2025-06-01')).toBe(true);
    },
  );

  it.each(OVERGANGSRECHT.alleenAfgegevenVoor.codes)(
    '%s is a low profile only when issued before 2015',
    (c) => {
      expect(isLaagZorgprofiel(c, '2014-12-31')).toBe(true);
      expect(isLaagZorgprofiel(c, '2015-01-01')).toBe(false);
    },
  );

  it.each(['753', '754', '804', '822', '842', '880', '999'])('%s is not a low profile', (c) => {
    expect(isLaagZorgprofiel(c, '2014-01-01')).toBe(false);
  });
});
