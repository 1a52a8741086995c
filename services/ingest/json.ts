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
