import * as fs from 'node:fs';
import { OUTPUT, generateXsdTypes, translatePattern } from '../../../infra/generate-xsd-types';
import * as codelists from '../../../services/domain/codelists';
import { XSD_SIMPLE_TYPES } from '../../../services/ingest/istandaard/xsd-types';

/** Each codelist of services/domain/codelists.ts and the XSD enumeration(s) it was copied from. */
const SOURCES: Record<string, string[]> = {
  LEVERINGSVORM: ['iwlz:LDT_Leveringsvorm'],
  ZZP_CODE: ['iwlz:LDT_ZzpCode'],
  FUNCTIE_CODE: ['iwlz:LDT_FunctieCode'],
  VOORKEUR_CLIENT: ['iwlz:LDT_VoorkeurClient'],
  SOORT_TOEWIJZING: ['iwlz:LDT_SoortToewijzing'],
  REDEN_INTREKKING: ['iwlz:LDT_RedenIntrekking'],
  GRONDSLAG: ['iwlz:LDT_Grondslag'],
  SOORT_INDICATIE: ['iwlz:LDT_SoortIndicatie'],
  ZORGKANTOOR: ['iwlz:LDT_ZorgkantoorCode'],
  FINANCIERING: ['iwlz:LDT_Financiering'],
  PRODUCTCATEGORIE: ['iwmo:LDT_ProductCategorie'],
  REDEN_WIJZIGING: ['iwmo:LDT_RedenWijziging'],
  EENHEID: ['iwmo:LDT_Eenheid'],
  FREQUENTIE: ['iwmo:LDT_Frequentie'],
  GESLACHT: ['iwlz:LDT_Geslacht', 'iwmo:LDT_Geslacht'],
  NAAM_GEBRUIK: ['iwlz:LDT_NaamGebruik', 'iwmo:LDT_NaamGebruik'],
  DATUM_GEBRUIK: ['iwlz:LDT_DatumGebruik', 'iwmo:LDT_DatumGebruik'],
  ADRES_SOORT: ['iwlz:LDT_AdresSoort', 'iwmo:LDT_AdresSoort'],
};

/** services/ingest/istandaard/xsd-types.ts is what infra/generate-xsd-types.ts makes of the published XSDs. */
describe('the generated XSD simple types', () => {
  it('are up to date with the XSDs (npm run generate:xsd-types)', () => {
    expect(fs.readFileSync(OUTPUT, 'utf8')).toBe(generateXsdTypes());
  });

  it('translate XSD patterns: implicit anchors, XSD whitespace, . without line ends', () => {
    const re = (xsd: string) => new RegExp(`^(?:${translatePattern(xsd)})$`, 'u');
    expect(re('.*[^\\s].*').test('Jansen')).toBe(true);
    expect(re('.*[^\\s].*').test('   ')).toBe(false);
    expect(re('.*[^\\s].*').test('Jan\nsen')).toBe(false); // XSD . matches no line end
    expect(re('.*[^\\s].*').test('\u00A0')).toBe(true); // a no-break space is not XSD whitespace
    expect(re('([.\\s]*\\S+[.\\s]*)+').test(' . x . ')).toBe(true);
    expect(re('[0-9]{8}').test('123456789')).toBe(false);
    expect(re('[^:Z]*').test('2024-01-01Z')).toBe(false);
    expect(re('([a-zA-ZÀ-ỳ])+').test('ÀỳJ')).toBe(true);
    expect(() => translatePattern('\\p{L}')).toThrow();
  });

  it.each(Object.entries(SOURCES))(
    'codelist %s has exactly the codes of its XSD enumeration',
    (name, types) => {
      const list = (codelists as unknown as Record<string, Record<string, string>>)[name]!;
      for (const type of types) {
        expect([type, Object.keys(list).sort()]).toEqual([
          type,
          [...XSD_SIMPLE_TYPES[type]!.enumeration!].sort(),
        ]);
      }
    },
  );

  it('every codelist of codelists.ts is compared with the XSD', () => {
    const lists = Object.entries(codelists)
      .filter(([, v]) => typeof v === 'object')
      .map(([k]) => k);
    expect(lists.sort()).toEqual(Object.keys(SOURCES).sort());
  });
});
