/**
 * Decode agrees with the XSD, element by element (issue 11 point 4): for every leaf element of IO31, AW33 and
 * WMO301 (the tree generated from the XSDs, services/ingest/istandaard/xsd-types.ts), a complete message holding
 * every element once is mutated with values its simple type rejects and values it accepts; xmllint validates
 * each variant against the published XSD and parseMessage must agree:
 *   - what xmllint rejects, decode rejects (INVALID_CODE for a value outside an enumeration);
 *   - what xmllint accepts, decode accepts, unless one of our documented stricter rules applies (STRICTER).
 * The candidate values come from the facets only; xmllint is the oracle, never a list of expected verdicts.
 */
import { wmoTopic } from '../../../services/topics';
import { DEFAULT_CONTACT, buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';
import type { Contact } from '../../../services/domain/facts';
import { TestDriver } from '../../../services/pipeline/driver';
import { MemoryStore } from '../../../services/register/memory-store';
import { validateMany, validateXml } from '../../support/xsd';
import { parseCsv, parseMessage } from '../../../services/ingest';
import type { IngestErrorCode, ParseResult } from '../../../services/ingest/types';
import { XML_KINDS } from '../../../services/ingest/registry';
import { BASISSCHEMA_CONTAINERS } from '../../../services/ingest/istandaard/schema';
import type { XsdSimpleType, XsdTree } from '../../../services/ingest/istandaard/xsd-type-check';
import { XSD_MESSAGE_TREES, XSD_SIMPLE_TYPES } from '../../../services/ingest/istandaard/xsd-types';

type MessageName = keyof typeof XSD_MESSAGE_TREES;
const MESSAGES: MessageName[] = ['IO31', 'AW33', 'WMO301'];

const kindOf = (name: MessageName) => XML_KINDS.find((k) => k.name === name)!;

interface Leaf {
  /** `Header/BerichtCode`, `Client/Contactgegevens/Contact/Adres/LandCode`, … (below Bericht). */
  path: string;
  element: string;
  typeName: string;
  type: XsdSimpleType;
}

function leaves(tree: XsdTree, prefix = ''): Leaf[] {
  return Object.entries(tree).flatMap(([element, spec]) => {
    const path = prefix ? `${prefix}/${element}` : element;
    if (typeof spec !== 'string') return leaves(spec, path);
    return [{ path, element, typeName: spec, type: XSD_SIMPLE_TYPES[spec]! }];
  });
}

/** A valid value for every leaf: fixed header values, then by type; dates keep Ingangsdatum ≤ Einddatum. */
function baseValue(message: MessageName, leaf: Leaf): string {
  const header = kindOf(message).header;
  const byElement: Record<string, string> = {
    BerichtCode: header.berichtCode,
    BerichtVersie: header.berichtVersie,
    BerichtSubversie: header.berichtSubversie,
    Afzender: message === 'WMO301' ? '0363' : '5501',
    Identificatie: 'MSG-0001',
    Bsn: validBsn(1),
    Datum: '1950-05-17',
    Telefoonnummer: '0201234567',
    Landnummer: '0031',
    Voorletters: 'JA',
    Huisletter: 'a',
    ToewijzingNummer: '1',
    Besluitnummer: '123456',
    ToewijzingPercentage: '100', // AW33.xsd: pattern [1-9][0-9]*00
  };
  const fixed = byElement[leaf.element];
  if (fixed !== undefined) return fixed;
  const t = leaf.type;
  if (t.enumeration) return t.enumeration[0]!;
  switch (t.base) {
    case 'date':
      return '2024-01-01';
    case 'time':
      return '12:00:00';
    case 'integer':
      return '1';
  }
  if (leaf.typeName.endsWith('AgbCode')) return '12345678';
  if (leaf.typeName.endsWith('LDT_Versie')) return '1.0.0';
  if (leaf.typeName.endsWith('LDT_Gemeente')) return '0363';
  return 'Tekst'.slice(0, t.maxLength ?? 5);
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The complete message: every element of the tree once, in XSD order, with `overrides` by leaf path. */
function serialize(
  message: MessageName,
  overrides: ReadonlyMap<string, string> = new Map(),
  reversed?: string,
): string {
  const ns = kindOf(message).namespaces;
  const m = message.toLowerCase();
  const all = leaves(XSD_MESSAGE_TREES[message]);
  const byPath = new Map(all.map((l) => [l.path, l]));
  const write = (tree: XsdTree, prefix: string, basis: boolean, indent: string): string =>
    (prefix === reversed ? Object.entries(tree).reverse() : Object.entries(tree))
      .map(([element, spec]) => {
        const path = prefix ? `${prefix}/${element}` : element;
        const tag = `${basis ? 'b' : m}:${element}`;
        if (typeof spec === 'string') {
          const value = overrides.get(path) ?? baseValue(message, byPath.get(path)!);
          return `${indent}<${tag}>${escape(value)}</${tag}>\n`;
        }
        const childBasis = basis || BASISSCHEMA_CONTAINERS.has(element);
        return `${indent}<${tag}>\n${write(spec, path, childBasis, `${indent}  `)}${indent}</${tag}>\n`;
      })
      .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${m}:Bericht xmlns:${m}="${ns.message}" xmlns:b="${ns.basis}">\n` +
    `${write(XSD_MESSAGE_TREES[message], '', false, '  ')}</${m}:Bericht>\n`
  );
}

/** Candidate values for a leaf, from its facets: some valid, some not; xmllint decides which. */
function candidates(message: MessageName, leaf: Leaf): string[] {
  const t = leaf.type;
  const base = baseValue(message, leaf);
  const out = new Set<string>([base, '', '   ', `${base}\n${base}`]);
  if (t.base !== 'string') for (const ws of [` ${base} `, `\n\t${base}\r\n `]) out.add(ws);
  if (t.enumeration) {
    const e = t.enumeration;
    // first, middle and last code (every code of every codelist is compared with the XSD in xsd-types.test.ts)
    const pick = [e[0]!, e[Math.floor(e.length / 2)]!, e[e.length - 1]!, ...(e.includes('NL') ? ['NL'] : [])];
    for (const v of pick) out.add(v);
    for (const v of ['ZZ', 'XX', 'Z', '99', '999', '0', '00', '000', 'nl', `${e[0]}0`]) out.add(v);
    for (const v of e.slice(0, 3)) {
      out.add(v.replace(/^0+(?=.)/, ''));
      out.add(v.toLowerCase());
    }
  }
  if (t.base === 'string' && t.enumeration) out.add('Z'.repeat((t.maxLength ?? 2) + 1));
  if (t.base === 'string' && !t.enumeration) {
    const max = t.maxLength ?? 300;
    out.add('a'.repeat(max));
    out.add('a'.repeat(max + 1));
    out.add('\u{1D11E}'.repeat(max)); // a character outside the BMP counts once (two UTF-16 units)
    out.add(`a\u00A0b`);
    if (t.patterns) {
      // values that one pattern or another of the basisschema accepts or rejects
      for (const v of ['1'.repeat(max), '1'.repeat(max + 1), '9'.repeat(Math.max(max - 1, 1))]) out.add(v);
      for (const v of ['ÀàỳZ', 'A.B', '+31', '1.0.0', '01.0.0', '1.0']) out.add(v);
    }
    out.add(`x\ny`);
    if (t.minLength !== undefined && t.minLength > 1) out.add('a'.repeat(t.minLength - 1));
  }
  if (t.base === 'integer') {
    const min = BigInt(t.minInclusive ?? '0');
    const max = BigInt(t.maxInclusive ?? '99');
    for (const v of [min, max, min - 1n, max + 1n, max * 10n]) out.add(String(v));
    for (const v of [`+${max}`, `0${max}`, `${min}.0`, '1e2', '-0', '0x1', base]) out.add(v);
  }
  if (t.base === 'date') {
    for (const v of ['2024-02-29', '2023-02-29', '2024-13-01', '2024-01-01Z', '2024-01-01+01:00', '24-01-01'])
      out.add(v);
    for (const v of ['0001-01-01', '1899-12-31', '1900-01-01', '2199-12-31', '2200-01-01', '12024-01-01'])
      out.add(v);
  }
  if (t.base === 'time') {
    for (const v of ['00:00:00', '23:59:59', '12:00:00.5', '24:00:00', '25:00:00', '12:00', '12:00:00Z'])
      out.add(v);
    out.add('12:00:00+01:00');
  }
  return [...out];
}

/**
 * Our documented rules stricter than the XSD (the only reasons decode may reject what xmllint accepts), each a
 * code and a test of the variant.
 */
const STRICTER: { rule: string; code: IngestErrorCode; applies: (leaf: Leaf, value: string) => boolean }[] = [
  {
    rule: 'no element is empty or only whitespace (the XML layer trims every value; xsd-type-check.ts)',
    code: 'SCHEMA',
    applies: (_l, v) => v.trim() === '',
  },
  {
    rule: 'a BSN passes the 11-proef (CS002)',
    code: 'INVALID_BSN',
    applies: (l) => l.element === 'Bsn',
  },
  {
    rule: 'dates are 1900-01-01..2199-12-31 (services/domain/dates.ts PLAUSIBLE_DATES)',
    code: 'INVALID_DATE',
    applies: (l, v) => l.type.base === 'date' && (v.trim() < '1900-01-01' || v.trim() > '2199-12-31'),
  },
  {
    rule: 'a time is 00:00:00..23:59:59 (24:00:00, the next midnight, is not a toewijzingstijd)',
    code: 'INVALID_DATE',
    applies: (l, v) => l.type.base === 'time' && v.trim().startsWith('24:'),
  },
  {
    rule: 'Einddatum is not before Ingangsdatum (CS003)',
    code: 'INVALID_PERIOD',
    applies: (l) => l.type.base === 'date',
  },
  {
    rule: 'BerichtXsdVersie and BasisschemaXsdVersie are the XSD appinfo version 1.0.0',
    code: 'INVALID_HEADER',
    applies: (l) => l.element.endsWith('XsdVersie'),
  },
];

/** The codes a rejection may carry for an element: the parser's specific code, or the generic one. */
function allowedCodes(leaf: Leaf, value: string, xsdOutput: string): IngestErrorCode[] {
  // an empty element (after the XML layer's trim) is a structural error before any value check
  if (value.trim() === '') return ['SCHEMA'];
  if (xsdOutput.includes("[facet 'enumeration']")) return ['INVALID_CODE'];
  if (/^Header\/Bericht(Code|Versie|Subversie)$/.test(leaf.path)) return ['INVALID_HEADER', 'SCHEMA'];
  if (leaf.element.endsWith('XsdVersie')) return ['INVALID_HEADER', 'SCHEMA'];
  if (leaf.element === 'Bsn') return ['INVALID_BSN', 'SCHEMA'];
  if (leaf.typeName.endsWith('AgbCode')) return ['INVALID_AGB', 'SCHEMA'];
  if (leaf.typeName.endsWith('LDT_Gemeente')) return ['INVALID_GEMEENTECODE', 'SCHEMA'];
  if (leaf.type.base === 'date' || leaf.type.base === 'time') return ['INVALID_DATE', 'SCHEMA'];
  return ['SCHEMA'];
}

interface Variant {
  leaf: Leaf;
  value: string;
  xml: string;
}

function verdicts(
  message: MessageName,
): { variant: Variant; xsd: { valid: boolean; output: string }; decoded: ParseResult }[] {
  const variants: Variant[] = leaves(XSD_MESSAGE_TREES[message]).flatMap((leaf) =>
    candidates(message, leaf).map((value) => ({
      leaf,
      value,
      xml: serialize(message, new Map([[leaf.path, value]])),
    })),
  );
  const xsd = validateMany(
    message,
    variants.map((v) => v.xml),
  );
  const kind = kindOf(message);
  return variants.map((variant, i) => ({
    variant,
    xsd: xsd[i]!,
    decoded: parseMessage(kind.input, variant.xml),
  }));
}

/** The paths of the complex elements with two or more children (`''` is the root). */
function complexPaths(tree: XsdTree, prefix = ''): string[] {
  const own = Object.keys(tree).length >= 2 ? [prefix] : [];
  return own.concat(
    Object.entries(tree).flatMap(([element, spec]) =>
      typeof spec === 'string' ? [] : complexPaths(spec, prefix ? `${prefix}/${element}` : element),
    ),
  );
}

const show = (v: Variant) => `${v.leaf.path} = ${JSON.stringify(v.value)}`;

describe.each(MESSAGES)('%s: decode agrees with the XSD on every leaf element', (message) => {
  const all = leaves(XSD_MESSAGE_TREES[message]);
  let results: ReturnType<typeof verdicts>;
  beforeAll(() => {
    results = verdicts(message);
  });

  it('the complete message (every element once) is XSD-valid and decoded', () => {
    const xml = serialize(message);
    const xsd = validateXml(message, xml);
    expect(xsd.output).not.toMatch(/error/);
    expect(xsd.valid).toBe(true);
    const r = parseMessage(kindOf(message).input, xml);
    expect(r.ok ? 'accepted' : r.error).toBe('accepted');
  });

  it('covers every leaf element with values the XSD rejects and values it accepts', () => {
    const rejected = new Set(results.filter((r) => !r.xsd.valid).map((r) => r.variant.leaf.path));
    const accepted = new Set(results.filter((r) => r.xsd.valid).map((r) => r.variant.leaf.path));
    expect(all.filter((l) => !rejected.has(l.path)).map((l) => l.path)).toEqual([]);
    expect(all.filter((l) => !accepted.has(l.path)).map((l) => l.path)).toEqual([]);
  });

  it('rejects children out of the order of their xs:sequence, as xmllint does (SCHEMA)', () => {
    const paths = complexPaths(XSD_MESSAGE_TREES[message]);
    const xmls = paths.map((p) => serialize(message, new Map(), p));
    const xsd = validateMany(message, xmls);
    const kind = kindOf(message);
    const wrong = paths.flatMap((p, i) => {
      const r = parseMessage(kind.input, xmls[i]!);
      if (xsd[i]!.valid) return [`xmllint accepts the children of ${p || 'Bericht'} reversed`];
      return r.ok || r.error.code !== 'SCHEMA'
        ? [`children of ${p || 'Bericht'} reversed: ${r.ok ? 'accepted' : r.error.code}`]
        : [];
    });
    expect(paths.length).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });

  it('rejects every variant xmllint rejects, with the code of the rule', () => {
    const wrong = results
      .filter((r) => !r.xsd.valid)
      .flatMap(({ variant, xsd, decoded }) => {
        if (decoded.ok) return [`accepted ${show(variant)}: ${xsd.output.split('\n')[0]}`];
        const codes = allowedCodes(variant.leaf, variant.value, xsd.output);
        return codes.includes(decoded.error.code)
          ? []
          : [`${show(variant)} rejected as ${decoded.error.code}, expected ${codes.join(' or ')}`];
      });
    expect(wrong).toEqual([]);
  });

  it('accepts every variant xmllint accepts, unless a documented stricter rule applies', () => {
    const wrong = results
      .filter((r) => r.xsd.valid && !r.decoded.ok)
      .flatMap(({ variant, decoded }) => {
        const error = (decoded as { ok: false; error: { code: IngestErrorCode; reason: string } }).error;
        const rule = STRICTER.find((s) => s.code === error.code && s.applies(variant.leaf, variant.value));
        return rule ? [] : [`rejected ${show(variant)}: ${error.code} ${error.reason}`];
      });
    expect(wrong).toEqual([]);
  });
});

describe('the inputs of issue 11 that passed decode and made an invalid WMO301 beëindiging', () => {
  const cases: { name: string; contact: Contact; element: string; code: IngestErrorCode; value: string }[] = [
    {
      name: 'AanduidingWoonadres ZZ',
      contact: { ...DEFAULT_CONTACT, aanduidingWoonadres: 'ZZ' },
      element: 'AanduidingWoonadres',
      code: 'INVALID_CODE',
      value: 'ZZ',
    },
    {
      name: 'LandCode XX',
      contact: { ...DEFAULT_CONTACT, landCode: 'XX' },
      element: 'LandCode',
      code: 'INVALID_CODE',
      value: 'XX',
    },
    {
      name: 'a Landnummer of 5 digits',
      contact: { ...DEFAULT_CONTACT, telefoonnummer: '0612345678', landnummer: '00316' },
      element: 'Landnummer',
      code: 'SCHEMA',
      value: '00316',
    },
  ];

  it.each(cases)(
    '$name: xmllint rejects it, so does decode ($code), naming the element, not the value',
    (c) => {
      const xml = buildWmo301({ contacten: [c.contact] });
      expect(validateXml('WMO301', xml).valid).toBe(false);
      expect(validateXml('WMO301', buildWmo301({ contacten: [DEFAULT_CONTACT] })).valid).toBe(true);
      const r = parseMessage('wmo-toewijzingen', xml);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe(c.code);
      expect(r.error.reason).toContain(c.element);
      expect(r.error.reason).not.toContain(c.value);
    },
  );

  it.each(cases)('$name: dead-lettered at ingest, not as OUTPUT_INVALID after the engine', async (c) => {
    const bsn = validBsn(8201);
    const driver = new TestDriver({ GEMEENTE_POLICIES: '0363=automatisch' }, new MemoryStore());
    const t = driver.cfg;
    const io31 = buildIo31({ bsn, afgiftedatum: '2026-11-01', ingangsdatum: '2026-11-01', zzps: ['754'] });
    expect((await driver.pipe(t.TOPIC_INDICATIEBESLUITEN, io31)).deadLetter).toBeUndefined();
    const wmo = buildWmo301({
      bsn,
      gemeente: '0363',
      contacten: [c.contact],
      producten: [
        { toewijzingnummer: 1, productcategorie: '01', ingangsdatum: '2026-01-01', einddatum: null },
      ],
    });
    const handled = await driver.pipe(wmoTopic(t, '0363'), wmo);
    expect(handled.outputs).toEqual([]);
    expect(handled.deadLetter?.code).toBe(c.code);
  });
});

describe('whitespace the XSD type collapses (xs:integer, xs:date, xs:time) is accepted', () => {
  const cases = [
    ['Header/BerichtVersie', ' 3 '],
    ['Header/BerichtIdentificatie/Dagtekening', '\n  2024-01-01\n'],
    ['Client/Contactgegevens/Contact/Adres/Huis/Huisnummer', '\t12 '],
    ['Client/ToegewezenProducten/ToegewezenProduct/Toewijzingstijd', ' 09:30:00\r\n'],
    ['Client/ToegewezenProducten/ToegewezenProduct/Omvang/Volume', ' 4 '],
  ] as const;
  it.each(cases)('%s = %j', (p, value) => {
    const xml = serialize('WMO301', new Map([[p, value]]));
    expect(validateXml('WMO301', xml).valid).toBe(true);
    const r = parseMessage('wmo-toewijzingen', xml);
    expect(r.ok ? 'accepted' : r.error).toBe('accepted');
  });
});

describe('reasons of the XSD type check name the element and the rule, never the value', () => {
  const bsn = validBsn(4242);
  const forms = [
    bsn,
    `${bsn.slice(0, 3)} ${bsn.slice(3, 6)} ${bsn.slice(6)}`,
    `${bsn.slice(0, 3)}.${bsn.slice(3, 6)}.${bsn.slice(6)}`,
  ];
  // elements the parsers do not read themselves: only the generated XSD types check them
  const paths = [
    'Client/Contactgegevens/Contact/Periode/Begindatum',
    'Client/Contactgegevens/Contact/Adres/Postcode',
    'Client/Contactgegevens/Contact/Telefoon/Telefoon01/Landnummer',
    'Client/Contactgegevens/Contact/Adres/Huis/Huisnummer',
    'Client/Contactgegevens/Contact/Adres/Huis/AanduidingWoonadres',
    'Client/Contactgegevens/Contact/Adres/LandCode',
    'Client/Relaties/Relatie/Volgorde',
    'Client/JuridischeStatus',
    'Client/Contactgegevens/Contact/Adres/Huis/Huisletter',
  ];
  const windows = Array.from({ length: 2 }, (_, i) => bsn.slice(i, i + 8));

  it.each(paths)('%s holding a BSN (plain, spaced, dotted)', (p) => {
    for (const value of forms) {
      const xml = serialize('WMO301', new Map([[p, value]]));
      expect(validateXml('WMO301', xml).valid).toBe(false);
      const r = parseMessage('wmo-toewijzingen', xml);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error.reason).toContain(p.split('/').pop());
      expect(r.error.reason).not.toContain(value);
      for (const w of windows) expect(r.error.reason.replace(/\D/g, '')).not.toContain(w);
    }
  });
});

describe('the CSV column a WMO301 carries on as it is (productcode) agrees with the XSD type of Product/Code', () => {
  const columns = [
    { column: 'productcode', path: 'Client/ToegewezenProducten/ToegewezenProduct/Product/Code' },
  ];
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

  it.each(columns)('$column: accepted exactly when xmllint accepts it as $path', ({ column, path }) => {
    const leaf = leaves(XSD_MESSAGE_TREES.WMO301).find((l) => l.path === path)!;
    // a CSV field is trimmed and an empty one is absent: only values without surrounding whitespace compare
    const values = candidates('WMO301', leaf).filter((v) => v !== '' && v === v.trim());
    const xsd = validateMany(
      'WMO301',
      values.map((v) => serialize('WMO301', new Map([[path, v]]))),
    );
    const header =
      'bsn;soort;toewijzingnummer;productcategorie;productcode;aanbieder;ingangsdatum;einddatum;achternaam;voorvoegsel';
    const wrong = values.flatMap((v, i) => {
      const fields: Record<string, string> = {
        productcode: '01A01',
        achternaam: 'Jansen',
        voorvoegsel: 'de',
        [column]: v,
      };
      const row = [
        validBsn(77),
        'voorziening',
        '12',
        '01',
        quote(fields.productcode!),
        '12345678',
        '2024-01-01',
        '',
        quote(fields.achternaam!),
        quote(fields.voorvoegsel!),
      ];
      const r = parseCsv('0363', `${header}\n${row.join(';')}\n`, 'x.csv');
      const ok = r.ok && r.rows[0]!.ok;
      return ok === xsd[i]!.valid
        ? []
        : [`${column} ${JSON.stringify(v)}: xmllint ${xsd[i]!.valid}, CSV ${ok}`];
    });
    expect(values.length).toBeGreaterThan(5);
    expect(wrong).toEqual([]);
  });
});
