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

/**
 * validateXml for many messages of one kind in a single xmllint run (the XSD is compiled once): one result per
 * message, in order, each with the error lines xmllint gave for that message.
 */
export function validateMany(message: string, xmls: readonly (string | Buffer)[]): XsdResult[] {
  if (xmls.length === 0) return [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `samenloop-xsd-${process.pid}-`));
  const files = xmls.map((xml, i) => {
    const file = path.join(dir, `m${i}.xml`);
    fs.writeFileSync(file, xml);
    return file;
  });
  try {
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsdFor(message), ...files], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.error) throw new Error(`xmllint could not run (install libxml2-utils): ${r.error.message}`);
    const lines = `${r.stdout}${r.stderr}`.split('\n');
    return files.map((file) => {
      const own = lines.filter((l) => l.startsWith(`${file}:`) || l.startsWith(`${file} `));
      if (!own.includes(`${file} validates`) && !own.includes(`${file} fails to validate`)) {
        throw new Error(`xmllint gave no verdict for message ${path.basename(file)}`);
      }
      return {
        valid: own.includes(`${file} validates`),
        output: own.join('\n').replaceAll(file, '<xml>'),
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
