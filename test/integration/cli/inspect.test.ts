/**
 * `samenloop inspect` and the audit trail on the real Kafka and Redis, with a running processor: the BSN comes
 * from stdin, the view shows facts, decisions with their rule and history, and inspect, report and bevestig
 * each leave a record on samenloop.verwerkingen with the pseudonym, never the BSN.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEMO_CLIENTS, DEMO_POLICIES, demoScenario } from '../../../demo/scenario';
import { loadConfig } from '../../../services/config';
import { pseudonym } from '../../../services/domain/pseudonym';
import { SamenloopService } from '../../../services/kafka/service';
import { createLogger } from '../../../services/log';
import { gemeenteTopic, inputTopicOf } from '../../../services/topics';
import { invalidBsn } from '../../fixtures/builders';
import { cliEnv, samenloop } from '../../support/cli';
import { collect, sleep, testKafka, waitFor, sendInOrder } from '../../support/kafka';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samenloop-inspect-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('samenloop inspect and the audit trail', () => {
  const { env } = cliEnv({ GEMEENTE_POLICIES: DEMO_POLICIES, SAMENLOOP_ACTOR: 'beheerder-1' });
  const cfg = loadConfig(env);
  const service = new SamenloopService(cfg, createLogger('silent'));
  beforeAll(async () => {
    await service.start();
  });
  afterAll(async () => {
    await service.stop();
  });

  it('shows one client from a BSN on stdin, and inspect, report and bevestig are audited', async () => {
    expect((await samenloop(['topics', 'create', '--gemeente', '9999'], env)).code).toBe(0);
    const kafka = testKafka();
    // one at a time, in the story's order (as the demo): the order of processing is the order of the story
    await sendInOrder(
      kafka,
      cfg.KAFKA_GROUP_ID,
      demoScenario('2026-11-23').map((step) => ({ topic: inputTopicOf(cfg, step.input), value: step.xml })),
    );
    const signals = await collect(kafka, [gemeenteTopic(cfg, '9999', 'samenloop')]);
    await waitFor(() => signals.records.length >= 2, 60000, 200, 'the signals');
    await signals.consumer.disconnect();

    const bsn = DEMO_CLIENTS.jansen.bsn;
    const bad = await samenloop(['inspect'], env, `${invalidBsn(5)}\n`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain(invalidBsn(5));
    expect((await samenloop(['inspect', bsn], env, '')).code).toBe(1); // never from argv

    const r = await samenloop(['inspect'], env, `${bsn}\n`);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const id = pseudonym(cfg.SAMENLOOP_HMAC_SECRET, bsn);
    expect(r.stdout).toContain(`client ${id}`);
    expect(r.stdout).toMatch(/wlz-indicatie +indicatie:/);
    expect(r.stdout).toMatch(/gemeente 9999 +wlz-voorliggend +rule SL-01-VERBLIJF/);
    expect(r.stdout).toContain('nl.samenloop.signaal');
    const json = await samenloop(['inspect', '--json'], env, `${bsn}\n`);
    expect((JSON.parse(json.stdout) as { clientId: string }).clientId).toBe(id);

    const report = await samenloop(
      ['report', '--gemeente', '9999', '--out', path.join(dir, 'r.csv'), '--staat', path.join(dir, 's.json')],
      env,
    );
    expect(report.code).toBe(0);
    const beeindigingId = /bd-[0-9a-f]{24}/.exec(fs.readFileSync(path.join(dir, 'r.csv'), 'utf8'))![0];
    expect(
      (await samenloop(['bevestig', beeindigingId, '--gemeente', '9999', '--door', 'J. de Vries'], env)).code,
    ).toBe(0);

    const audit = await collect(kafka, [cfg.TOPIC_VERWERKINGEN]);
    await waitFor(() => audit.records.length >= 4, 30000, 200, 'the audit records');
    await sleep(1000);
    await audit.consumer.disconnect();
    const records = audit.records.map((x) => JSON.parse(x.value!.toString()) as Record<string, unknown>);
    expect(JSON.stringify(records)).not.toContain(bsn);
    const of = (a: string) => records.filter((x) => x.activiteit === a);
    expect(of('inspect')).toEqual([
      expect.objectContaining({ betrokkene: id, actor: 'beheerder-1' }),
      expect.objectContaining({ betrokkene: id, actor: 'beheerder-1' }),
    ]);
    expect(of('report').map((x) => x.betrokkene)).toContain(id);
    expect(new Set(of('report').map((x) => x.traceId)).size).toBe(1);
    expect(of('bevestigen')).toEqual([
      expect.objectContaining({
        actor: 'J. de Vries',
        gemeente: '9999',
        object: beeindigingId,
        betrokkene: null,
      }),
    ]);
    for (const x of records)
      expect(Object.keys(x).sort()).toEqual([
        'activiteit',
        'actor',
        'betrokkene',
        'gemeente',
        'id',
        'object',
        'tijd',
        'traceId',
      ]);
  });
});
