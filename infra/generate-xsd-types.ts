/**
 * Generates services/ingest/istandaard/xsd-types.ts from the published XSDs (IO31.xsd, AW33.xsd and WMO301.xsd with
 * their basisschema.xsd, in ../shared/istandaarden): for each message the tree of its elements, and for every leaf
 * element its XSD simple type with the facets the ingest checks (enumeration, minLength/maxLength, pattern,
 * minInclusive/maxInclusive). Patterns are translated from XSD regular expressions to JavaScript ones here.
 *
 *   npm run generate:xsd-types            (writes the file)
 *   test/unit/ingest/xsd-types.test.ts    (fails when the file is not what this script makes of the XSDs)
 *
 * The XSDs in scope use only xs:sequence of xs:element (named or anonymous complex types, named simple types and
 * anonymous restrictions of them); anything else makes this script throw rather than guess.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export const SHARED_DIR = process.env.SAMENLOOP_SHARED_DIR ?? path.resolve(__dirname, '../../shared');
export const OUTPUT = path.resolve(__dirname, '../services/ingest/istandaard/xsd-types.ts');

const MESSAGES = [
  { name: 'IO31', family: 'iwlz' },
  { name: 'AW33', family: 'iwlz' },
  { name: 'WMO301', family: 'iwmo' },
] as const;

type Node = Record<string, unknown>;

interface SimpleType {
  base: 'string' | 'integer' | 'date' | 'time';
  enumeration?: string[];
  minLength?: number;
  maxLength?: number;
  /** JavaScript regular-expression sources, all of which must match the whole value (one per derivation step). */
  patterns?: string[];
  minInclusive?: string;
  maxInclusive?: string;
}

type Tree = { [element: string]: string | Tree };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: false,
  isArray: (name) =>
    ['xs:element', 'xs:complexType', 'xs:simpleType', 'xs:enumeration', 'xs:pattern'].includes(name),
});

function load(file: string): Node {
  return (parser.parse(fs.readFileSync(file, 'utf8')) as Node)['xs:schema'] as Node;
}

const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v === undefined ? [] : [v as Node]);
const attr = (n: Node, name: string): string | undefined => n[`@${name}`] as string | undefined;
const localOf = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

/** XSD regular expression (implicitly anchored, XML Schema Part 2 Appendix F) → JavaScript source (flag u). */
export function translatePattern(xsd: string): string {
  const S = ' \\t\\n\\r';
  let out = '';
  let inClass = false;
  for (let i = 0; i < xsd.length; i++) {
    const c = xsd[i]!;
    if (c === '\\') {
      const e = xsd[++i];
      if (e === undefined) throw new Error(`pattern ${xsd}: trailing backslash`);
      if (e === 's') out += inClass ? S : `[${S}]`;
      else if (e === 'S') {
        if (inClass) throw new Error(`pattern ${xsd}: \\S inside a character class is not supported`);
        out += `[^${S}]`;
      } else if ('nrt\\|.-^?*+{}()[]'.includes(e)) out += `\\${e}`;
      else throw new Error(`pattern ${xsd}: escape \\${e} is not supported`);
    } else if (inClass) {
      if (c === ']') inClass = false;
      if (c === '[' && xsd[i - 1] !== '[')
        throw new Error(`pattern ${xsd}: class subtraction is not supported`);
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (xsd[i + 1] === '^') out += xsd[++i];
    } else if (c === '.') out += '[^\\n\\r]';
    else if (c === '^' || c === '$') out += `\\${c}`;
    else out += c;
  }
  return out;
}

const BUILTIN: Record<string, SimpleType['base']> = {
  'xs:string': 'string',
  'xs:integer': 'integer',
  'xs:date': 'date',
  'xs:time': 'time',
};

/** One xs:restriction on top of `parent` (a built-in base or an already resolved type). */
function restrict(parent: SimpleType, restriction: Node, where: string): SimpleType {
  const t: SimpleType = { ...parent };
  for (const key of Object.keys(restriction)) {
    if (key.startsWith('@') || key === 'xs:annotation') continue;
    const facets = list(restriction[key]);
    const values = facets.map((f) => attr(f, 'value')!);
    switch (key) {
      case 'xs:enumeration':
        t.enumeration = values;
        break;
      case 'xs:minLength':
        t.minLength = Number(values[0]);
        break;
      case 'xs:maxLength':
        t.maxLength = Number(values[0]);
        break;
      case 'xs:minInclusive':
        t.minInclusive = values[0]!;
        break;
      case 'xs:maxInclusive':
        t.maxInclusive = values[0]!;
        break;
      case 'xs:pattern': {
        // patterns of one step are alternatives; patterns of successive steps must all match
        const source = values.map((v) => `(?:${translatePattern(v)})`).join('|');
        t.patterns = [...(parent.patterns ?? []), source];
        break;
      }
      default:
        throw new Error(`${where}: facet ${key} is not supported`);
    }
  }
  return t;
}

