/**
 * Validation of outgoing iWmo WMO301 messages against the published WMO301.xsd (schemas/xsd/iwmo, copied from
 * the iWmo 3.2 release with its basisschema), in process: libxml2's xmllint compiled to WebAssembly
 * (xmllint-wasm), which runs in a worker thread, so the event loop is never blocked. The same validator as the
 * tests' xmllint, so what passes here passes at the aanbieder. A failure is a bug of ours: the caller never
 * sends the message.
 *
 * Reasons name the element and the XSD rule only: libxml2 quotes the offending value (`The value '…'`), and
 * that value may be a name or a BSN.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateXML } from 'xmllint-wasm';

const XSD_DIR = path.resolve(__dirname, '../../schemas/xsd/iwmo');

export interface XsdValidator {
  /** The problems of each message (empty when valid), in the order given. */
  validate(xmls: readonly string[]): Promise<string[][]>;
}

/** Loads WMO301.xsd and its basisschema once; each call validates a batch of messages in one run. */
export function wmo301Validator(dir = XSD_DIR): XsdValidator {
  const schema = { fileName: 'WMO301.xsd', contents: fs.readFileSync(path.join(dir, 'WMO301.xsd'), 'utf8') };
  const preload = {
    fileName: 'basisschema.xsd',
    contents: fs.readFileSync(path.join(dir, 'basisschema.xsd'), 'utf8'),
  };
  return {
    async validate(xmls) {
      if (xmls.length === 0) return [];
      const files = xmls.map((contents, i) => ({ fileName: `bericht-${i}.xml`, contents }));
      const result = await validateXML({ xml: files, schema, preload });
      const problems: string[][] = xmls.map(() => []);
      for (const e of result.errors) {
        const i = files.findIndex((f) => f.fileName === e.loc?.fileName);
        problems[i === -1 ? 0 : i]!.push(describe(e.rawMessage));
      }
      // xmllint reports a file that fails without a located error too: never let one pass unnamed
      if (!result.valid && problems.every((p) => p.length === 0)) problems[0]!.push('not valid');
      return problems;
    },
  };
}

/** `Element '{ns}Achternaam': [facet 'maxLength'] The value '…' …` → `Achternaam: facet maxLength`. */
export function describe(raw: string): string {
  const element = /Element '(?:\{[^}]*\})?([\w.-]+)'/.exec(raw)?.[1];
  const facet = /\[facet '(\w+)'\]/.exec(raw)?.[1];
  const line = /:(\d+):/.exec(raw)?.[1];
  let rule: string;
  if (facet) rule = `facet ${facet}`;
  else if (/not a valid value of the (?:atomic|list|union) type/.test(raw))
    rule = 'not a valid value of its type';
  else if (/This element is not expected/.test(raw)) rule = 'not expected here';
  else if (/Missing child element/.test(raw)) rule = 'a required child element is missing';
  else if (/parser error/.test(raw))
    rule = /invalid Char/.test(raw) ? 'a character XML forbids' : 'not well-formed';
  else rule = 'fails the schema';
  return `${element ?? `line ${line ?? '?'}`}: ${rule}`;
}
