/**
 * Hostile records that carry a BSN, in every form, in every place of an input that can produce a reason:
 * each leaf value and each element name of an IO31, AW33 and WMO301, an unknown element (with the
 * message's prefix, without one, with an undeclared prefix) in each complex element, attribute names and
 * values, namespace URIs and prefixes, the declared encoding, the root element, character references,
 * broken and trailing markup; each leaf value and unknown keys of a netwerkmodel event, broken JSON and
 * duplicate keys; the fields of a gemeente's command; and a header of the record itself.
 *
 * `leaksOf` finds any 8 or 9 consecutive digits of those BSNs in a text once separators are removed.
 */
import { isValidBsn } from '../../services/domain/bsn';
import type { InputKind } from '../../services/ingest';
import { buildAw33, buildIo31, buildWmo301, escapeXml, netwerkmodelEvent } from '../fixtures/builders';

/** Valid BSNs (11-proef), the first from issue 11; digits that no fixture, date or offset happens to hold. */
export const HOSTILE_BSNS = ['100000903', '739205419', '582107362'] as const;
for (const b of HOSTILE_BSNS) if (!isValidBsn(b)) throw new Error('a hostile BSN must pass the 11-proef');

export interface Form {
  name: string;
  text: string;
}

/** A BSN plain, spaced, dotted (two ways), dashed, clipped to eight digits, and where a 40-character clip cuts it. */
export function formsOf(bsn: string): Form[] {
  const [a, b, c] = [bsn.slice(0, 3), bsn.slice(3, 6), bsn.slice(6)];
  return [
    { name: 'plain', text: bsn },
    { name: 'spaced', text: `${a} ${b} ${c}` },
    { name: 'dotted', text: `${bsn.slice(0, 4)}.${bsn.slice(4, 6)}.${bsn.slice(6)}` },
    { name: 'dotted-3', text: `${a}.${b}.${c}` },
    { name: 'dashed', text: `${a}-${b}-${c}` },
    { name: 'clipped', text: bsn.slice(0, 8) },
    { name: 'clipped-at-40', text: `zie-bsn:${'x'.repeat(24)}${bsn}` },
  ];
}

/** The windows of 8 and 9 digits of the hostile BSNs found in `text` after removing every separator. */
export function leaksOf(text: string, bsns: readonly string[] = HOSTILE_BSNS): string[] {
  const digitsAndLetters = text.replace(/[^0-9A-Za-z]/g, '');
  const found: string[] = [];
  for (const bsn of bsns) {
    for (const window of [bsn, bsn.slice(0, 8), bsn.slice(1)]) {
      if (digitsAndLetters.includes(window)) found.push(window);
    }
  }
  return found;
}

export interface HostileCase {
  /** What was changed, for a failure message and for sampling: `<kind>/<mutation>`. */
  family: string;
  where: string;
  form: string;
  /** The form's text: the record's own header carries it too. */
  formText: string;
  /** The input kind of the topic it goes to, or 'opdrachten' for a gemeente's command. */
  topic: InputKind | 'opdrachten';
  value: string;
  headers: Record<string, string>;
}

const LEAF = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)>([^<]*)<\/\1?\2>/g;
const COMPLEX_START = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(\s[^>]*)?>(?=\s*<)/g;

/** `text` with the n-th match of `re` replaced by `f(match)`. */
function replaceNth(text: string, re: RegExp, n: number, f: (m: RegExpExecArray) => string): string {
  const all = [...text.matchAll(new RegExp(re.source, 'g'))];
  const m = all[n] as RegExpExecArray | undefined;
  if (m === undefined) throw new Error('no such match');
  return text.slice(0, m.index) + f(m) + text.slice(m.index + m[0].length);
}

const count = (text: string, re: RegExp): number => [...text.matchAll(new RegExp(re.source, 'g'))].length;

