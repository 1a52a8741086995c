/**
 * `samenloop replay` on the pure core: the demo's story as files gives what the TestDriver gives (the same
 * code: same deterministic ids), reproducibly with --today; CSV uploads, commands and unreadable files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { demoOffline } from '../../../demo/offline';
import { DEMO_POLICIES, demoScenario } from '../../../demo/scenario';
import { buildIo31, validBsn } from '../../fixtures/builders';
import { samenloop } from '../../support/cli';

const TODAY = '2026-11-23';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samenloop-replay-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function storyDir(): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'in-'));
  demoScenario(TODAY).forEach((step, i) =>
    fs.writeFileSync(path.join(dir, `${String(i).padStart(2, '0')}-${step.input}.xml`), step.xml),
  );
  return dir;
}

const ndjson = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { key: string; headers: Record<string, string>; value: unknown });

describe('samenloop replay', () => {
  const env = { GEMEENTE_POLICIES: DEMO_POLICIES };

  it('gives what the processor gives: the demo story, the same outputs by topic and id', async () => {
    const out = path.join(tmp, 'out-demo');
    const r = await samenloop(['replay', storyDir(), '--today', TODAY, '--out', out], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const expected = await demoOffline(TODAY);
    expect(expected.length).toBeGreaterThan(3);
    const got: Array<[string, string]> = [];
    for (const f of fs
      .readdirSync(out)
      .filter((n) => n.endsWith('.ndjson'))
      .sort()) {
      for (const line of ndjson(path.join(out, f)))
        got.push([f.replace(/\.ndjson$/, ''), line.headers['samenloop-id']!]);
    }
    const ids = (value: string, channel: string) =>
      channel === 'samenloop'
        ? (JSON.parse(value) as { id: string }).id
        : />(SL[0-9A-Z]{10})</.exec(value)![1]!;
    expect(got.sort()).toEqual(
      expected.map((o) => [`gemeente.${o.gemeente}.${o.channel}`, ids(o.value, o.channel)]).sort(),
    );
    const xmlDir = path.join(out, 'gemeente.9998.beeindigingen');
    const xml = fs.readdirSync(xmlDir);
    expect(xml).toHaveLength(1);
    expect(fs.readFileSync(path.join(xmlDir, xml[0]!), 'utf8')).toContain('<wmo301:RedenWijziging>06<');
  });

  it('--today makes the output the same, byte for byte, on every run', async () => {
    const dir = storyDir();
    const a = path.join(tmp, 'out-a');
    const b = path.join(tmp, 'out-b');
    expect((await samenloop(['replay', dir, '--today', TODAY, '--out', a], env)).code).toBe(0);
    expect((await samenloop(['replay', dir, '--today', TODAY, '--out', b], env)).code).toBe(0);
    for (const f of fs.readdirSync(a).filter((n) => n.endsWith('.ndjson')))
      expect(fs.readFileSync(path.join(b, f), 'utf8')).toBe(fs.readFileSync(path.join(a, f), 'utf8'));
    const other = path.join(tmp, 'out-c');
    expect((await samenloop(['replay', dir, '--today', '2026-11-24', '--out', other], env)).code).toBe(0);
    expect(fs.readFileSync(path.join(other, 'gemeente.9999.samenloop.ndjson'), 'utf8')).not.toBe(
      fs.readFileSync(path.join(a, 'gemeente.9999.samenloop.ndjson'), 'utf8'),
    );
  });

  it('a CSV upload and a command of --gemeente; an unreadable file is a dead letter, never a stop', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'in-'));
    const bsn = validBsn(44);
    fs.writeFileSync(
      path.join(dir, '1-indicatie.xml'),
      buildIo31({
        bsn,
        identificatie: 'CIZ44',
        dagtekening: '2026-11-01',
        besluitnummer: 4044,
        afgiftedatum: '2026-11-01',
        ingangsdatum: '2026-11-01',
        einddatum: null,
        zzps: ['754'],
      }),
    );
    fs.writeFileSync(path.join(dir, '2-garbage.xml'), '<not-a-message/>');
    fs.writeFileSync(
      path.join(dir, '3-upload.csv'),
      `bsn;soort;toewijzingnummer;productcategorie;productcode;aanbieder;ingangsdatum;einddatum\n${bsn};aanvraag;;02;;;2026-12-01;\n${bsn};voorziening;;01;;;;\n`,
    );
    fs.writeFileSync(
      path.join(dir, '4-opdracht.json'),
      '{"type":"beeindiging.bevestigen","beeindigingId":"bd-000000000000000000000000"}',
    );
    const out = path.join(tmp, 'out-csv');
    const without = await samenloop(['replay', dir, '--today', TODAY, '--out', out], {});
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('--gemeente');
    const r = await samenloop(['replay', dir, '--today', TODAY, '--out', out, '--gemeente', '0384'], {});
    expect([r.code, r.stderr]).toEqual([0, '']);
    const events = ndjson(path.join(out, 'gemeente.0384.samenloop.ndjson')).map(
      (l) => l.value as { type: string; subject?: string },
    );
    expect(events.map((e) => e.type)).toEqual(['nl.samenloop.signaal', 'nl.samenloop.opdracht.afgewezen']);
    expect(events[0]!.subject).toMatch(/^wmo-aanvraag\/0384\/h:/);
    const dead = ndjson(path.join(out, 'samenloop.dlq.ndjson')) as unknown as Array<Record<string, unknown>>;
    expect(dead.map((d) => [path.basename(String(d.file)), d.code, d.regel ?? null])).toEqual([
      ['2-garbage.xml', 'UNKNOWN_MESSAGE', null],
      ['3-upload.csv', 'INVALID_CSV', 3],
    ]);
    expect(JSON.stringify(dead)).not.toContain(bsn);
  });

  it('a path that does not exist is rejected input (exit 2)', async () => {
    const r = await samenloop(['replay', path.join(tmp, 'nope')], {});
    expect(r.code).toBe(2);
  });
});
