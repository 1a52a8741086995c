/**
 * Rewrites ONLY the README.md section between `<!-- rules:start -->` and `<!-- rules:end -->` with the rules
 * rendered from the data. Read-modify-write in one step: others edit the rest of the README.
 * Run: `npx tsx services/rules/update-readme.ts`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderRulesMarkdown, replaceRulesSection } from './render-markdown';

const readmePath = path.resolve(__dirname, '../../README.md');
const before = readFileSync(readmePath, 'utf8');
const after = replaceRulesSection(before, renderRulesMarkdown());
if (after === before) {
  console.log('README.md rules section is up to date');
} else {
  writeFileSync(readmePath, after);
  console.log('README.md rules section rewritten');
}
