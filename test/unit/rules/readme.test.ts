import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  RULES_END,
  RULES_START,
  renderRulesMarkdown,
  replaceRulesSection,
  rulesSection,
} from '../../../services/rules/render-markdown';
import { GRONDEN, REGELS, UITZONDERINGEN } from '../../../services/rules';

describe('README rules section', () => {
  it('equals the table rendered from the data (run `npx tsx services/rules/update-readme.ts`)', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    expect(rulesSection(readme)).toBe(renderRulesMarkdown());
  });

  it('renders every productcategorie, grond and exception', () => {
    const md = renderRulesMarkdown();
    for (const c of new Set(REGELS.map((r) => r.categorie)))
      expect(md).toMatch(new RegExp(`^\\| ${c} `, 'm'));
    for (const g of Object.keys(GRONDEN)) expect(md).toContain(`| ${g} |`);
    for (const u of UITZONDERINGEN) expect(md).toContain(`| ${u.id} |`);
    expect(md).not.toContain(RULES_START);
  });

  it('replaces only the part between the markers', () => {
    const before = `# x\n\ntop\n${RULES_START}\nold\n${RULES_END}\n\nbottom\n`;
    const after = replaceRulesSection(before, 'new');
    expect(after).toBe(`# x\n\ntop\n${RULES_START}\nnew\n${RULES_END}\n\nbottom\n`);
    expect(rulesSection(after)).toBe('new');
    expect(replaceRulesSection(after, 'new')).toBe(after);
    expect(() => replaceRulesSection('no markers', 'x')).toThrow(/markers/);
  });
});
