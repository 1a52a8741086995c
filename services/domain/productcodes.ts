/**
 * Per-gemeente productcode rules: a gemeente may have one of its own productcodes judged by the rule row of
 * another productcategorie, e.g. its code for "vervoer naar dagbesteding" (categorie 08) by the row of 07
 * dagbesteding (rules table grond VERVOER-DAGBESTEDING). Read from the JSON file named by
 * `PRODUCTCODE_REGELS` and validated at start (services/config); applied before the categorie.
 *
 * File format: `{ "<gemeente>": [ { "productcategorie": "08", "productcode": "08D01", "alsCategorie": "07" } ] }`.
 */
import { z } from 'zod';
import { PRODUCTCATEGORIE } from './codelists';

const categorie = z
  .string()
  .refine((c) => Object.hasOwn(PRODUCTCATEGORIE, c), 'a productcategorie 01-18 (WMO020)');

export const productcodeRegelSchema = z
  .object({
    productcategorie: categorie,
    productcode: z.string().regex(/^[A-Za-z0-9]{1,5}$/, '1-5 letters or digits (LDT_ProductCode)'),
    alsCategorie: categorie,
  })
  .strict();

export const productcodeRegelsSchema = z
  .record(z.string().regex(/^\d{4}$/, 'a 4-digit gemeentecode'), z.array(productcodeRegelSchema))
  .superRefine((regels, ctx) => {
    for (const [gemeente, lijst] of Object.entries(regels)) {
      const gezien = new Set<string>();
      for (const r of lijst) {
        const key = `${r.productcategorie}|${r.productcode}`;
        if (gezien.has(key)) {
          ctx.addIssue({
            code: 'custom',
            message: `gemeente ${gemeente}: productcategorie ${r.productcategorie} productcode ${r.productcode} twice`,
          });
        }
        gezien.add(key);
      }
    }
  });

export type ProductcodeRegel = z.output<typeof productcodeRegelSchema>;
/** By gemeente: its productcode rules. */
export type ProductcodeRegels = Readonly<Record<string, readonly ProductcodeRegel[]>>;

/** The productcode rule of a gemeente for this categorie and productcode, if any. */
export function productcodeRegel(
  regels: ProductcodeRegels | undefined,
  gemeente: string,
  productcategorie: string | undefined,
  productcode: string | undefined,
): ProductcodeRegel | undefined {
  if (!regels || productcode === undefined || !Object.hasOwn(regels, gemeente)) return undefined;
  return regels[gemeente]!.find(
    (r) => r.productcategorie === productcategorie && r.productcode === productcode,
  );
}
