/** A minimal XML writer: elements with text or children, escaped, indented by two spaces. Pure. */

export type Node = { name: string; text: string } | { name: string; children: Node[] };

export const el = (name: string, text: string): Node => ({ name, text });
export const group = (name: string, children: Array<Node | undefined>): Node => ({
  name,
  children: children.filter((c): c is Node => c !== undefined),
});
/** An element only when the value is present. */
export const opt = (name: string, text: string | undefined): Node | undefined =>
  text === undefined || text === '' ? undefined : el(name, text);

export const escapeXml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

export function render(node: Node, attrs = '', depth = 0): string {
  const pad = '  '.repeat(depth);
  if ('text' in node) return `${pad}<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>`;
  const inner = node.children.map((c) => render(c, '', depth + 1)).join('\n');
  return `${pad}<${node.name}${attrs}>\n${inner}\n${pad}</${node.name}>`;
}
