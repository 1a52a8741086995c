/** What the console reads from the identity provider's claims. Pure. */

/** The gemeenten of a claim value: 4-digit codes from a string (comma or space separated) or an array. Pure. */
export function gemeentenVanClaim(v: unknown, bediend: readonly string[]): string[] {
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[\s,]+/) : [];
  const codes = raw.filter((x): x is string => typeof x === 'string' && /^\d{4}$/.test(x));
  return [...new Set(codes)].filter((c) => bediend.includes(c)).sort();
}

/** The medewerker as a command's `door` (at most 100 characters): the name, with the subject id. Pure. */
export function medewerker(naam: string, sub: string): string {
  const clean = (s: string) => s.replace(/\p{Cc}/gu, ' ').trim();
  const n = clean(naam);
  const s = clean(sub).slice(0, 40);
  const door = n && n !== s ? `${n} (${s})` : s;
  return door.slice(0, 100);
}
