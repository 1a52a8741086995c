import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { logLevel, Partitioners, type Kafka } from 'kafkajs';
import { loadConfig } from '../../services/config';
import { createKafka } from '../../services/kafka/client';
import { gemeenteTopic, GEMEENTE_CHANNELS } from '../../services/topics';
import { samenloop } from '../support/cli';
import { PROJECT_ROOT, uniqueRunId, WAIT_SCALE, waitFor } from '../support/infra';
import { isolatedEnv, testKafka } from '../support/kafka';
import { saslEnv, secureStack, mtlsEnv, type SecureStack } from '../support/secure';
import { ensureTopics } from '../support/topics';

/**
 * Tenancy by ACLs, with real clients on the secured broker (StandardAuthorizer,
 * allow.everyone.if.no.acl.found=false): gemeente A (User:gemeente-a, SCRAM over TLS) with exactly the
 * ACLs of `samenloop acls --gemeente 0363` reads and writes its own topics, and is refused on gemeente B's
 * (0599) topics and groups, on a group id without the trailing dot, on its own output topics and on
 * everything shared. B, over mutual TLS (CN=gemeente-b), gets the same on its side.
 */
const A = '0363';
const B = '0599';

/** The error type a failure carries (kafkajs wraps the broker's answer), or its name. */
function errorType(err: unknown): string {
  let e = err as { type?: string; name?: string; originalError?: unknown; cause?: unknown } | undefined;
  for (let i = 0; e && i < 5; i++) {
    if (typeof e.type === 'string' && e.type !== 'UNKNOWN') return e.type;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return (err as Error).name ?? String(err);
}

async function write(kafka: Kafka, topic: string): Promise<string> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: '{"type":"beeindiging.bevestigen"}' }] });
    return 'written';
  } catch (err) {
    return errorType(err);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/**
 * What kafkajs logged: it turns the broker's GROUP_AUTHORIZATION_FAILED answer to FindCoordinator into a
 * KafkaJSGroupCoordinatorNotFound and keeps the answer only in its debug log, so the test reads it there.
 */
const logged = new WeakMap<Kafka, string[]>();
const refusedGroup = /Not authorized to access group/;

/** Reads `topic` in group `groupId`: 'read' once a record came, else the refusal (or 'nothing read'). */
async function read(kafka: Kafka, topic: string, groupId: string): Promise<string> {
  const lines = logged.get(kafka) ?? [];
  lines.length = 0;
  const r = await readOnce(kafka, topic, groupId);
  if (r === 'KafkaJSGroupCoordinatorNotFound' && lines.some((l) => refusedGroup.test(l)))
    return 'GROUP_AUTHORIZATION_FAILED';
  return r;
}

async function readOnce(kafka: Kafka, topic: string, groupId: string): Promise<string> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, retry: { retries: 1 } });
  try {
    await consumer.connect();
    return await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('nothing read'), 30000 * WAIT_SCALE);
      const done = (r: string) => {
        clearTimeout(timer);
        resolve(r);
      };
      consumer.on(consumer.events.CRASH, (e) => done(errorType(e.payload.error)));
      consumer
        .subscribe({ topics: [topic], fromBeginning: true })
        .then(() => consumer.run({ eachMessage: async () => done('read') }))
        .catch((err: unknown) => done(errorType(err)));
    });
  } catch (err) {
    return errorType(err);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

describe('gemeenten confined to their own topics by ACLs', () => {
  let s: SecureStack;
  const run = uniqueRunId();
  const env = { ...isolatedEnv(run), LOG_LEVEL: 'warn' };
  const cfg = loadConfig(env);
  const t = (g: string, c: (typeof GEMEENTE_CHANNELS)[number]) => gemeenteTopic(cfg, g, c);
  const group = (g: string, rest: string) => `${cfg.TOPIC_GEMEENTE_PREFIX}${g}${rest}`;
  const admin = testKafka().admin();
  let gemeenteA: Kafka;
  let gemeenteB: Kafka;
  const printed: Record<string, string> = {};

  beforeAll(async () => {
    s = secureStack();
    await admin.connect();
    const all = [A, B].flatMap((g) => GEMEENTE_CHANNELS.map((c) => t(g, c)));
    await ensureTopics(admin, [...all, cfg.TOPIC_INDICATIEBESLUITEN, cfg.TOPIC_DLQ], 1);
    // one record on each gemeente's output topics, as the processor would write them
    const producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (const g of [A, B])
      for (const c of ['samenloop', 'beeindigingen'] as const)
        await producer.send({ topic: t(g, c), messages: [{ value: `{"for":"${g}"}` }] });
    await producer.disconnect();
    for (const [g, p] of [
      [A, 'User:gemeente-a'],
      [B, 'User:gemeente-b'],
    ] as const) {
      const r = await samenloop(['acls', '--gemeente', g, '--principal', p, '--apply'], {
        ...env,
        ...saslEnv(s, 'admin'),
      });
      expect(r).toMatchObject({ code: 0, stderr: '' });
      printed[g] = r.stdout;
    }
    const client = (extra: Record<string, string>): Kafka => {
      const lines: string[] = [];
      const kafka = createKafka(loadConfig({ ...env, ...extra }), {
        logLevel: logLevel.DEBUG,
        logCreator: () => (entry) => lines.push(JSON.stringify(entry.log)),
        retry: { retries: 2, initialRetryTime: 200 },
      });
      logged.set(kafka, lines);
      return kafka;
    };
    gemeenteA = client(saslEnv(s, 'gemeente-a'));
    gemeenteB = client(mtlsEnv(s, 'gemeente-b'));
  }, 300000);
  afterAll(async () => {
    await admin.disconnect();
  });

  it('prints exactly six ACLs per gemeente: its five topics and its group prefix with the trailing dot', () => {
    const lines = printed[A]!.trim().split('\n');
    expect(lines.slice(0, -1).map((l) => l.replace(/\s+#.*$/, '').replace(/\s+/g, ' '))).toEqual([
      `User:gemeente-a ALLOW READ TOPIC LITERAL ${t(A, 'samenloop')}`,
      `User:gemeente-a ALLOW READ TOPIC LITERAL ${t(A, 'beeindigingen')}`,
      `User:gemeente-a ALLOW WRITE TOPIC LITERAL ${t(A, 'toewijzingen')}`,
      `User:gemeente-a ALLOW WRITE TOPIC LITERAL ${t(A, 'opdrachten')}`,
      `User:gemeente-a ALLOW WRITE TOPIC LITERAL ${t(A, 'uploads')}`,
      `User:gemeente-a ALLOW READ GROUP PREFIXED ${cfg.TOPIC_GEMEENTE_PREFIX}${A}.`,
    ]);
    expect(lines[lines.length - 1]).toBe('6 ACLs created for User:gemeente-a');
  });

  it("lets the console (the operators' command line) import an upload and list the dead letters with its ACLs", async () => {
    const applied = await samenloop(['acls', '--console', '--apply'], { ...env, ...saslEnv(s, 'admin') });
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    const asConsole = { ...env, ...saslEnv(s, 'console'), SAMENLOOP_TODAY: '2026-11-23' };
    const csv = path.join(PROJECT_ROOT, 'test/fixtures/csv/upload-example.csv');
    const verslag = path.join(os.tmpdir(), `${run}.verslag.csv`);
    const imported = await samenloop(['import', csv, '--gemeente', A, '--verslag', verslag], asConsole);
    fs.rmSync(verslag, { force: true });
    expect({
      code: imported.code,
      stderr: imported.code === 0 ? '' : imported.stderr,
    }).toEqual({ code: 0, stderr: '' });
    // kafkajs' admin reads the last stable offset (read_committed): it passes the import's records once the
    // coordinator wrote the commit markers, which it does after the commit returned (later on a busy machine)
    await waitFor(
      async () =>
        (await admin.fetchTopicOffsets(t(A, 'uploads'))).reduce((n, p) => n + Number(p.high), 0) > 0,
      30000,
      200,
      "the import's records committed in the uploads topic",
    );
    const dlq = await samenloop(['dlq', 'list'], asConsole);
    expect(dlq.code).toBe(0);
    // and nothing of the processor's: its transactional ids are not the console's
    expect(applied.stdout).not.toContain(`${cfg.KAFKA_GROUP_ID}.`);
  }, 300000);

  it('lets gemeente A use its own topics and groups, and refuses everything of B and everything shared', async () => {
    const attempts: Array<[string, () => Promise<string>, string]> = [
      ['A writes a WMO301 to its toewijzingen', () => write(gemeenteA, t(A, 'toewijzingen')), 'written'],
      ['A writes a command to its opdrachten', () => write(gemeenteA, t(A, 'opdrachten')), 'written'],
      ['A writes an upload row to its uploads', () => write(gemeenteA, t(A, 'uploads')), 'written'],
      [
        'A reads its notifications (its group)',
        () => read(gemeenteA, t(A, 'samenloop'), group(A, '.reader')),
        'read',
      ],
      [
        'A reads its beëindigingen (its group)',
        () => read(gemeenteA, t(A, 'beeindigingen'), group(A, '.wmo')),
        'read',
      ],
      [
        "A writes a command to B's opdrachten",
        () => write(gemeenteA, t(B, 'opdrachten')),
        'TOPIC_AUTHORIZATION_FAILED',
      ],
      [
        "A writes a WMO301 to B's toewijzingen",
        () => write(gemeenteA, t(B, 'toewijzingen')),
        'TOPIC_AUTHORIZATION_FAILED',
      ],
      ["A writes to B's uploads", () => write(gemeenteA, t(B, 'uploads')), 'TOPIC_AUTHORIZATION_FAILED'],
      [
        "A reads B's notifications (A's group)",
        () => read(gemeenteA, t(B, 'samenloop'), group(A, '.spy')),
        'TOPIC_AUTHORIZATION_FAILED',
      ],
      [
        "A reads B's beëindigingen (A's group)",
        () => read(gemeenteA, t(B, 'beeindigingen'), group(A, '.spy2')),
        'TOPIC_AUTHORIZATION_FAILED',
      ],
      [
        "A joins B's group (on its own topic)",
        () => read(gemeenteA, t(A, 'samenloop'), group(B, '.reader')),
        'GROUP_AUTHORIZATION_FAILED',
      ],
      [
        'A joins a group without the dot after its code',
        () => read(gemeenteA, t(A, 'samenloop'), group(A, 'x.reader')),
        'GROUP_AUTHORIZATION_FAILED',
      ],
      [
        'A forges a notification on its own samenloop topic',
        () => write(gemeenteA, t(A, 'samenloop')),
        'TOPIC_AUTHORIZATION_FAILED',
      ],
      [
        'A reads back its own toewijzingen (write only)',
        () => read(gemeenteA, t(A, 'toewijzingen'), group(A, '.back')),
        'TOPIC_AUTHORIZATION_FAILED',
      ],
      [
        'A writes to the shared indicatiebesluiten',
        () => write(gemeenteA, cfg.TOPIC_INDICATIEBESLUITEN),
        'TOPIC_AUTHORIZATION_FAILED',
      ],
      [
        'A reads the dead letters',
        () => read(gemeenteA, cfg.TOPIC_DLQ, group(A, '.dlq')),
        'TOPIC_AUTHORIZATION_FAILED',
      ],
      [
        'B (mutual TLS) reads its notifications',
        () => read(gemeenteB, t(B, 'samenloop'), group(B, '.reader')),
        'read',
      ],
      [
        "B (mutual TLS) writes a command to A's opdrachten",
        () => write(gemeenteB, t(A, 'opdrachten')),
        'TOPIC_AUTHORIZATION_FAILED',
      ],
    ];
    const results: Array<[string, string]> = [];
    for (const [what, attempt] of attempts) results.push([what, await attempt()]);
    console.log(
      `cross-gemeente attempts (run ${run}):\n${results.map(([w, r]) => `  ${w}: ${r}`).join('\n')}`,
    );
    expect(results).toEqual(attempts.map(([what, , expected]) => [what, expected]));

    // Nothing of A's attempts reached B's topics; A's own writes did.
    const ends = async (topic: string) =>
      (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    expect(await ends(t(B, 'opdrachten'))).toBe(0);
    expect(await ends(t(B, 'toewijzingen'))).toBe(0);
    expect(await ends(t(A, 'opdrachten'))).toBe(1);
    // A sees only the topics it may describe: its own five.
    const aAdmin = gemeenteA.admin();
    await aAdmin.connect();
    const visible = (await aAdmin.listTopics()).filter((x) => x.startsWith(`${run}.`)).sort();
    await aAdmin.disconnect();
    expect(visible).toEqual(GEMEENTE_CHANNELS.map((c) => t(A, c)).sort());
  }, 600000);
});
