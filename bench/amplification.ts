/**
 * Amplification benchmark (issue 11, "No amplification"): what one hostile input makes the processor do and
 * send, on the pure core (the TestDriver: same Processor as the service, in-memory register), one case per
 * run in a fresh process so RSS figures do not mix. Prints per case: the outcome (applied, or the dead-letter
 * code), the outputs and their bytes, the ratio output/input bytes, the time and the RSS growth.
 *
 *   npx tsx bench/amplification.ts            # every case, each in its own child process
 *   npx tsx bench/amplification.ts wmo400     # one case in this process
 *
 * Every client first gets an IO31 and an AW33 (verblijf), and its gemeente the policy `automatisch`, so each
 * Wmo product of categorie 01 is wlz-voorliggend and ended at once: the worst case for output.
 */
import { wmoTopic } from '../services/topics';
import { execFileSync } from 'node:child_process';
import { TestDriver } from '../services/pipeline/driver';
import { buildAw33, buildIo31, buildWmo301, DEFAULT_CONTACT, validBsn } from '../test/fixtures/builders';

const GEMEENTE = '0363';
const BSN = validBsn(8301);

const io31 = buildIo31({ bsn: BSN, afgiftedatum: '2026-11-01', ingangsdatum: '2026-11-01', zzps: ['754'] });
const aw33 = (n = 1) =>
  buildAw33({
    bsn: BSN,
    identificatie: `Z${n}`,
    indicatieAfgiftedatum: '2026-11-01',
    indicatieIngangsdatum: '2026-11-01',
    zzpCode: '754',
    toewijzingsdatum: '2026-11-10',
    toewijzingstijd: `10:00:0${n}`,
    ingangsdatum: '2026-12-15',
    leveringsvorm: '4',
  });
const wmo = (producten: number, contacten = 1, id = 'W1') =>
  buildWmo301({
    bsn: BSN,
    gemeente: GEMEENTE,
    identificatie: id,
    contacten: Array.from({ length: contacten }, () => DEFAULT_CONTACT),
    producten: Array.from({ length: producten }, (_, i) => ({
      toewijzingnummer: 1000 + i,
      productcategorie: '01',
      productcode: '01A01',
      ingangsdatum: '2026-01-01',
      einddatum: null,
    })),
  });

interface Case {
  what: string;
  /** Inputs before the measured one (their outputs are not counted). */
  before: Array<['ind' | 'ztw' | 'wmo', string]>;
  input: ['ind' | 'ztw' | 'wmo', string];
}

const CASES: Record<string, () => Case> = {
  wmo100: () => ({
    what: 'WMO301, 100 products',
    before: [
      ['ind', io31],
      ['ztw', aw33()],
    ],
    input: ['wmo', wmo(100)],
  }),
  wmo400: () => ({
    what: 'WMO301, 400 products',
    before: [
      ['ind', io31],
      ['ztw', aw33()],
    ],
    input: ['wmo', wmo(400)],
  }),
  wmo800: () => ({
    what: 'WMO301, 800 products',
    before: [
      ['ind', io31],
      ['ztw', aw33()],
    ],
    input: ['wmo', wmo(800)],
  }),
  contact28000: () => ({
    what: 'WMO301, 28,000 Contact elements',
    before: [
      ['ind', io31],
      ['ztw', aw33()],
    ],
    input: ['wmo', wmo(1, 28_000)],
  }),
  aw33after100: () => ({
    what: 'AW33 for a client with 100 toewijzingen',
    before: [
      ['wmo', wmo(100)],
      ['ind', io31],
    ],
    input: ['ztw', aw33(2)],
  }),
};

async function runCase(name: string): Promise<Record<string, string | number>> {
  const c = CASES[name]!();
  // a size limit out of the way: this measures the work per element, not the byte limit
  const driver = new TestDriver({
    GEMEENTE_POLICIES: `${GEMEENTE}=automatisch`,
    MAX_MESSAGE_BYTES: String(64 * 1024 * 1024),
  });
  const topic = {
    ind: driver.cfg.TOPIC_INDICATIEBESLUITEN,
    ztw: driver.cfg.TOPIC_ZORGTOEWIJZINGEN,
    wmo: wmoTopic(driver.cfg, GEMEENTE),
  };
  for (const [t, v] of c.before) await driver.pipe(topic[t], v);
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const handled = await driver.pipe(topic[c.input[0]], c.input[1]);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rss = (process.memoryUsage().rss - rss0) / 1024 / 1024;
  const inBytes = Buffer.byteLength(c.input[1]);
  let outBytes = 0;
  for (const o of handled.outputs) outBytes += Buffer.byteLength(o.value ?? '') + Buffer.byteLength(o.key);
  const wmo301 = handled.outputs.filter((o) => o.channel === 'beeindigingen');
  return {
    case: c.what,
    'input KB': Math.round(inBytes / 1024),
    outcome: handled.deadLetter ? handled.deadLetter.code : handled.outcome,
    outputs: handled.outputs.length,
    WMO301s: wmo301.length,
    'largest WMO301 KB': Math.round(
      Math.max(0, ...wmo301.map((o) => Buffer.byteLength(o.value ?? ''))) / 1024,
    ),
    'output KB': Math.round(outBytes / 1024),
    'out/in': Number((outBytes / inBytes).toFixed(2)),
    ms: Math.round(ms),
    'RSS +MB': Math.round(rss),
  };
}

async function main() {
  const only = process.argv[2];
  if (only) {
    console.log(JSON.stringify(await runCase(only)));
    return;
  }
  const rows = Object.keys(CASES).map((name) => {
    try {
      const out = execFileSync(process.execPath, [...process.execArgv, __filename, name], {
        encoding: 'utf8',
        timeout: 180_000,
        env: { ...process.env, LOG_LEVEL: 'silent' },
      });
      return JSON.parse(out.trim().split('\n').pop()!) as Record<string, string | number>;
    } catch (err) {
      return { case: name, outcome: `did not finish in 180 s (${(err as Error).message.split('\n')[0]})` };
    }
  });
  console.table(rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
