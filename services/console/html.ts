/**
 * HTML with escaping by default: every interpolated value is escaped unless it is already Html (made by
 * this tag). Every value from Kafka is hostile; the views never build markup by string concatenation. Pure.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return (v as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(v));
}

/** The tag: html`<p>${untrusted}</p>` escapes `untrusted`; nested html`` stays as it is. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** A URL for an href: only our own absolute paths or http(s) links (a source's url from the rules table). */
export function safeHref(url: string): string {
  return /^(\/[^/\\]|https?:\/\/)/i.test(url) ? url : '#';
}
