/**
 * `npm run bench:import`: a CSV upload of IMPORT_ROWS rows (default 1,000,000; one row in 1,000 bad) through
 * `samenloop import` (the bin, a process of its own) on the running broker, on topics of its own that are
 * deleted afterwards. Prints the wall time, the rows per second and the peak RSS of the import process
 * (VmHWM from /proc), so the README's figures can be checked.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { validBsn } from '../test/fixtures/builders';

const ROWS = Number(process.env.IMPORT_ROWS ?? 1_000_000);
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const run = `bench${Date.now().toString(36)}`;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samenloop-bench-'));
  const file = path.join(dir, 'upload.csv');
  const out = fs.createWriteStream(file);
  out.write(
    '\uFEFFbsn;soort;toewijzingnummer;productcategorie;productcode;aanbieder;ingangsdatum;einddatum;achternaam\r\n',
  );
  for (let i = 0; i < ROWS; i++) {
    const bsn = i % 1000 === 999 ? '123456789' : validBsn(i % 9_000_000);
    const soort = i % 10 === 0 ? 'aanvraag' : 'voorziening';
    const line = `${bsn};${soort};${i + 1};01;01A01;99000001;2026-01-01;;Testpersoon\r\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  const size = fs.statSync(file).size;
  console.log(`${ROWS} rows, ${(size / 1024 / 1024).toFixed(1)} MiB in ${file}`);

  const env = {
    ...process.env,
    KAFKA_BROKERS: BROKERS,
    TOPIC_GEMEENTE_PREFIX: `${run}.gemeente.`,
    TOPIC_INDICATIEBESLUITEN: `${run}.ind`,
    TOPIC_ZORGTOEWIJZINGEN: `${run}.ztw`,
    TOPIC_DLQ: `${run}.dlq`,
    KAFKA_CLIENT_ID: run,
    SAMENLOOP_TODAY: '2026-11-23',
  };
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [path.resolve(__dirname, '../bin/samenloop.js'), 'import', file, '--gemeente', '0384'],
    {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  let peakKb = 0;
  const sample = setInterval(() => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // the process has ended
    }
  }, 100);
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
  clearInterval(sample);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `import exit ${code}: ${seconds.toFixed(1)} s, ${Math.round(ROWS / seconds)} rows/s, peak RSS ${(peakKb / 1024).toFixed(0)} MiB`,
  );
  const admin = new Kafka({ brokers: BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(`${run}.`));
  await admin.deleteTopics({ topics: mine });
  await admin.disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exitCode = code;
}

void main();
