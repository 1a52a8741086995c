/**
 * Every XML fixture under test/fixtures: files in a `valid/` folder must validate against the published XSD
 * (xmllint), files in an `invalid-xsd/` folder must not. Some `valid/` files break a rule *beyond* the XSD (a BSN
 * failing the 11-proef, Einddatum before Ingangsdatum, CD079): the XSD accepts them and our parser rejects them.
 * Each fixture states in its leading comment what the parser does ("Accepted" or "Parser: <CODE>."), and this
 * test holds the parser to it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseXmlMessage } from '../../../services/ingest';
import { validateXml } from '../../support/xsd';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : e.name.endsWith('.xml') ? [full] : [];
  });
}

const files = walk(FIXTURES).map((file) => {
  const rel = path.relative(FIXTURES, file);
  const folders = rel.split(path.sep).slice(0, -1);
  const message = path.basename(file).split('-')[0]?.toUpperCase() ?? '';
  return { file, rel, folders, message };
});

describe('XML fixtures', () => {
  it('exist in both folders, and every XML fixture is in one of them', () => {
    expect(files.filter((f) => f.folders.includes('valid')).length).toBeGreaterThanOrEqual(5);
    expect(files.filter((f) => f.folders.includes('invalid-xsd')).length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      expect([f.rel, f.folders.includes('valid') !== f.folders.includes('invalid-xsd')]).toEqual([
        f.rel,
        true,
      ]);
      expect(['IO31', 'AW33', 'WMO301']).toContain(f.message);
    }
  });

  it.each(files.map((f) => [f.rel, f] as const))(
    '%s: XSD verdict and parser result as documented',
    (_, f) => {
      const xml = fs.readFileSync(f.file);
      const xsd = validateXml(f.message, xml);
      if (f.folders.includes('valid')) expect([xsd.valid, xsd.output]).toEqual([true, expect.any(String)]);
      else expect(xsd.valid).toBe(false);

      const comment = /<!--([\s\S]*?)-->/.exec(xml.toString('utf8'))?.[1] ?? '';
      const expected =
        /Parser: ([A-Z_]+)\./.exec(comment)?.[1] ?? (comment.includes('Accepted') ? 'OK' : 'UNDOCUMENTED');
      const r = parseXmlMessage(xml);
      expect(r.ok ? 'OK' : r.error.code).toBe(expected);
      // The XSD-invalid ones are rejected by the parser too.
      if (f.folders.includes('invalid-xsd')) expect(r.ok).toBe(false);
    },
  );
});
