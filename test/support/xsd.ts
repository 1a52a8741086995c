import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** ../shared from the project root (CI clones the project with shared/ beside it). */
export const SHARED_DIR = process.env.SAMENLOOP_SHARED_DIR ?? path.resolve(__dirname, '../../../shared');
export const ISTANDAARDEN = path.join(SHARED_DIR, 'istandaarden');

/** The XSD for a message name, e.g. `IO31`, `AW33`, `WMO301`. */
export function xsdFor(message: string): string {
  const family = message.startsWith('WMO') ? 'iwmo' : 'iwlz';
  return path.join(ISTANDAARDEN, family, 'xsd', `${message}.xsd`);
}

export interface XsdResult {
  valid: boolean;
  output: string;
}

/**
 * Validates XML text against the published iStandaarden XSD with xmllint (Debian's libxml2-utils,
 * installed by .ci/run and infra/up.sh). This is the contract with the rest of the chain.
 */
export function validateXml(message: string, xml: string | Buffer): XsdResult {
  const tmp = path.join(
    os.tmpdir(),
    `samenloop-xsd-${process.pid}-${Math.random().toString(36).slice(2)}.xml`,
  );
  fs.writeFileSync(tmp, xml);
  try {
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsdFor(message), tmp], {
      encoding: 'utf8',
    });
    if (r.error) throw new Error(`xmllint could not run (install libxml2-utils): ${r.error.message}`);
    return { valid: r.status === 0, output: `${r.stdout}${r.stderr}`.replaceAll(tmp, '<xml>') };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Every example message shipped in ../shared/istandaarden/<family>/examples. */
export function exampleFiles(family: 'iwlz' | 'iwmo'): string[] {
  const dir = path.join(ISTANDAARDEN, family, 'examples');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => path.join(dir, f));
}
