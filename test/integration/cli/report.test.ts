/**
 * `samenloop report` on the real Kafka and Redis, with a running processor: the gemeente's notifications as
 * a CSV for Excel (BOM, ';', Dutch columns) or an xlsx, only that gemeente's clients, since the last report.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { DEMO_CLIENTS, DEMO_POLICIES, demoScenario } from '../../../demo/scenario';
import { loadConfig } from '../../../services/config';
import { SamenloopService } from '../../../services/kafka/service';
import { createLogger } from '../../../services/log';
import { gemeenteTopic, inputTopicOf } from '../../../services/topics';
import { cliEnv, samenloop } from '../../support/cli';
import { collect, sleep, testKafka, waitFor, sendInOrder } from '../../support/kafka';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samenloop-report-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('samenloop report', () => {
  const { env } = cliEnv({ GEMEENTE_POLICIES: DEMO_POLICIES });
  const cfg = loadConfig(env);
  const service = new SamenloopService(cfg, createLogger('silent'));
  beforeAll(async () => {
    await service.start();
  });
  afterAll(async () => {
    await service.stop();
  });

  it('writes the daily file of one gemeente, csv and xlsx, and next time only what is new', async () => {
    expect((await samenloop(['topics', 'create', '--gemeente', '9999,9998'], env)).code).toBe(0);
    const kafka = testKafka();
    // one at a time, in the story's order (as the demo): the order of processing is the order of the story
    await sendInOrder(
      kafka,
      cfg.KAFKA_GROUP_ID,
      demoScenario('2026-11-23').map((step) => ({ topic: inputTopicOf(cfg, step.input), value: step.xml })),
    );
    const { records, consumer } = await collect(kafka, [gemeenteTopic(cfg, '9999', 'samenloop')]);
    await waitFor(() => records.length >= 2, 60000, 200, 'the signals of 9999');
    await sleep(2000);
    await consumer.disconnect();
    const expected = records.length;

    const csv = path.join(dir, 'r.csv');
    const staat = path.join(dir, 'staat.json');
    const r = await samenloop(['report', '--gemeente', '9999', '--out', csv, '--staat', staat], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`${expected} row(s) for gemeente 9999`);
    const text = fs.readFileSync(csv, 'utf8');
    expect(text.startsWith('\uFEFFTijd;Soort;Onderwerp;BSN;Naam;')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(expected + 1);
    expect(text).toContain(DEMO_CLIENTS.jansen.bsn);
    expect(text).not.toContain(DEMO_CLIENTS.bakker.bsn); // gemeente 9998's client
    expect(lines.slice(1).every((l) => l.split(';')[1] === 'signaal')).toBe(true);
    expect(text).toMatch(/;wlz-voorliggend;SL-01-VERBLIJF;/);
    expect(text).toMatch(/;bd-[0-9a-f]{24};\d{4}-\d{2}-\d{2};06;voorgesteld;/);
    // only the dat-informatie the notification carries: a woonsituatie, never zorgprofielen or a besluitnummer
    expect(lines[0]).toContain(';Woonsituatie;');
    expect(lines[0]).not.toMatch(/besluitnummer|Zorgprofiel|Leveringsvorm/i);
    expect(text).toMatch(/;instelling;/);

    const next = await samenloop(['report', '--gemeente', '9999', '--out', csv, '--staat', staat], env);
    expect(next.stdout).toContain('0 row(s)');
    expect(fs.readFileSync(csv, 'utf8').trim().split('\r\n')).toHaveLength(1);

    const xlsx = path.join(dir, 'r.xlsx');
    const x = await samenloop(
      ['report', '--gemeente', '9999', '--sinds', '2026-01-01', '--formaat', 'xlsx', '--out', xlsx],
      env,
    );
    expect([x.code, x.stderr]).toEqual([0, '']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.getWorksheet('Signalen')!;
    expect(sheet.rowCount).toBe(expected + 1);
    expect(sheet.getRow(1).getCell(4).value).toBe('BSN');
    const bsns = [2, 3].map((i) => String(sheet.getRow(i).getCell(4).value));
    expect(bsns.every((b) => /^\d{9}$/.test(b))).toBe(true);
    expect(bsns).not.toContain(DEMO_CLIENTS.bakker.bsn);
  });

  it('a format other than csv or xlsx is rejected input', async () => {
    expect((await samenloop(['report', '--gemeente', '9999', '--formaat', 'pdf'], env)).code).toBe(2);
  });
});
