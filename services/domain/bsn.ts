/**
 * Burgerservicenummer checks. The XSDs only require 9 digits (LDT_BurgerServicenummer, pattern [0-9]{9});
 * the 11-proef is XSLT constraint CS002 (iWlz and iWmo), see reference/iwlz.md §1 and reference/iwmo.md §2.1.
 *
 * Never put a BSN in a log line or an error reason: refer to "client #n" instead.
 */

const NINE_DIGITS = /^[0-9]{9}$/;

/**
 * The 11-proef for a BSN: (9·d1 + 8·d2 + 7·d3 + 6·d4 + 5·d5 + 4·d6 + 3·d7 + 2·d8 − 1·d9) mod 11 = 0.
 * Exactly 9 digits; 000000000 (which passes the sum) is rejected.
 */
export function isValidBsn(bsn: string): boolean {
  if (!NINE_DIGITS.test(bsn)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (bsn.charCodeAt(i) - 48);
  sum -= bsn.charCodeAt(8) - 48;
  return sum % 11 === 0 && bsn !== '000000000';
}

/**
 * Eight or more digits in a row, each at most two separators (white space, `.`, `-`, `_`, `/`) from the
 * next: a BSN written plain (`100000903`), spaced (`100 000 903`), dotted (`1000.00.903`), dashed, or
 * clipped to eight of its digits (the 11-proef gives the ninth back), or inside a longer number.
 * Kept: an ISO date and an IPv4 address without leading zeros (a broker's address in a log line).
 */
const DIGIT_RUN = /\d(?:[\s._/-]{0,2}\d){7,}/g;
/** What such a run may be and stays readable: an ISO date (`2026-11-23`), an IPv4 address (`10.244.100.17`). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** What a BSN-like run of digits is replaced with. */
export const BSN_MASK = '[nummer]';

/**
 * Free text with every run of digits that could be (part of) a BSN, in any form, replaced by BSN_MASK.
 * The last line of defence for reasons and log lines: reasons should not quote input values at all.
 */
export function maskBsnLike(text: string): string {
  return text.replace(DIGIT_RUN, (run) => (ISO_DATE.test(run) || IPV4.test(run) ? run : BSN_MASK));
}
