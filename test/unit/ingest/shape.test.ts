import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { XML_KINDS } from '../../../services/ingest/registry';
import { compileShape } from '../../../services/ingest/shape';
import { checkStructure, toPlain } from '../../../services/ingest/structure';
import { parseXmlDocument, recogniseRoot } from '../../../services/ingest/xml';
import { buildAw33, buildIo31, buildWmo301 } from '../../fixtures/builders';

/**
 * shape.ts checks the plain tree of an XML message without copying it; zod runs only for a tree it refuses. It
 * must accept exactly what zod accepts: compared here on the shared examples and the builders' messages, and on
 * trees mutated at random (keys dropped and added, leaves emptied, lengthened by a unit, turned into objects or
 * lists, lists emptied).
 */
const SHARED = join(__dirname, '../../../../shared/istandaarden');
const examples = [
  'iwlz/examples/io31-example.xml',
  'iwlz/examples/io31-laag-zorgprofiel-example.xml',
  'iwlz/examples/io31-partnerverblijf-example.xml',
  'iwlz/examples/aw33-example.xml',
  'iwlz/examples/aw33-intrekking-example.xml',
  'iwmo/examples/voorbeeld-WMO301.xml',
  'iwmo/examples/wmo301-beeindiging-example.xml',
].map((f) => readFileSync(join(SHARED, f), 'utf8'));

const messages = [...examples, buildIo31(), buildAw33(), buildWmo301()];

type Tree = string | Tree[] | { [key: string]: Tree };

function plainOf(text: string) {
  const doc = parseXmlDocument(text);
  if (!doc.ok) throw new Error(doc.error.reason);
  const recognised = recogniseRoot(doc.root, XML_KINDS);
  if (!recognised.ok) throw new Error(recognised.error.reason);
  const kind = recognised.kind;
  return { kind, plain: toPlain(doc.root, kind.namespaces), root: doc.root.name };
}

/** Every object and list of the tree with its parent and key (the root has none). */
function places(tree: Tree, out: { holder: Tree; key: string | number }[] = []) {
  if (typeof tree === 'string') return out;
  if (Array.isArray(tree)) {
    tree.forEach((v, i) => {
      out.push({ holder: tree, key: i });
      places(v, out);
    });
  } else {
    for (const k of Object.keys(tree)) {
      out.push({ holder: tree, key: k });
      places(tree[k]!, out);
    }
  }
  return out;
}

/** A deep copy whose objects have no prototype, as toPlain's: `__proto__` is then a key like any other. */
function clone(t: Tree): Tree {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map(clone);
  const copy = Object.create(null) as { [key: string]: Tree };
  for (const k of Object.keys(t)) copy[k] = clone(t[k]!);
  return copy;
}

describe('compileShape', () => {
  it('compiles the schema of every XML kind', () => {
    for (const kind of XML_KINDS) expect(typeof compileShape(kind.schema)).toBe('function');
  });

  it('refuses what it cannot check as strictly as zod: other kinds, other checks, objects that are not strict', () => {
    const refused = (schema: z.ZodType) => () => compileShape(z.strictObject({ a: schema }));
    expect(refused(z.number())).toThrow(/a zod number \(at \(root\)\/a\) is not supported/);
    expect(refused(z.string().regex(/x/))).toThrow(/check string_format at \(root\)\/a/);
    expect(refused(z.object({ b: z.string() }))).toThrow(/the object at \(root\)\/a is not strict/);
    expect(refused(z.string().transform((s) => s.length))).toThrow(/a zod pipe/);
    expect(refused(z.array(z.string()).max(3))).toThrow(/max on the array at \(root\)\/a/);
    expect(refused(z.string().refine((s) => s !== 'x'))).toThrow(/check custom/);
  });

  it('accepts the examples, and structure.ts then hands back the tree itself, equal to what zod would have parsed', () => {
    for (const text of messages) {
      const { kind, plain, root } = plainOf(text);
      expect(compileShape(kind.schema)(plain)).toBe(true);
      const parsed = kind.schema.safeParse(plain);
      expect(parsed.success).toBe(true);
      const checked = checkStructure(kind.schema, plain, root);
      expect(checked).toBe(plain);
      expect(checked).toEqual(parsed.data);
    }
  });

  it('accepts exactly the trees zod accepts (property: 20,000 mutations of the examples)', () => {
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const bases = messages.map(plainOf);
    const differ: string[] = [];
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const base = pick(bases);
      const tree = clone(base.plain as unknown as Tree) as { [key: string]: Tree };
      const steps = 1 + Math.floor(next() * 2);
      const done: string[] = [];
      for (let s = 0; s < steps; s++) {
        const all = places(tree);
        const { holder, key } = pick(all);
        const at = holder as Record<string | number, Tree>;
        const value = at[key]!;
        const what = Math.floor(next() * 11);
        done.push(`${what}@${String(key)}`);
        switch (what) {
          case 0: // drop it
            if (Array.isArray(holder)) holder.splice(key as number, 1);
            else delete at[key];
            break;
          case 1: // an unknown sibling, or one named like a prototype's property
            if (!Array.isArray(holder)) at[pick(['Onbekend', '__proto__', 'constructor', 'toString'])] = 'x';
            break;
          case 2:
            at[key] = '';
            break;
          case 3: // one UTF-16 unit longer, or an astral character (two units)
            at[key] = typeof value === 'string' ? value + pick(['x', '😀']) : 'x';
            break;
          case 4: // long
            at[key] = 'x'.repeat(pick([6, 7, 10, 11, 12, 13, 200, 201]));
            break;
          case 5: // an object in place of whatever was there
            at[key] = { [pick(['Datum', 'Soort', 'Leeg'])]: 'x' };
            break;
          case 6: // a list of it
            at[key] = [value];
            break;
          case 7: // an empty list
            at[key] = [];
            break;
          case 8: // a list loses its items, or gains one more
            if (Array.isArray(value)) {
              if (next() < 0.5) value.length = 0;
              else value.push(clone(value[0] ?? 'x'));
            }
            break;
          case 9: // a key of another place of the tree, moved here
            if (!Array.isArray(holder)) {
              const other = pick(all);
              if (!Array.isArray(other.holder)) at[other.key] = clone(value);
            }
            break;
          default: // nothing: the tree stays valid as far as its other steps go
            break;
        }
      }
      const zodSays = base.kind.schema.safeParse(tree).success;
      if (compileShape(base.kind.schema)(tree) !== zodSays) {
        differ.push(`${base.kind.name} ${done.join(',')}: zod ${String(zodSays)}`);
      }
      if (zodSays) accepted++;
    }
    expect(differ.slice(0, 10)).toEqual([]);
    expect(accepted).toBeGreaterThan(2_000);
    expect(20_000 - accepted).toBeGreaterThan(5_000);
  });

  it('a refused tree gets zod’s reason, as before', () => {
    const { kind, plain, root } = plainOf(buildWmo301());
    const tree = plain as unknown as { Header: Record<string, unknown> };
    delete tree.Header['BerichtCode'];
    expect(() => checkStructure(kind.schema, plain, root)).toThrow(
      'required element BerichtCode is missing in Bericht/Header',
    );
  });
});
