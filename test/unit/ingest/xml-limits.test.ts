/**
 * The streaming pass of the XML front door (services/ingest/xml-scan.ts): the structural input limits (README,
 * "Input limits"), each at and just over its limit; the worst inputs of bench/reject.ts rejected at the limit;
 * DOCTYPE text in CDATA, comments and attribute values accepted; whitespace the XSD collapses accepted; and
 * well-formedness as xmllint sees it. No timings here: bench/reject.ts measures them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseXmlMessage } from '../../../services/ingest';
import { parseXmlDocument, XML_LIMITS } from '../../../services/ingest/xml';
import { buildAw33, buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';

const MIB = 1024 * 1024;
const codeOf = (r: { ok: true } | { ok: false; error: { code: string } }) => (r.ok ? 'OK' : r.error.code);
const docCode = (text: string) => codeOf(parseXmlDocument(text));
const reasonOf = (r: ReturnType<typeof parseXmlDocument>) => (r.ok ? '' : r.error.reason);
const commentaarOf = (r: ReturnType<typeof parseXmlMessage>) =>
  r.ok && r.message.facts[0]?.type === 'wmo-toewijzing' ? r.message.facts[0].commentaar : undefined;

/** n namespace declarations as attributes (they are allowed on any element). */
const decls = (n: number, tag = 'p') =>
  Array.from({ length: n }, (_, i) => ` xmlns:${tag}${i}="urn:${tag}:${i}"`).join('');