interface Schema {
  prefix: string;
  doc: Node;
}

function generate(sharedDir = SHARED_DIR): string {
  const types = new Map<string, SimpleType>();
  const trees: Record<string, Tree> = {};
  for (const { name, family } of MESSAGES) {
    const dir = path.join(sharedDir, 'istandaarden', family, 'xsd');
    const message: Schema = { prefix: name.toLowerCase(), doc: load(path.join(dir, `${name}.xsd`)) };
    const basis: Schema = { prefix: family, doc: load(path.join(dir, 'basisschema.xsd')) };
    const schemaOf = (qname: string): Schema => {
      const prefix = qname.slice(0, qname.indexOf(':'));
      if (prefix === message.prefix) return message;
      if (prefix === basis.prefix) return basis;
      throw new Error(`${name}: unknown prefix in ${qname}`);
    };
    const named = (schema: Schema, kind: 'xs:complexType' | 'xs:simpleType', local: string): Node => {
      const found = list(schema.doc[kind]).find((n) => attr(n, 'name') === local);
      if (!found) throw new Error(`${name}: ${kind} ${local} not found`);
      return found;
    };
    const simpleType = (qname: string): string => {
      const id = `${basis.prefix}:${localOf(qname)}`;
      if (schemaOf(qname) !== basis) throw new Error(`${name}: simple type ${qname} outside the basisschema`);
      if (!types.has(id)) {
        const r = named(basis, 'xs:simpleType', localOf(qname))['xs:restriction'] as Node;
        const base = BUILTIN[attr(r, 'base')!];
        if (!base) throw new Error(`${id}: base ${attr(r, 'base')} is not supported`);
        types.set(id, restrict({ base }, r, id));
      }
      return id;
    };
    const complex = (type: Node, where: string): Tree => {
      const seq = type['xs:sequence'] as Node | undefined;
      const other = Object.keys(type).filter(
        (k) => !k.startsWith('@') && k !== 'xs:annotation' && k !== 'xs:sequence',
      );
      if (!seq || other.length > 0) throw new Error(`${where}: only xs:sequence is supported`);
      const tree: Tree = {};
      for (const el of list(seq['xs:element'])) {
        const elName = attr(el, 'name')!;
        const at = `${where}/${elName}`;
        const typeName = attr(el, 'type');
        if (typeName !== undefined) {
          if (BUILTIN[typeName]) throw new Error(`${at}: built-in type ${typeName} is not supported`);
          const schema = schemaOf(typeName);
          const isComplex = list(schema.doc['xs:complexType']).some(
            (n) => attr(n, 'name') === localOf(typeName),
          );
          tree[elName] = isComplex
            ? complex(named(schema, 'xs:complexType', localOf(typeName)), at)
            : simpleType(typeName);
        } else if (el['xs:simpleType']) {
          const r = list(el['xs:simpleType'])[0]!['xs:restriction'] as Node;
          const parent = types.get(simpleType(attr(r, 'base')!))!;
          const id = `${name}:${at.slice(1)}`;
          types.set(id, restrict(parent, r, id));
          tree[elName] = id;
        } else if (el['xs:complexType']) {
          tree[elName] = complex(list(el['xs:complexType'])[0]!, at);
        } else throw new Error(`${at}: element without a type`);
      }
      return tree;
    };
    const root = list(message.doc['xs:element']).find((e) => attr(e, 'name') === 'Bericht');
    if (!root) throw new Error(`${name}: no Bericht element`);
    trees[name] = complex(named(message, 'xs:complexType', localOf(attr(root, 'type')!)), '');
  }
  const sortedTypes = Object.fromEntries([...types.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return [
    '// Generated by infra/generate-xsd-types.ts from IO31.xsd, AW33.xsd, WMO301.xsd and their basisschema.xsd',
    '// (iWlz 2.2, iWmo 3.2). Do not edit: run `npm run generate:xsd-types`.',
    '',
    "import type { XsdSimpleType, XsdTree } from './xsd-type-check';",
    '',
    '/** Every simple type a leaf element of IO31, AW33 or WMO301 has, by `<family>:<LDT name>` or `<message>:<path>`. */',
    `export const XSD_SIMPLE_TYPES: Readonly<Record<string, XsdSimpleType>> = ${JSON.stringify(sortedTypes, null, 2)};`,
    '',
    '/** The elements of each message below its root `Bericht`: a leaf names its simple type in XSD_SIMPLE_TYPES. */',
    `export const XSD_MESSAGE_TREES: Readonly<Record<'IO31' | 'AW33' | 'WMO301', XsdTree>> = ${JSON.stringify(trees, null, 2)};`,
    '',
  ].join('\n');
}

export { generate as generateXsdTypes };

if (require.main === module) {
  fs.writeFileSync(OUTPUT, generate());
  console.log(`wrote ${path.relative(process.cwd(), OUTPUT)}`);
}
