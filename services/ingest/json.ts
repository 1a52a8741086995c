/**
 * Strict JSON: JSON.parse keeps the last of two equal keys in an object, where another parser (a gateway in
 * front of samenloop) may keep the first, so the two would disagree about what a message says. A message
 * with a duplicate key is therefore not accepted. Keys compare after unescaping (`"a"` and `"\u0061"` are
 * the same key).
 */

/**
 * The first duplicate key in valid JSON text as a path of its object (array indexes and keys above it),
 * or undefined. One pass over the text; only called on text JSON.parse accepted.
 */
export function duplicateKeyPath(text: string): string | undefined {
  const stack: Array<{ keys: Set<string> | undefined; path: string }> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return top.path || 'the top level';
        top.keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push({ keys: new Set(), path: pathOf(stack) });
      expectKey = true;
    } else if (c === '[') {
      stack.push({ keys: undefined, path: pathOf(stack) });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      expectKey = stack[stack.length - 1]?.keys !== undefined;
    }
  }
  return undefined;
}

/** Where the next container sits, for the reason: the depth is enough, and it never quotes input. */
const pathOf = (stack: readonly unknown[]): string => (stack.length === 0 ? '' : `depth ${stack.length}`);

/**
 * Structural limits of one JSON message (README, "Input limits"), far above what a netwerkmodel event (depth 4,
 * a few dozen fields) or a command needs. Checked by checkJsonLimits before JSON.parse, which would otherwise
 * spend seconds on 1 MiB of nesting or keys.
 */
export const JSON_LIMITS = {
  /** Nesting of objects and arrays. */
  maxDepth: 32,
  /** Members of one object, or elements of one array. */
  maxEntries: 256,
  /** Members and array elements in the whole message. */
  maxValues: 10_000,
  /** Characters of one string (a key or a value) as written, escapes included. */
  maxStringLength: 4096,
} as const;

/**
 * The first limit of JSON_LIMITS the text goes over, as a reason (it never quotes input), or undefined. One
 * pass that stops at the first excess; it does not check the syntax (JSON.parse does, afterwards), and ends
 * on any text.
 */
export function checkJsonLimits(text: string): string | undefined {
  const entries: number[] = [];
  let values = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === QUOTE) break;
        if (d === BACKSLASH) j++;
      }
      if (j - i - 1 > JSON_LIMITS.maxStringLength)
        return `a string is longer than ${JSON_LIMITS.maxStringLength} characters (an input limit)`;
      i = j;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (entries.length >= JSON_LIMITS.maxDepth)
        return `objects and arrays are nested deeper than ${JSON_LIMITS.maxDepth} levels (an input limit)`;
      entries.push(1);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      entries.pop();
    } else if (c === COMMA) {
      const depth = entries.length - 1;
      const n = (entries[depth] ?? 0) + 1;
      if (n > JSON_LIMITS.maxEntries)
        return `an object or array has more than ${JSON_LIMITS.maxEntries} entries (an input limit)`;
      entries[depth] = n;
      if (++values > JSON_LIMITS.maxValues)
        return `more than ${JSON_LIMITS.maxValues} members and array elements (an input limit)`;
    }
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