describe('structural limits: at the limit accepted, over it rejected', () => {
  it('the limits are the documented ones', () => {
    expect(XML_LIMITS).toEqual({
      maxDepth: 64,
      maxElements: 10_000,
      maxAttributes: 16,
      maxAttributesTotal: 256,
      maxNameLength: 256,
      maxTextLength: 4096,
    });
  });

  it(`attributes per element: ${XML_LIMITS.maxAttributes} → ok, one more → TOO_LARGE`, () => {
    expect(docCode(`<a${decls(16)}/>`)).toBe('OK');
    const r = parseXmlDocument(`<a${decls(17)}/>`);
    expect(codeOf(r)).toBe('TOO_LARGE');
    expect(reasonOf(r)).toBe('an element has more than 16 attributes (an input limit; line 1)');
  });

  it(`attributes in a message: ${XML_LIMITS.maxAttributesTotal} → ok, one more → TOO_LARGE`, () => {
    const children = (n: number) => Array.from({ length: n }, (_, i) => `<b${decls(16, `q${i}x`)}/>`);
    expect(docCode(`<a>${children(16).join('')}</a>`)).toBe('OK');
    expect(docCode(`<a x="1">${children(16).join('')}</a>`)).toBe('TOO_LARGE');
  });

  it(`elements: ${XML_LIMITS.maxElements} → ok, one more → TOO_LARGE`, () => {
    expect(docCode(`<a>${'<b/>'.repeat(9_999)}</a>`)).toBe('OK');
    const r = parseXmlDocument(`<a>\n${'<b/>'.repeat(10_000)}</a>`);
    expect(codeOf(r)).toBe('TOO_LARGE');
    expect(reasonOf(r)).toBe('more than 10000 elements (an input limit; line 2)');
  });

  it(`depth: ${XML_LIMITS.maxDepth} → ok, one more → SCHEMA (as before)`, () => {
    expect(docCode(`${'<a>'.repeat(64)}${'</a>'.repeat(64)}`)).toBe('OK');
    expect(docCode(`${'<a>'.repeat(65)}${'</a>'.repeat(65)}`)).toBe('SCHEMA');
    // Never closed: the depth limit is met before the end of the text.
    expect(docCode('<a>'.repeat(100_000))).toBe('SCHEMA');
  });

  it(`names: ${XML_LIMITS.maxNameLength} characters → ok, one more → TOO_LARGE (element, attribute, end tag)`, () => {
    const name = (n: number) => `a${'1'.repeat(n - 1)}`;
    expect(docCode(`<${name(256)}/>`)).toBe('OK');
    expect(docCode(`<${name(257)}/>`)).toBe('TOO_LARGE');
    expect(docCode(`<a xmlns:${name(250)}="urn:x"/>`)).toBe('OK');
    expect(docCode(`<a xmlns:${name(251)}="urn:x"/>`)).toBe('TOO_LARGE');
    const r = parseXmlDocument(`<a></${name(300)}>`);
    expect(codeOf(r)).toBe('TOO_LARGE');
    // The reason names the rule, never the name (digits in a name could be a BSN).
    expect(reasonOf(r)).not.toMatch(/1{8}/);
  });

  it(`text of an element: ${XML_LIMITS.maxTextLength} characters → ok, one more → TOO_LARGE`, () => {
    expect(docCode(`<a>${'x'.repeat(4096)}</a>`)).toBe('OK');
    expect(docCode(`<a>${'x'.repeat(4097)}</a>`)).toBe('TOO_LARGE');
    // Counted after decoding, over text, references and CDATA sections together.
    expect(docCode(`<a>${'&amp;'.repeat(4096)}</a>`)).toBe('OK');
    expect(docCode(`<a>${'x'.repeat(2048)}<![CDATA[${'y'.repeat(2048)}]]></a>`)).toBe('OK');
    expect(docCode(`<a>${'x'.repeat(2048)}<![CDATA[${'y'.repeat(2048)}]]>z</a>`)).toBe('TOO_LARGE');
    expect(docCode(`<a>${'<![CDATA[x]]>'.repeat(4097)}</a>`)).toBe('TOO_LARGE');
    expect(docCode(`<a>${'x<!---->'.repeat(4097)}</a>`)).toBe('TOO_LARGE');
  });

  it('whitespace between child elements is not text: it does not count', () => {
    expect(docCode(`<a><b/>${' '.repeat(10_000)}<c/>${'\n  '.repeat(5_000)}<d/></a>`)).toBe('OK');
    expect(docCode(`<a>${' '.repeat(10_000)}<!-- c -->${' '.repeat(10_000)}<b/></a>`)).toBe('OK');
    expect(docCode(`<a>${' '.repeat(10_000)}</a>`)).toBe('OK');
    // Whitespace inside a text is text.
    expect(docCode(`<a>x${' '.repeat(4095)}</a>`)).toBe('OK');
    expect(docCode(`<a>x${' '.repeat(4096)}</a>`)).toBe('TOO_LARGE');
    expect(docCode(`<a>${' '.repeat(4095)}<!-- c -->x</a>`)).toBe('OK');
    expect(docCode(`<a>${' '.repeat(4096)}<!-- c -->x</a>`)).toBe('TOO_LARGE');
  });

  it(`an attribute value: ${XML_LIMITS.maxTextLength} characters → ok, one more → TOO_LARGE`, () => {
    const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
    expect(docCode(`<a ${xsi} xsi:schemaLocation="${'x'.repeat(4096)}"/>`)).toBe('OK');
    expect(docCode(`<a ${xsi} xsi:schemaLocation="${'x'.repeat(4097)}"/>`)).toBe('TOO_LARGE');
  });
});

