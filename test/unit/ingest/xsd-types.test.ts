import * as fs from 'node:fs';
import { OUTPUT, generateXsdTypes, translatePattern } from '../../../infra/generate-xsd-types';

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
});
