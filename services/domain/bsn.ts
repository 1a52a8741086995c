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