describe('the worst inputs of bench/reject.ts are rejected at their limit', () => {
  const wmo = () => buildWmo301({ bsn: validBsn(3), commentaar: 'COMMENTAAR' });
  const fill = (budget: number, unit: string) => unit.repeat(Math.floor(budget / unit.length));

  const worst: { name: string; build: () => string; code: string }[] = [
    {
      name: '~104,000 attributes on one element',
      build: () => {
        const attrs = Array.from({ length: 104_000 }, (_, i) => ` a${i.toString(36)}=""`).join('');
        return wmo().replace('<wmo301:Client>', `<wmo301:Client${attrs.slice(0, MIB - 3000)}>`);
      },
      code: 'TOO_LARGE',
    },
    {
      name: '~60,000 namespace declarations',
      build: () => {
        const attrs = Array.from({ length: 60_000 }, (_, i) => ` xmlns:p${i.toString(36)}="u"`).join('');
        return wmo().replace('<wmo301:Client>', `<wmo301:Client${attrs.slice(0, MIB - 3000)}>`);
      },
      code: 'TOO_LARGE',
    },
    {
      name: '~260,000 empty elements',
      build: () => wmo().replace('<wmo301:Client>', `<wmo301:Client>${fill(MIB - 3000, '<a/>')}`),
      code: 'TOO_LARGE',
    },
    {
      name: '~150,000 nested elements',
      build: () => `${'<a>'.repeat(74_000)}${'</a>'.repeat(74_000)}`,
      code: 'SCHEMA',
    },
    {
      name: 'a Commentaar of 1 MiB',
      build: () => wmo().replace('COMMENTAAR', fill(MIB - 3000, 'x')),
      code: 'TOO_LARGE',
    },
    {
      name: 'a Commentaar of 200,000 &amp;',
      build: () => wmo().replace('COMMENTAAR', fill(MIB - 3000, '&amp;')),
      code: 'TOO_LARGE',
    },
    {
      name: 'an element name of 1 MiB',
      build: () => `<${fill(MIB - 10, 'a')}/>`,
      code: 'TOO_LARGE',
    },
    {
      name: 'an attribute value of 1 MiB',
      build: () =>
        wmo().replace(
          '<wmo301:Client>',
          `<wmo301:Client xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${fill(MIB - 3200, 'x')}">`,
        ),
      code: 'TOO_LARGE',
    },
    {
      name: 'a valid WMO301 of 1,500 products (~20,000 elements)',
      build: () =>
        buildWmo301({
          bsn: validBsn(3),
          producten: Array.from({ length: 1_500 }, (_, i) => ({ toewijzingnummer: 100_000 + i })),
        }),
      code: 'TOO_LARGE',
    },
    {
      // under the element limit, so the structural pass lets it through; REPEAT_LIMITS then rejects it
      name: 'an XSD-valid WMO301 of 500 products (~7,000 elements)',
      build: () =>
        buildWmo301({
          bsn: validBsn(3),
          producten: Array.from({ length: 500 }, (_, i) => ({ toewijzingnummer: 100_000 + i })),
        }),
      code: 'TOO_MANY',
    },
    {
      name: 'a valid WMO301 of 100 products (REPEAT_LIMITS)',
      build: () =>
        buildWmo301({
          bsn: validBsn(3),
          producten: Array.from({ length: 100 }, (_, i) => ({ toewijzingnummer: 100_000 + i })),
        }),
      code: 'OK',
    },
  ];

  it.each(worst)('$name → $code', ({ build, code }) => {
    const text = build();
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MIB);
    expect(codeOf(parseXmlMessage(Buffer.from(text)))).toBe(code);
  });
});

describe('DOCTYPE and ENTITY are forbidden as markup only', () => {
  it('<!DOCTYPE html> in a CDATA Commentaar is text: accepted, kept as it is', () => {
    const xml = buildWmo301({ commentaar: 'X' }).replace(
      '>X<',
      '><![CDATA[<!DOCTYPE html><!ENTITY x "y">]]><',
    );
    const r = parseXmlMessage(xml);
    expect(codeOf(r)).toBe('OK');
    expect(commentaarOf(r)).toBe('<!DOCTYPE html><!ENTITY x "y">');
  });

  it('in a comment, an escaped text or an attribute value it is text too', () => {
    expect(docCode('<a><!-- <!DOCTYPE html> --></a>')).toBe('OK');
    expect(docCode('<a>&lt;!DOCTYPE html&gt;</a>')).toBe('OK');
    expect(docCode('<a><!-- x --><!DOCTYPE html></a>')).toBe('DOCTYPE_FORBIDDEN');
    const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
    expect(docCode(`<a ${xsi} xsi:schemaLocation="&lt;!DOCTYPE x>"/>`)).toBe('OK');
  });
});

