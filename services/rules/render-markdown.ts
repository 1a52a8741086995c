/**
 * Renders the rules table, the gronden, the exceptions and the sources as markdown, from the data alone.
 * README.md shows the result between the `rules:start` / `rules:end` markers (update-readme.ts writes it;
 * a unit test fails when they differ).
 */
import { BRONNEN } from './bronnen';
import { UITZONDERINGEN } from './exceptions';
import { categorieNaam, GRONDEN, REGELS, regelId } from './table';
import { PRODUCTCATEGORIEEN, SITUATIE_LABEL, SITUATIES, type Beoordeling } from './types';

export const RULES_START = '<!-- rules:start -->';
export const RULES_END = '<!-- rules:end -->';

const CEL: Readonly<Record<Beoordeling, string>> = {
  'wlz-voorliggend': '**wlz-voorliggend**',
  toegestaan: 'toegestaan',
  beoordelen: '*beoordelen*',
};

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const bronnen = (ids: readonly string[]): string => ids.join(', ');

export function renderRulesMarkdown(): string {
  const lines: string[] = [];
  lines.push(
    '<!-- Generated from services/rules/*.ts by `npx tsx services/rules/update-readme.ts`; do not edit by hand. -->',
    '',
    'Which Wmo voorziening (iWmo WMO020 productcategorie) may continue beside which Wlz situation, as the engine',
    'applies it (`services/rules/table.ts`). **wlz-voorliggend**: the gemeente is signalled and, by its policy, the',
    'toewijzing is ended with a WMO301 (RedenWijziging 06); *beoordelen*: the gemeente is signalled, nothing is',
    'ended; toegestaan: nobody is told. The rule id of a cell is `SL-<categorie>-<situatie>`, e.g.',
    `\`${regelId('01', 'mpt')}\`; the grond in brackets gives the reason and the sources (below).`,
    '',
  );
  lines.push(row(['categorie', ...SITUATIES.map((s) => SITUATIE_LABEL[s])]));
  lines.push(row(['---', ...SITUATIES.map(() => '---')]));
  for (const categorie of PRODUCTCATEGORIEEN) {
    const cells = SITUATIES.map((situatie) => {
      const r = REGELS.find((x) => x.categorie === categorie && x.situatie === situatie);
      return r ? `${CEL[r.beoordeling]} (${r.grond})` : '?';
    });
    lines.push(row([`${categorie} ${categorieNaam(categorie)}`, ...cells]));
  }
  lines.push('', '### Gronden', '', row(['grond', 'omschrijving', 'bronnen']), row(['---', '---', '---']));
  for (const g of Object.values(GRONDEN)) lines.push(row([g.id, g.omschrijving, bronnen(g.bronnen)]));
  lines.push(
    '',
    '### Exceptions and counting rules',
    '',
    row(['id', 'rule', 'omschrijving', 'bronnen']),
    row(['---', '---', '---', '---']),
  );
  for (const u of UITZONDERINGEN) lines.push(row([u.id, u.titel, u.omschrijving, bronnen(u.bronnen)]));
  lines.push('', '### Sources', '', row(['id', 'title', 'url']), row(['---', '---', '---']));
  for (const [id, b] of Object.entries(BRONNEN)) lines.push(row([id, b.titel, `<${b.url}>`]));
  return lines.join('\n');
}

/** README text with the rules section replaced by `body`. Throws when the markers are missing or out of order. */
export function replaceRulesSection(readme: string, body: string): string {
  const start = readme.indexOf(RULES_START);
  const end = readme.indexOf(RULES_END);
  if (start < 0 || end < start) throw new Error(`README.md: markers ${RULES_START} … ${RULES_END} not found`);
  return `${readme.slice(0, start + RULES_START.length)}\n${body}\n${readme.slice(end)}`;
}

/** The current rules section of a README (between the markers, without the surrounding newlines). */
export function rulesSection(readme: string): string | undefined {
  const start = readme.indexOf(RULES_START);
  const end = readme.indexOf(RULES_END);
  if (start < 0 || end < start) return undefined;
  return readme
    .slice(start + RULES_START.length, end)
    .replace(/^\n/, '')
    .replace(/\n$/, '');
}
