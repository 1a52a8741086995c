/**
 * `samenloop import` on the real Kafka and Redis: accepted rows go to the gemeente's uploads topic, the
 * verwerkingsverslag names rejected rows without their values, the same file again sends nothing, and a
 * running processor turns an aanvraag row of a client with a Wlz indicatie into a signal (the registertoets).
 * --volledig ends what the file no longer has, after confirmation.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Partitioners } from 'kafkajs';
import { readUploadsHistory } from '../../../services/cli/uploads-history';
import { loadConfig } from '../../../services/config';
import { pseudonym } from '../../../services/domain/pseudonym';
import { gemeenteTopic } from '../../../services/topics';
import { buildIo31, invalidBsn, validBsn } from '../../fixtures/builders';
import { cliEnv, runningService, samenloop } from '../../support/cli';
import { collect, sleep, testKafka, waitFor } from '../../support/kafka';

const HEADER =
  'bsn;soort;toewijzingnummer;productcategorie;productcode;aanbieder;ingangsdatum;einddatum;aanvraagid';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samenloop-import-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function csvFile(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `\uFEFF${[HEADER, ...lines].join('\r\n')}\r\n`);
  return file;
}

describe('samenloop import', () => {
  it('publishes accepted rows, reports rejected ones without values, and sends nothing twice', async () => {
    const { env } = cliEnv();
    const cfg = loadConfig(env);
    const bad = invalidBsn(4);
    const file = csvFile('upload.csv', [
      `${validBsn(1)};voorziening;7001;01;01A01;99000001;2026-01-01;;`,
      `${validBsn(2)};aanvraag;;02;;;2026-12-01;;AV-2`,
      `${validBsn(3)};voorziening;7003;01;;99000001;2026-01-01;;"open`,
      `${bad};voorziening;7004;01;;99000001;2026-01-01;;`,
      `${validBsn(5)};voorziening;7005;01;;${validBsn(6)};2026-01-01;;`,
      `${validBsn(7)};voorziening;7007;15;;99000002;01-03-2026;;`,
    ]);
    const first = await samenloop(['import', file, '--gemeente', '0384'], env);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toMatch(/6 rows, 3 sent, 0 unchanged, 3 rejected, 0 ended/);

    const topic = gemeenteTopic(cfg, '0384', 'uploads');
    const { records, consumer } = await collect(testKafka(), [topic]);
    await waitFor(() => records.length >= 3, 30000, 200, 'the uploads records');
    await sleep(1000);
    await consumer.disconnect();
    expect(records.map((r) => JSON.parse(r.value!.toString()).regel).sort()).toEqual([2, 3, 7]);
    for (const r of records) {
      const value = JSON.parse(r.value!.toString()) as { rij: { bsn: string }; uploadId: string };
      expect(r.key).toBe(pseudonym(cfg.SAMENLOOP_HMAC_SECRET, value.rij.bsn));
      expect(r.headers['samenloop-upload-id']).toBe(value.uploadId);
      expect(r.headers['content-type']).toBe('application/vnd.samenloop.upload+json');
    }

    const verslag = fs.readFileSync(path.join(dir, 'upload.verslag.csv'), 'utf8');
    expect(verslag.startsWith('\uFEFFregel;veld;code;reden\r\n')).toBe(true);
    expect(verslag).toContain('4;;INVALID_CSV;row 4: a quoted field is not closed');
    expect(verslag).toContain('5;bsn;INVALID_BSN;bsn of row 5 is not a valid BSN');
    expect(verslag).toContain('6;aanbieder;INVALID_AGB;aanbieder of row 6 is not an 8-digit AGB code');
    expect(verslag).toContain(';geaccepteerd;;3\r\n');
    expect(verslag).toContain(';afgewezen;;3\r\n');
    expect(verslag).not.toContain(bad);
    expect(verslag).not.toContain(validBsn(6));

    const again = await samenloop(['import', file, '--gemeente', '0384'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/6 rows, 0 sent, 3 unchanged, 3 rejected/);
  });

  it('sends a large file whose rows together exceed what the broker takes in one batch', async () => {
    // 6,000 rows go in one send of 5,000 and one of 1,000: the first, ≈1.8 MB for the topic's one partition, is
    // more than one record batch may hold (max.message.bytes, 1 MB by default); the broker refused it before
    const { env } = cliEnv();
    const cfg = loadConfig(env);
    const rows = Array.from(
      { length: 6000 },
      (_, i) => `${validBsn(100 + i)};voorziening;${80000 + i};01;01A01;99000001;2026-01-01;;`,
    );
    const r = await samenloop(['import', csvFile('large.csv', rows), '--gemeente', '0384'], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/6000 rows, 6000 sent, 0 unchanged, 0 rejected/);
    const { records, consumer } = await collect(testKafka(), [gemeenteTopic(cfg, '0384', 'uploads')]);
    try {
      await waitFor(() => records.length >= 6000, 60000, 200, 'the uploads records');
      const regels = records.map((x) => (JSON.parse(x.value!.toString()) as { regel: number }).regel);
      expect(regels).toEqual(Array.from({ length: 6000 }, (_, i) => i + 2));
    } finally {
      await consumer.disconnect();
    }
  }, 180000);

  it('a file that cannot be read is rejected (exit 2) and nothing is sent', async () => {
    const { env } = cliEnv();
    const missing = await samenloop(['import', path.join(dir, 'nope.csv'), '--gemeente', '0384'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const badHeader = csvFile('bad-header.csv', []).replace(/$/, '');
    fs.writeFileSync(badHeader, `${validBsn(1)};voorziening\n`);
    const r = await samenloop(['import', badHeader, '--gemeente', '0384'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('column 1 of the header is not a known column name');
    expect(r.stderr).not.toContain(validBsn(1));
    expect((await samenloop(['import', badHeader], env)).code).toBe(1);
  });

  it('--volledig ends what earlier uploads had and this file has not, after confirmation', async () => {
    const { env } = cliEnv();
    const day1 = csvFile('day1.csv', [
      `${validBsn(11)};voorziening;8001;01;;99000001;2026-01-01;;`,
      `${validBsn(12)};voorziening;8002;01;;99000001;2026-01-01;;`,
      `${validBsn(13)};aanvraag;;02;;;2026-12-01;;AV-13`,
    ]);
    expect((await samenloop(['import', day1, '--gemeente', '0599', '--datum', '2026-11-20'], env)).code).toBe(
      0,
    );
    // the import ended once its rows were readable (their commit markers written): the next import sees them
    const uploads = gemeenteTopic(loadConfig(env), '0599', 'uploads');
    expect((await readUploadsHistory(testKafka(), uploads, '0599', false)).size).toBe(3);
    const day2 = csvFile('day2.csv', [`${validBsn(11)};voorziening;8001;01;;99000001;2026-01-01;;`]);
    const no = await samenloop(['import', day2, '--gemeente', '0599', '--volledig'], env, 'n\n');
    expect(no.code).toBe(2);
    expect(no.stdout).toContain('1 toewijzing(en) and 1 aanvra(a)g(en)');
    const yes = await samenloop(['import', day2, '--gemeente', '0599', '--volledig'], env, 'j\n');
    expect([yes.code, yes.stderr]).toEqual([0, 'Continue? [j/N] ']);
    expect(yes.stdout).toMatch(/1 rows, 0 sent, 1 unchanged, 0 rejected, 2 ended/);
    const cfg = loadConfig(env);
    const { records, consumer } = await collect(testKafka(), [gemeenteTopic(cfg, '0599', 'uploads')]);
    await waitFor(() => records.length >= 5, 30000, 200, 'the uploads records');
    await consumer.disconnect();
    const ended = records
      .map((r) => JSON.parse(r.value!.toString()) as { rij: Record<string, string> })
      .filter((v) => v.rij.einddatum !== undefined)
      .map((v) => [v.rij.toewijzingnummer ?? v.rij.aanvraagid, v.rij.einddatum]);
    expect(ended.sort()).toEqual([
      ['8002', '2026-11-23'],
      ['AV-13', '2026-12-01'],
    ]);
    const third = await samenloop(['import', day2, '--gemeente', '0599', '--volledig'], env, '');
    expect(third.stdout).toContain('0 toewijzing(en) and 0 aanvra(a)g(en)');
    expect(third.code).toBe(0);
  });
});

describe('an imported aanvraag reaches the running processor', () => {
  const { env, cfg } = runningService();

  it('an aanvraag row of a client with a Wlz indicatie is signalled', async () => {
    const bsn = validBsn(21);
    const kafka = testKafka();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: cfg.TOPIC_INDICATIEBESLUITEN,
      messages: [
        {
          value: buildIo31({
            bsn,
            identificatie: 'CIZ21',
            dagtekening: '2026-11-01',
            besluitnummer: 4021,
            afgiftedatum: '2026-11-01',
            ingangsdatum: '2026-11-01',
            einddatum: null,
            zzps: ['754'],
          }),
        },
      ],
    });
    await producer.disconnect();
    const file = csvFile('aanvraag.csv', [`${bsn};aanvraag;;02;;;2026-12-01;;AV-21`]);
    const r = await samenloop(['import', file, '--gemeente', '0363'], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const { records, consumer } = await collect(kafka, [gemeenteTopic(cfg, '0363', 'samenloop')]);
    // The processor finds the uploads topic the import created within TOPIC_REFRESH_MS.
    await waitFor(() => records.length >= 1, 90000, 200, 'the signal');
    await consumer.disconnect();
    const event = JSON.parse(records[0]!.value!.toString()) as {
      subject: string;
      data: { beoordeling: string };
    };
    expect(event.subject).toBe('wmo-aanvraag/0363/AV-21');
    expect(event.data.beoordeling).toBe('beoordelen');
  });
});
