/**
 * The safe XML front door: size, encoding, DTD/entities, well-formedness, namespaces and root recognition,
 * including hostile inputs (billion laughs, XXE, oversized, invalid UTF-8, iJw JW301, empty value elements).
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parseMessage, parseXmlMessage } from '../../../services/ingest';
import { decodePayload } from '../../../services/ingest/payload';
import { parseXmlDocument } from '../../../services/ingest/xml';
import { buildAw33, buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';

const codeOf = (r: ReturnType<typeof parseXmlMessage>) => (r.ok ? 'OK' : r.error.code);
const reasonOf = (r: ReturnType<typeof parseXmlMessage>) => (r.ok ? '' : r.error.reason);

describe('payload checks', () => {
  it('TOO_LARGE: over the limit (default 1 MiB, configurable), before decoding', () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    expect(codeOf(parseXmlMessage(big))).toBe('TOO_LARGE');
    expect(codeOf(parseMessage('wmo-toewijzingen', big))).toBe('TOO_LARGE');
    const xml = buildWmo301();
    expect(codeOf(parseXmlMessage(xml, { maxBytes: 100 }))).toBe('TOO_LARGE');
    expect(codeOf(parseXmlMessage(xml, { maxBytes: Buffer.byteLength(xml) }))).toBe('OK');
  });

  it('TOO_LARGE: a 2 MiB well-formed message', () => {
    const padded = buildWmo301({ commentaar: 'x'.repeat(2 * 1024 * 1024) });
    expect(codeOf(parseMessage('wmo-toewijzingen', Buffer.from(padded)))).toBe('TOO_LARGE');
  });

  it('EMPTY: zero bytes or whitespace only', () => {
    expect(codeOf(parseXmlMessage(Buffer.alloc(0)))).toBe('EMPTY');
    expect(codeOf(parseXmlMessage(''))).toBe('EMPTY');
    expect(codeOf(parseXmlMessage(' \n\t\r\n '))).toBe('EMPTY');
    expect(codeOf(parseXmlMessage(Buffer.from([0xef, 0xbb, 0xbf])))).toBe('EMPTY');
  });

  it('INVALID_UTF8: invalid byte sequences, lone surrogates, a declared non-UTF-8 encoding', () => {
    const xml = Buffer.from(buildWmo301({ achternaam: 'Muller' }));
    const latin1 = Buffer.from(buildWmo301({ achternaam: 'Müller' }), 'latin1');
    expect(codeOf(parseXmlMessage(latin1))).toBe('INVALID_UTF8');
    expect(codeOf(parseXmlMessage(Buffer.concat([xml, Buffer.from([0xc3])])))).toBe('INVALID_UTF8');
    expect(codeOf(parseXmlMessage(Buffer.from([0xff, 0xfe, 0x3c, 0x00])))).toBe('INVALID_UTF8');
    expect(codeOf(parseXmlMessage('<a>\ud800</a>'))).toBe('INVALID_UTF8');
    const declared = buildWmo301().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect(codeOf(parseXmlMessage(declared))).toBe('INVALID_UTF8');
  });

  it('accepts a UTF-8 byte order mark and non-ASCII names', () => {
    const r = parseXmlMessage(
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(buildWmo301({ achternaam: 'Çelik-Müller' })),
      ]),
    );
    expect(r.ok && r.message.facts[0]?.client.naam?.achternaam).toBe('Çelik-Müller');
  });

  it('decodePayload keeps a string input as it is (apart from a BOM)', () => {
    expect(decodePayload('\uFEFF<a/>')).toEqual({ ok: true, text: '<a/>' });
  });
});

describe('DTD and entities are never processed', () => {
  const billionLaughs = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE lolz [',
    ' <!ENTITY lol "lol">',
    ...Array.from(
      { length: 9 },
      (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
    ),
    ']>',
    '<lolz>&lol9;</lolz>',
  ].join('\n');

  it('billion laughs → DOCTYPE_FORBIDDEN, quickly', () => {
    const t = Date.now();
    expect(codeOf(parseXmlMessage(billionLaughs))).toBe('DOCTYPE_FORBIDDEN');
    expect(Date.now() - t).toBeLessThan(200);
  });

  it('external entity (XXE) → DOCTYPE_FORBIDDEN, nothing is read', () => {
    const xxe = buildWmo301().replace(
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>',
    );
    const r = parseXmlMessage(xxe.replace('<wmo301:Commentaar>', '<wmo301:Commentaar>&xxe;'));
    expect(codeOf(r)).toBe('DOCTYPE_FORBIDDEN');
    expect(reasonOf(r)).not.toContain('root:');
  });

  it('a DOCTYPE anywhere, any case, or an ENTITY declaration alone → DOCTYPE_FORBIDDEN', () => {
    expect(codeOf(parseXmlMessage('<!doctype html><a/>'))).toBe('DOCTYPE_FORBIDDEN');
    expect(codeOf(parseXmlMessage('<a><!ENTITY x "y"></a>'))).toBe('DOCTYPE_FORBIDDEN');
    expect(codeOf(parseXmlMessage(`${buildIo31()}<!DOCTYPE x>`))).toBe('DOCTYPE_FORBIDDEN');
  });

  it('an undeclared entity reference is not well-formed (it is never resolved)', () => {
    const r = parseXmlMessage(buildWmo301({ commentaar: 'x' }).replace('>x<', '>&xxe;<'));
    expect(codeOf(r)).toBe('MALFORMED_XML');
  });

  it('decodes the predefined entities and character references; whitespace around a CDATA section is kept', () => {
    const xml = buildWmo301({ commentaar: 'PLACEHOLDER' }).replace(
      'PLACEHOLDER',
      'a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233; &#x20AC; <![CDATA[&amp; <raw>]]>',
    );
    const r = parseXmlMessage(xml);
    expect(r.ok && r.message.facts[0]?.type === 'wmo-toewijzing' && r.message.facts[0].commentaar).toBe(
      `a & b <c> "d" 'e' é € &amp; <raw>`,
    );
  });

  it('a character reference to a non-XML character is not well-formed', () => {
    expect(codeOf(parseXmlMessage(buildWmo301({ commentaar: 'x' }).replace('>x<', '>&#0;<')))).toBe(
      'MALFORMED_XML',
    );
    expect(codeOf(parseXmlMessage(buildWmo301({ commentaar: 'x' }).replace('>x<', '>&#xD800;<')))).toBe(
      'MALFORMED_XML',
    );
  });
});

describe('MALFORMED_XML', () => {
  it.each([
    ['not XML at all', 'hello world'],
    ['unclosed element', '<a><b></a>'],
    ['truncated message', buildIo31().slice(0, 500)],
    ['two root elements', '<a/><b/>'],
    ['text after the root', '<a/>tail'],
    ['undeclared prefix', '<x:Bericht/>'],
    ['two colons in a name', '<a:b:c xmlns:a="urn:a"/>'],
    ['control character', '<a>\u0001</a>'],
    ['repeated attribute', '<a b="1" b="2"/>'],
    ['bare ampersand', '<a>fish & chips</a>'],
    ['xmlns prefix undeclared with an empty URI', '<a xmlns:p=""/>'],
  ])('%s', (_, text) => {
    expect(codeOf(parseXmlMessage(text))).toBe('MALFORMED_XML');
  });

  it('deep nesting (well-formed) is a SCHEMA error, without a stack overflow', () => {
    const r = parseXmlMessage(`${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`);
    expect(r.ok ? '' : r.error).toEqual({
      code: 'SCHEMA',
      reason: 'elements are nested deeper than 64 levels',
    });
  });

  it('parseXmlDocument never throws and returns the tree with resolved namespaces', () => {
    const r = parseXmlDocument(
      '<p:a xmlns:p="urn:p" xmlns="urn:d"><b>1</b><p:c xmlns:p="urn:q"/><e xmlns=""/></p:a>',
    );
    expect(r).toEqual({
      ok: true,
      root: {
        ns: 'urn:p',
        name: 'a',
        text: '',
        children: [
          { ns: 'urn:d', name: 'b', text: '1', children: [] },
          { ns: 'urn:q', name: 'c', text: '', children: [] },
          { ns: '', name: 'e', text: '', children: [] },
        ],
      },
    });
  });
});

describe('names read again (xml-scan.ts keeps the names it read, by a hash)', () => {
  const slot = (name: string) => {
    let h = 0;
    for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
    return h & 1023;
  };

  it('names of the same length in the same slot stay apart, in start and end tags, prefixed or not', () => {
    // two-letter names hash to 31 × first + second: Ab and BC share a hash, and so do Ac and BD
    const names = ['Ab', 'BC', 'Ac', 'BD'];
    expect(slot('Ab')).toBe(slot('BC'));
    expect(slot('Ac')).toBe(slot('BD'));
    const xml = `<r xmlns="urn:d" xmlns:p="urn:p">${names.map((n) => `<${n}>${n}</${n}><p:${n}/>`).join('')}<Ab/></r>`;
    const r = parseXmlDocument(xml);
    if (!r.ok) throw new Error(r.error.reason);
    expect(r.root.children.map((c) => `${c.ns} ${c.name} ${c.text}`)).toEqual([
      'urn:d Ab Ab',
      'urn:p Ab ',
      'urn:d BC BC',
      'urn:p BC ',
      'urn:d Ac Ac',
      'urn:p Ac ',
      'urn:d BD BD',
      'urn:p BD ',
      'urn:d Ab ',
    ]);
  });

  it('a colliding name in an end tag is still a mismatch', () => {
    const r = parseXmlDocument('<r><Ab></BC></r>');
    expect(r.ok ? '' : r.error.reason).toBe(
      'not well-formed XML: an end tag does not match its start tag (line 1)',
    );
  });

  it('the names kept do not keep their messages alive', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    // 200 messages of ≈200 KB, each with a long name of its own (ASCII, and not: the two ways a name is read)
    const pad = `<pad>${'x'.repeat(4000)}</pad>`.repeat(50);
    for (let i = 0; i < 200; i++) {
      const r = parseXmlDocument(`<r>${pad}<LongElementName${i}/><Élément${i}Long/></r>`);
      if (!r.ok) throw new Error(r.error.reason);
    }
    gc();
    // sliced names would hold 200 × 200 KB = 40 MB
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(10_000_000);
  });

  it('thousands of distinct names (a hostile message) are read right, and the next message too', () => {
    // more names than the scanner's slots and than the split qualified names kept (emptied at 2,048)
    const count = 5000;
    const xml = `<r xmlns:p="urn:p">${Array.from({ length: count }, (_, i) => `<p:e${i}>${i}</p:e${i}>`).join('')}</r>`;
    const r = parseXmlDocument(xml);
    if (!r.ok) throw new Error(r.error.reason);
    expect(r.root.children.map((c) => `${c.ns} ${c.name} ${c.text}`)).toEqual(
      Array.from({ length: count }, (_, i) => `urn:p e${i} ${i}`),
    );
    // the same names, their prefix now undeclared: known names, resolved again in the new scope
    const undeclared = parseXmlDocument('<r><p:e1/></r>');
    expect(undeclared.ok ? '' : undeclared.error.reason).toMatch(
      /namespace prefix 'p' of element .* is not declared/,
    );
  });
});

describe('namespaces', () => {
  const wmo = { bsn: validBsn(5) };

  it('any prefixes are accepted, or a default namespace for either', () => {
    for (const prefixes of [
      { message: 'wmo301', basis: 'iwmo' },
      { message: 'a', basis: 'b' },
      { message: '', basis: 'iwmo' },
      { message: 'm', basis: '' },
    ]) {
      expect(codeOf(parseXmlMessage(buildWmo301({ ...wmo, prefixes })))).toBe('OK');
    }
  });

  it('prefixes declared on inner elements and re-bound prefixes resolve by scope', () => {
    const xml = buildWmo301(wmo)
      .replace(
        ' xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"',
        ' xmlns:iwmo="urn:other"',
      )
      .replace(
        '<wmo301:Header>',
        '<wmo301:Header xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema">',
      )
      .replace(
        '<wmo301:Client>',
        '<wmo301:Client xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema">',
      );
    expect(codeOf(parseXmlMessage(xml))).toBe('OK');
  });

  it('WRONG_NAMESPACE: a basisschema child in the message namespace, and the reverse', () => {
    const r1 = parseXmlMessage(
      buildWmo301(wmo).replace(
        /<iwmo:Dagtekening>(.*?)<\/iwmo:Dagtekening>/,
        '<wmo301:Dagtekening>$1</wmo301:Dagtekening>',
      ),
    );
    expect(codeOf(r1)).toBe('WRONG_NAMESPACE');
    expect(reasonOf(r1)).toContain('Bericht/Header/BerichtIdentificatie/Dagtekening');
    const r2 = parseXmlMessage(
      buildWmo301(wmo).replace(/<wmo301:Bsn>(.*?)<\/wmo301:Bsn>/, '<iwmo:Bsn>$1</iwmo:Bsn>'),
    );
    expect(codeOf(r2)).toBe('WRONG_NAMESPACE');
  });

  it('WRONG_NAMESPACE: a message element in no namespace or in the iWlz basisschema', () => {
    const xml = buildAw33({ bsn: validBsn(6) });
    expect(
      codeOf(
        parseXmlMessage(
          xml.replace(/<aw33:Partneropname>(.)<\/aw33:Partneropname>/, '<Partneropname>$1</Partneropname>'),
        ),
      ),
    ).toBe('WRONG_NAMESPACE');
    const io31 = buildIo31({ bsn: validBsn(6) }).replace(
      'xmlns:iwlz="http://www.istandaarden.nl/iwlz/2_2/basisschema/schema"',
      'xmlns:iwlz="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"',
    );
    expect(codeOf(parseXmlMessage(io31))).toBe('WRONG_NAMESPACE');
  });

  it('WRONG_NAMESPACE: a message of a version we do not read, or a Bericht without namespace', () => {
    const aw24 = buildAw33().replace('iwlz/2_2/aw33/schema', 'iwlz/2_4/aw33/schema');
    const r = parseXmlMessage(aw24);
    expect(codeOf(r)).toBe('WRONG_NAMESPACE');
    expect(reasonOf(r)).toContain('iWlz 2.4');
    expect(codeOf(parseXmlMessage('<Bericht><Header/></Bericht>'))).toBe('WRONG_NAMESPACE');
  });
});

describe('namespace problems are reported after the streaming pass', () => {
  // xml-names.ts resolves each element as its start tag ends, in the same pass as the well-formedness and
  // limit checks (xml-scan.ts); a namespace problem is kept and reported only for an otherwise good text.
  const doc = (text: string) => parseXmlDocument(text);
  const codeAndReason = (r: ReturnType<typeof doc>) => (r.ok ? ['OK', ''] : [r.error.code, r.error.reason]);

  it('a well-formedness problem later in the text wins over an undeclared prefix before it', () => {
    const [code, reason] = codeAndReason(doc('<p:a><b></c></p:a>'));
    expect(code).toBe('MALFORMED_XML');
    expect(reason).toMatch(/end tag does not match/);
  });

  it('a DOCTYPE, a limit or nesting too deep later in the text wins too', () => {
    expect(codeAndReason(doc('<p:a><!DOCTYPE x></p:a>'))[0]).toBe('DOCTYPE_FORBIDDEN');
    expect(codeAndReason(doc(`<a q="1"><b>${'x'.repeat(5000)}</b></a>`))[0]).toBe('TOO_LARGE');
    expect(codeAndReason(doc(`<p:a>${'<b>'.repeat(70)}${'</b>'.repeat(70)}</p:a>`))[0]).toBe('SCHEMA');
  });

  it('of two namespace problems, the first in document order is reported', () => {
    const [code, reason] = codeAndReason(doc('<a xmlns:x="urn:x"><x:b q="1"/><y:c/></a>'));
    expect(code).toBe('SCHEMA');
    expect(reason).toMatch(/unexpected attribute q on element b/);
    expect(codeAndReason(doc('<a><y:c/><x:b/></a>'))[1]).toMatch(/prefix 'y' of element/);
  });

  it('an end tag is matched in place, and a longer name or another prefix does not match', () => {
    expect(codeAndReason(doc('<a xmlns:p="urn:p"><p:b></p:b ></a>'))[0]).toBe('OK');
    expect(codeAndReason(doc('<a><b></bc></a>'))[1]).toMatch(/end tag does not match/);
    expect(codeAndReason(doc('<a xmlns:p="urn:p"><p:b></q:b></a>'))[1]).toMatch(/end tag does not match/);
    expect(codeAndReason(doc('<a><b></b'))[1]).toMatch(/end tag is not well-formed/);
    expect(codeAndReason(doc('<a><é></é></a>'))[0]).toBe('OK');
    const ok = doc('<a xmlns="urn:d" xmlns:p="urn:p"><p:b>1</p:b><c> 2 </c></a>');
    expect(ok.ok && ok.root).toEqual({
      ns: 'urn:d',
      name: 'a',
      text: '',
      children: [
        { ns: 'urn:p', name: 'b', text: '1', children: [] },
        { ns: 'urn:d', name: 'c', text: '2', children: [] },
      ],
    });
  });
});

describe('root recognition', () => {
  it('UNKNOWN_MESSAGE: another root element or a namespace outside iStandaarden', () => {
    expect(codeOf(parseXmlMessage('<html><body/></html>'))).toBe('UNKNOWN_MESSAGE');
    expect(codeOf(parseXmlMessage('<Bericht xmlns="urn:example"/>'))).toBe('UNKNOWN_MESSAGE');
    expect(
      codeOf(parseXmlMessage('<Bericht xmlns="http://www.istandaarden.nl/iwlz/2_2/basisschema/schema"/>')),
    ).toBe('UNKNOWN_MESSAGE');
    const r = parseXmlMessage(buildIo31().replaceAll('io31:Bericht', 'io31:Berichten'));
    expect(codeOf(r)).toBe('UNKNOWN_MESSAGE');
  });

  it('OUT_OF_SCOPE: an iJw JW301, with the legal reason', () => {
    const jw301 = buildWmo301({ bsn: validBsn(7) })
      .replaceAll(
        'http://www.istandaarden.nl/iwmo/3_2/wmo301/schema',
        'http://www.istandaarden.nl/ijw/3_2/jw301/schema',
      )
      .replaceAll(
        'http://www.istandaarden.nl/iwmo/3_2/basisschema/schema',
        'http://www.istandaarden.nl/ijw/3_2/basisschema/schema',
      )
      .replaceAll('wmo301:', 'jw301:')
      .replace('xmlns:wmo301=', 'xmlns:jw301=')
      .replace('<jw301:BerichtCode>414<', '<jw301:BerichtCode>436<');
    for (const r of [parseXmlMessage(jw301), parseMessage('wmo-toewijzingen', jw301)]) {
      expect(codeOf(r)).toBe('OUT_OF_SCOPE');
      expect(reasonOf(r)).toMatch(/Jeugdwet gives no legal basis/);
      expect(reasonOf(r)).toContain('JW301');
    }
  });

  it('OUT_OF_SCOPE: another iWlz or iWmo message', () => {
    const aw35 = buildAw33().replaceAll('iwlz/2_2/aw33/schema', 'iwlz/2_2/aw35/schema');
    expect(reasonOf(parseXmlMessage(aw35))).toMatch(/^AW35 \(iWlz 2\.2\) is not processed/);
    const wmo307 = buildWmo301().replaceAll('wmo301/schema', 'wmo307/schema');
    expect(codeOf(parseXmlMessage(wmo307))).toBe('OUT_OF_SCOPE');
  });
});

describe('structure details handled by the front door and the tree conversion', () => {
  it('empty value elements are SCHEMA errors naming the element', () => {
    for (const [xml, element] of [
      [buildWmo301().replace(/<wmo301:Bsn>.*?<\/wmo301:Bsn>/, '<wmo301:Bsn/>'), 'Bericht/Client/Bsn'],
      [
        buildWmo301().replace(/<wmo301:Toewijzingstijd>.*?</, '<wmo301:Toewijzingstijd>   <'),
        'Toewijzingstijd',
      ],
      [buildIo31().replace(/<iwlz:Identificatie>.*?</, '<iwlz:Identificatie><'), 'Identificatie'],
      [buildAw33().replace(/<aw33:Clienten>[\s\S]*<\/aw33:Clienten>/, '<aw33:Clienten/>'), 'Clienten'],
    ] as const) {
      const r = parseXmlMessage(xml);
      expect(codeOf(r)).toBe('SCHEMA');
      expect(reasonOf(r)).toContain(element);
    }
  });

  it('mixed content, unexpected attributes and element names like __proto__ are SCHEMA errors', () => {
    expect(codeOf(parseXmlMessage(buildWmo301().replace('<wmo301:Client>', '<wmo301:Client>text')))).toBe(
      'SCHEMA',
    );
    expect(codeOf(parseXmlMessage(buildWmo301().replace('<wmo301:Client>', '<wmo301:Client id="1">')))).toBe(
      'SCHEMA',
    );
    const proto = parseXmlMessage(
      buildWmo301().replace('<wmo301:Client>', '<wmo301:Client><wmo301:__proto__>x</wmo301:__proto__>'),
    );
    expect(codeOf(proto)).toBe('SCHEMA');
    expect(reasonOf(proto)).toContain('unexpected element __proto__');
  });

  it('xsi:schemaLocation is allowed', () => {
    const xml = buildWmo301().replace(
      'xmlns:wmo301=',
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x WMO301.xsd" xmlns:wmo301=',
    );
    expect(codeOf(parseXmlMessage(xml))).toBe('OK');
  });
});