describe('whitespace the XSD type collapses is fine', () => {
  const base = () => buildWmo301({ bsn: validBsn(4) });
  const product = (r: ReturnType<typeof parseXmlMessage>) =>
    r.ok && r.message.facts[0]?.type === 'wmo-toewijzing' ? r.message.facts[0] : undefined;

  it.each([
    ['spaces, tabs and line ends', (v: string) => ` \t\r\n ${v}\n\t `],
    ['a CDATA section with spaces', (v: string) => `<![CDATA[ ${v} ]]>`],
    ['a CDATA section between line ends', (v: string) => `\n  <![CDATA[\t${v}\n]]>\n`],
    ['a comment beside the value', (v: string) => ` <!-- c --> ${v} <!-- d --> `],
  ])('xs:date, xs:time and xs:integer values with %s', (_, wrap) => {
    const xml = base()
      .replace(/<wmo301:Ingangsdatum>(.*?)</, (_m, v: string) => `<wmo301:Ingangsdatum>${wrap(v)}<`)
      .replace(/<wmo301:Toewijzingstijd>(.*?)</, (_m, v: string) => `<wmo301:Toewijzingstijd>${wrap(v)}<`)
      .replace(/<wmo301:ToewijzingNummer>(.*?)</, (_m, v: string) => `<wmo301:ToewijzingNummer>${wrap(v)}<`);
    const r = parseXmlMessage(xml);
    expect(codeOf(r)).toBe('OK');
    expect(product(r)).toMatchObject({
      ingangsdatum: '2024-01-01',
      toewijzingstijd: '09:00:00',
      toewijzingnummer: '123456',
    });
  });

  it('line ends are normalised as XML requires: CR LF and CR are LF, a &#13; reference is a CR', () => {
    const r = parseXmlDocument('<a>x\r\ny\rz&#13;w\r\n</a>');
    expect(r.ok && r.root.text).toBe('x\ny\nz\rw');
    const xml = buildWmo301({ commentaar: 'X' }).replace('>X<', '>regel 1\r\nregel 2<');
    expect(commentaarOf(parseXmlMessage(xml))).toBe('regel 1\nregel 2');
  });

  it('a no-break space is not XML whitespace: not collapsed, so not a date (as xmllint says)', () => {
    const xml = base().replace(/<wmo301:Ingangsdatum>(.*?)</, '<wmo301:Ingangsdatum>\u00a0$1<');
    expect(codeOf(parseXmlMessage(xml))).toBe('INVALID_DATE');
  });

  it('IO31 and AW33 dates with line ends and CDATA', () => {
    const wrap = (xml: string) =>
      xml.replace(/<iwlz:Dagtekening>(.*?)</, '<iwlz:Dagtekening>\n  <![CDATA[ $1 ]]>\n<');
    expect(codeOf(parseXmlMessage(wrap(buildIo31())))).toBe('OK');
    expect(codeOf(parseXmlMessage(wrap(buildAw33())))).toBe('OK');
  });
});

describe('well-formedness: the same verdict as xmllint', () => {
  /** xmllint's verdict on well-formedness (no DTD, no network). */
  const xmllintWellFormed = (text: string): boolean =>
    spawnSync('xmllint', ['--noout', '--nonet', '-'], { input: text, encoding: 'utf8' }).status === 0;

  it.each([
    // Not well-formed (the old front door accepted the first five).
    ['"]]>" in character data', '<a>]]></a>', 'MALFORMED_XML'],
    ['"--" in a comment', '<a><!-- a -- b --></a>', 'MALFORMED_XML'],
    ['"<" in an attribute value', '<a b="<"/>', 'MALFORMED_XML'],
    ['an undeclared entity in an attribute value', '<a b="&x;"/>', 'MALFORMED_XML'],
    ['an XML declaration after the root', '<a/><?xml version="1.0"?>', 'MALFORMED_XML'],
    ['an XML declaration inside the root', '<a><?xml version="1.0"?></a>', 'MALFORMED_XML'],
    ['whitespace before the XML declaration', ' <?xml version="1.0"?><a/>', 'MALFORMED_XML'],
    ['an XML declaration without version', '<?xml encoding="UTF-8"?><a/>', 'MALFORMED_XML'],
    ['an attribute without value', '<a b/>', 'MALFORMED_XML'],
    ['an unquoted attribute value', '<a b=1/>', 'MALFORMED_XML'],
    ['attributes without space between them', '<a b="1"c="2"/>', 'MALFORMED_XML'],
    ['a repeated attribute', '<a b="1" b="2"/>', 'MALFORMED_XML'],
    ['a name starting with a digit', '<1a/>', 'MALFORMED_XML'],
    ['space after <', '< a/>', 'MALFORMED_XML'],
    ['space in an end tag after </', '<a></ a>', 'MALFORMED_XML'],
    ['a mismatched end tag', '<a><b></a></b>', 'MALFORMED_XML'],
    ['an end tag without start', '<a/></a>', 'MALFORMED_XML'],
    ['a CDATA section outside the root', '<![CDATA[x]]><a/>', 'MALFORMED_XML'],
    ['an unclosed comment', '<a><!-- x </a>', 'MALFORMED_XML'],
    ['an unclosed CDATA section', '<a><![CDATA[ x </a>', 'MALFORMED_XML'],
    ['an unclosed processing instruction', '<a><?p x </a>', 'MALFORMED_XML'],
    ['an unclosed start tag', '<a', 'MALFORMED_XML'],
    ['a reference without ;', '<a>&amp</a>', 'MALFORMED_XML'],
    ['a character reference to U+0000', '<a>&#0;</a>', 'MALFORMED_XML'],
    ['text before the root', 'x<a/>', 'MALFORMED_XML'],
    ['<!ELEMENT outside a DTD', '<a><!ELEMENT a ANY></a>', 'MALFORMED_XML'],
    // Well-formed.
    [
      'declaration, comment, PI around the root',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!-- c -->\n<?p x?><a/>\n<!-- d --><?q?>\n',
      'OK',
    ],
    ['single-quoted attributes, whitespace in tags', "<a\txmlns:b = 'urn:b'\n></a >", 'OK'],
    ['">" in text and in attribute values', '<a xmlns:b="urn:>">x > y</a>', 'OK'],
    ['a comment ending in ->', '<a><!---> x --></a>', 'OK'],
    ['character references up to U+10FFFF', '<a>&#x10FFFF;&#65;&#x20AC;</a>', 'OK'],
    ['non-ASCII names', '<é xmlns:ü="urn:u"><ü:ñ/></é>', 'OK'],
    ['a PI target beginning with xml', '<a><?xml-stylesheet href="x"?></a>', 'OK'],
    ['"]]" without ">" in text', '<a>]] ]></a>', 'OK'],
  ])('%s', (_, text, code) => {
    expect(docCode(text)).toBe(code);
    expect(xmllintWellFormed(text)).toBe(code === 'OK');
  });
});