function xmlCases(
  kind: 'IO31' | 'AW33' | 'WMO301',
  xml: string,
  topic: InputKind,
  forms: Form[],
): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (mutation: string, where: string, form: Form, value: string) =>
    cases.push({
      family: `${kind}/${mutation}`,
      where,
      form: form.name,
      formText: form.text,
      topic,
      value,
      headers: {},
    });
  const root = /<([A-Za-z_][\w.-]*:)?Bericht\b/.exec(xml)!;
  const prefix = root[1] ?? '';
  const messageNs =
    /xmlns(?::[\w.-]+)?="(http:\/\/www\.istandaarden\.nl\/[^"]*\/(?:io31|aw33|wmo301)\/schema)"/.exec(
      xml,
    )![1]!;
  const basisNs = /xmlns(?::[\w.-]+)?="(http:\/\/www\.istandaarden\.nl\/[^"]*\/basisschema\/schema)"/.exec(
    xml,
  )![1]!;
  const leaves = count(xml, LEAF);
  const complex = count(xml, COMPLEX_START);
  for (const form of forms) {
    const t = escapeXml(form.text);
    // As an XML name: what a name may hold of it (spaces make it malformed, which is a case too).
    const n = form.text;
    for (let i = 0; i < leaves; i++) {
      const leafName = [...xml.matchAll(LEAF)][i]![2]!;
      add(
        'leaf-value',
        leafName,
        form,
        replaceNth(xml, LEAF, i, (m) => `<${m[1] ?? ''}${m[2]}>${t}</${m[1] ?? ''}${m[2]}>`),
      );
      add(
        'leaf-name',
        leafName,
        form,
        replaceNth(xml, LEAF, i, (m) => `<${m[1] ?? ''}X${n}>${m[3]}</${m[1] ?? ''}X${n}>`),
      );
    }
    for (let i = 0; i < complex; i++) {
      const parent = [...xml.matchAll(COMPLEX_START)][i]![2]!;
      const insert = (child: string) => replaceNth(xml, COMPLEX_START, i, (m) => `${m[0]}${child}`);
      add('unknown-element', parent, form, insert(`<${prefix}X${n}>1</${prefix}X${n}>`));
      add('no-namespace-element', parent, form, insert(`<X${n}>1</X${n}>`));
      add('undeclared-prefix', parent, form, insert(`<p${n}:X>1</p${n}:X>`));
      add('mixed-text', parent, form, insert(t));
    }
    const onRoot = (attrs: string) => xml.replace(root[0], `${root[0]} ${attrs}`);
    add('attribute-name', 'root', form, onRoot(`a${n}="1"`));
    add('attribute-value', 'root', form, onRoot(`extra="${t}"`));
    add('prefixed-attribute', 'root', form, onRoot(`xmlns:q="urn:q" q:a${n}="1"`));
    add('empty-prefix', 'root', form, onRoot(`xmlns:p${n}=""`));
    add('message-namespace', 'root', form, xml.replaceAll(messageNs, `urn:${t}`));
    add(
      'istandaard-namespace',
      'root',
      form,
      xml.replaceAll(messageNs, messageNs.replace(/\/[0-9]+_[0-9]+\//, `/${t}/`)),
    );
    add(
      'message-name-in-namespace',
      'root',
      form,
      xml.replaceAll(messageNs, messageNs.replace(/\/(io31|aw33|wmo301)\//, `/wmo${t}/`)),
    );
    add(
      'ijw-namespace',
      'root',
      form,
      xml.replaceAll(messageNs, `http://www.istandaarden.nl/ijw/${t}/jw301/schema`),
    );
    add('basis-namespace', 'root', form, xml.replaceAll(basisNs, `urn:${t}`));
    add('encoding', 'declaration', form, xml.replace(/encoding="[^"]*"/, `encoding="${t}"`));
    add('root-name', 'root', form, xml.replaceAll(`${prefix}Bericht`, `${prefix}B${n}`));
    add('text-after-root', 'root', form, `${xml}${t}`);
    add('closing-tag', 'root', form, xml.replace(`</${prefix}Header>`, `</${prefix}H${n}>`));
    add('unclosed-tag', 'root', form, xml.replace(`</${prefix}Bericht>`, `<X${n}>`));
    add(
      'character-reference',
      'root',
      form,
      xml.replace(`</${prefix}Header>`, `</${prefix}Header>&#${form.text.replace(/\D/g, '')};`),
    );
    add('doctype', 'root', form, xml.replace('?>', `?><!DOCTYPE ${n}>`));
  }
  return cases;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function leafPaths(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [path];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => leafPaths(v, [...path, k]));
}

function objectPaths(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return [
    ...(Array.isArray(value) ? [] : [path]),
    ...entries.flatMap(([k, v]) => objectPaths(v, [...path, k])),
  ];
}

function setAt(value: Json, path: (string | number)[], f: (old: Json) => Json): Json {
  const copy = structuredClone(value);
  if (path.length === 0) return f(copy);
  let node = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  node[last] = f(node[last]!);
  return copy;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function jsonCases(forms: Form[]): HostileCase[] {
  const cases: HostileCase[] = [];
  const event = netwerkmodelEvent() as Json;
  const add = (mutation: string, where: string, form: Form, value: string) =>
    cases.push({
      family: `NETWERKMODEL/${mutation}`,
      where,
      form: form.name,
      formText: form.text,
      topic: 'indicatiebesluiten',
      value,
      headers: { ...JSON_HEADERS },
    });
  for (const form of forms) {
    const digits = form.text.replace(/\D/g, '');
    for (const path of leafPaths(event)) {
      const where = path.join('.');
      add('leaf-value', where, form, JSON.stringify(setAt(event, path, () => form.text)));
      if (/^[0-9]+$/.test(form.text))
        add('leaf-number', where, form, JSON.stringify(setAt(event, path, () => Number(form.text))));
    }
    for (const path of objectPaths(event)) {
      const where = path.join('.') || 'top';
      add(
        'unknown-key',
        where,
        form,
        JSON.stringify(setAt(event, path, (o) => ({ ...(o as object), [form.text]: 1 }))),
      );
    }
    const text = JSON.stringify(event);
    add('broken-json', 'top', form, `${text.slice(0, 20)}${form.text}`);
    add('bare-number', 'top', form, `{"id": ${form.text}}`);
    add('bare-text', 'top', form, `${form.text}`);
    add('trailing-text', 'top', form, `${text} ${form.text}`);
    add('number-token', 'top', form, `{"id": 0${digits}}`);
    add('duplicate-key', 'top', form, text.replace('{', `{"${form.text}":1,"${form.text}":2,`));
    add('bad-escape', 'top', form, text.replace('"id"', `"\\x${digits}"`));
  }
  return cases;
}

function commandCases(forms: Form[]): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (mutation: string, form: Form, value: string) =>
    cases.push({
      family: `COMMAND/${mutation}`,
      where: mutation,
      form: form.name,
      formText: form.text,
      topic: 'opdrachten',
      value,
      headers: {},
    });
  const ok = { type: 'beeindiging.bevestigen', beeindigingId: 'bd-0123456789abcdef01234567' };
  for (const form of forms) {
    add('type', form, JSON.stringify({ ...ok, type: form.text }));
    add('id', form, JSON.stringify({ ...ok, beeindigingId: form.text }));
    add('id-suffix', form, JSON.stringify({ ...ok, beeindigingId: `bd-${form.text}` }));
    add('unknown-key', form, JSON.stringify({ ...ok, [form.text]: form.text }));
    add('number', form, JSON.stringify({ ...ok, beeindigingId: Number(form.text.replace(/\D/g, '')) }));
    add('broken-json', form, `{"type": ${form.text}`);
    add('array', form, JSON.stringify([form.text]));
  }
  return cases;
}

/** Every hostile case for the given BSNs; each record also carries a BSN-holding header of its own. */
export function hostileCases(bsns: readonly string[] = HOSTILE_BSNS): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const bsn of bsns) {
    const forms = formsOf(bsn);
    cases.push(
      ...xmlCases('IO31', buildIo31(), 'indicatiebesluiten', forms),
      ...xmlCases('AW33', buildAw33(), 'zorgtoewijzingen', forms),
      ...xmlCases('WMO301', buildWmo301(), 'wmo-toewijzingen', forms),
      ...jsonCases(forms),
      ...commandCases(forms),
    );
  }
  // The record's own headers carry the BSN too, in the value and (every other record) in the name.
  return cases.map((c, i) => ({
    ...c,
    headers: {
      ...c.headers,
      'x-client': `client ${c.formText}`,
      ...(i % 2 === 1 ? { [`x-${c.formText}`]: '1' } : {}),
    },
  }));
}

/** Up to `perFamily` cases of each family, spread over the forms: a smaller set for a real broker. */
export function sampleCases(cases: readonly HostileCase[], perFamily: number): HostileCase[] {
  const byFamily = new Map<string, HostileCase[]>();
  for (const c of cases) byFamily.set(c.family, [...(byFamily.get(c.family) ?? []), c]);
  return [...byFamily.values()].flatMap((list) => {
    const step = Math.max(1, Math.floor(list.length / perFamily));
    return list.filter((_, i) => i % step === 0).slice(0, perFamily);
  });
}
