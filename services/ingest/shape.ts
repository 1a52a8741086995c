/**
 * A zod message schema (istandaard/schema.ts and the messages' schema.ts) compiled once into a checker that reads
 * the plain tree without copying it. zod's `safeParse` builds a parsed copy of every object and array it accepts;
 * for a message that matches (nearly all of them) that copy was ≈9 % of the bytes a drain allocated, and the tree
 * it copied is already the plain object the parsers read. structure.ts asks the checker first and, only for a
 * tree it refuses, runs zod itself for the issue and its reason: what is accepted and what is said are zod's.
 *
 * The schemas use four kinds of zod schema, and the checker knows exactly these:
 *   strictObject  an object (not an array) whose keys are all in the shape, each shape key checked (absent is
 *                 `undefined`, which only an optional accepts)
 *   optional      `undefined`, or the inner schema
 *   string        a string, with `min(n)` / `max(n)` on its length in Unicode code points (zod 4.6 counts them,
 *                 as the XSD does: an astral character is one, not two UTF-16 units)
 *   array         an array of the element schema, with `min(n)` on its length
 * Any other kind or check (a transform, a refinement, a non-strict object that would strip keys, a pattern) stops
 * the compilation with an error naming it, so a schema that grows one cannot be checked more loosely than zod
 * checks it (test/unit/ingest/shape.test.ts compiles every message schema and compares with zod).
 */
import type { z } from 'zod';
import { hasAtLeastCodePoints, hasAtMostCodePoints } from './checks';

type Shape =
  | { readonly kind: 'string'; readonly optional: boolean; readonly min: number; readonly max: number }
  | {
      readonly kind: 'array';
      readonly optional: boolean;
      readonly min: number;
      readonly element: Shape;
    }
  | {
      readonly kind: 'object';
      readonly optional: boolean;
      readonly keys: readonly string[];
      readonly values: readonly Shape[];
      readonly known: ReadonlySet<string>;
    };

/** What zod 4 keeps of a schema and its checks (`_zod.def`), as far as the compilation reads it. */
interface Def {
  type: string;
  innerType?: Schema;
  element?: Schema;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  checks?: readonly { _zod: { def: { check: string; minimum?: number; maximum?: number } } }[];
}
interface Schema {
  _zod: { def: Def };
}

/** Compiles a schema; throws for a kind or check the checker does not know (see above). */
export function compileShape(schema: z.ZodType): (value: unknown) => boolean {
  const shape = compile(schema as unknown as Schema, false, '(root)');
  return (value) => matches(value, shape);
}

function compile(schema: Schema, optional: boolean, at: string): Shape {
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
      return compile(def.innerType!, true, at);
    case 'string': {
      const { min, max } = lengths(def, at);
      return { kind: 'string', optional, min, max };
    }
    case 'array': {
      const { min, max } = lengths(def, at);
      if (max !== Infinity) throw new Error(`compileShape: max on the array at ${at} is not supported`);
      return { kind: 'array', optional, min, element: compile(def.element!, false, `${at}[]`) };
    }
    case 'object': {
      if (def.catchall?._zod.def.type !== 'never') {
        throw new Error(`compileShape: the object at ${at} is not strict (zod would strip or pass on keys)`);
      }
      if (def.checks !== undefined && def.checks.length > 0) {
        throw new Error(`compileShape: checks on the object at ${at} are not supported`);
      }
      const keys = Object.keys(def.shape!);
      const values = keys.map((k) => compile(def.shape![k]!, false, `${at}/${k}`));
      return { kind: 'object', optional, keys, values, known: new Set(keys) };
    }
    default:
      throw new Error(`compileShape: a zod ${def.type} (at ${at}) is not supported`);
  }
}

function lengths(def: Def, at: string): { min: number; max: number } {
  let min = 0;
  let max = Infinity;
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'min_length' && c.minimum !== undefined) min = Math.max(min, c.minimum);
    else if (c.check === 'max_length' && c.maximum !== undefined) max = Math.min(max, c.maximum);
    else throw new Error(`compileShape: check ${c.check} at ${at} is not supported`);
  }
  return { min, max };
}

/** Allocates nothing: this runs for every element of every XML message. */
function matches(value: unknown, shape: Shape): boolean {
  if (value === undefined) return shape.optional;
  switch (shape.kind) {
    case 'string':
      return (
        typeof value === 'string' &&
        hasAtMostCodePoints(value, shape.max) &&
        hasAtLeastCodePoints(value, shape.min)
      );
    case 'array': {
      if (!Array.isArray(value) || value.length < shape.min) return false;
      for (let i = 0; i < value.length; i++) if (!matches(value[i], shape.element)) return false;
      return true;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      const { keys, values, known } = shape;
      for (let i = 0; i < keys.length; i++) if (!matches(record[keys[i]!], values[i]!)) return false;
      for (const key in record) if (!known.has(key)) return false;
      return true;
    }
  }
}