describe('well-formedness of random token soups: the same verdict as xmllint', () => {
  // Tokens that make and break XML (no DOCTYPE: xmllint would read it; no prefixes: namespaces are not the
  // point here). Reading them in any order must give xmllint's verdict.
  const TOKENS = [
    '<a>',
    '</a>',
    '<b>',
    '</b>',
    '<a/>',
    '<b x="1"/>',
    "<b x='&amp;'>",
    '<a y="<">',
    '<a x="1" x="2">',
    'text',
    ' ',
    '\n',
    '&amp;',
    '&lt;',
    '&#65;',
    '&#0;',
    '&bogus;',
    '&',
    ']]>',
    ']]',
    '>',
    '<',
    '<!-- c -->',
    '<!--',
    '-->',
    '--',
    '<![CDATA[',
    '<![CDATA[ x ]]>',
    '<?p d?>',
    '<?xml version="1.0"?>',
    '<?xml',
    '?>',
    '"',
    '=',
    '</',
    '/>',
    '<é>',
    '</é>',
    '<1>',
  ];
  const soup = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 12 }).map((t) => t.join(''));

  it('300 soups', () => {
    const docs = fc.sample(soup, { numRuns: 300, seed: 11 });
    // Well-formed is a good share of them only if the soup starts with a root: add some that do.
    const all = [...docs, ...docs.map((d) => `<r>${d}</r>`)];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samenloop-soup-'));
    try {
      const files = all.map((doc, i) => {
        const file = path.join(dir, `${i}.xml`);
        fs.writeFileSync(file, doc);
        return file;
      });
      const r = spawnSync('xmllint', ['--noout', '--nonet', ...files], { encoding: 'utf8' });
      const failed = new Set(
        r.stderr
          .split('\n')
          .map((line) => /^(\S+\.xml):/.exec(line)?.[1])
          .filter((f): f is string => f !== undefined),
      );
      const disagreements = all.filter((doc, i) => {
        const code = docCode(doc);
        const ours = code !== 'MALFORMED_XML' && code !== 'INVALID_UTF8';
        return ours !== !failed.has(files[i] ?? '');
      });
      expect(disagreements).toEqual([]);
      // The soups are not all rejected: both verdicts occur.
      expect(failed.size).toBeGreaterThan(10);
      expect(failed.size).toBeLessThan(all.length - 10);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
