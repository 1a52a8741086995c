import { wmoTopic } from '../../../services/topics';
import { Writable } from 'node:stream';
import { parseCsv } from '../../../services/ingest';
import type { IngestErrorCode } from '../../../services/ingest/types';
import { deadLetterHeaders } from '../../../services/kafka/headers';
import { createLogger, scrubBsn } from '../../../services/log';
import type { InputRecord } from '../../../services/pipeline/decode';
import { TestDriver } from '../../../services/pipeline/driver';
import { CoreError } from '../../../services/pipeline/processor';
import { HIDDEN_NAME } from '../../../services/ingest/checks';
import { buildCsv, buildWmo301, CSV_COLUMNS, type CsvRow, netwerkmodelEvent } from '../../fixtures/builders';
import { formsOf, HOSTILE_BSNS, hostileCases, leaksOf, type HostileCase } from '../../support/hostile';

/**
 * Issue 11, point 3: no BSN in any dead-letter header, reason or log line, in any form. Every
 * reason-producing path (decode and each parser, the zod schemas, fast-xml-parser's and JSON.parse's
 * errors, a gemeente's command, the core's exceptions, the CSV parser) is fed valid BSNs plain, spaced,
 * dotted, dashed and clipped in every field, and every reason, dead-letter header and log line is searched
 * for 8 or 9 consecutive digits of them with the separators removed.
 */

const FORMS = HOSTILE_BSNS.flatMap(formsOf);

function topicOf(driver: TestDriver, c: HostileCase): string {
  const cfg = driver.cfg;
  switch (c.topic) {
    case 'indicatiebesluiten':
      return cfg.TOPIC_INDICATIEBESLUITEN;
    case 'zorgtoewijzingen':
      return cfg.TOPIC_ZORGTOEWIJZINGEN;
    case 'wmo-toewijzingen':
      return wmoTopic(cfg, '0384');
    case 'opdrachten':
      return `${cfg.TOPIC_GEMEENTE_PREFIX}0384.opdrachten`;
  }
}

describe('no BSN in any reason, dead-letter header or log line (issue 11)', () => {
  it('the hostile cases are what they claim: every form of every BSN is found by the search', () => {
    for (const form of FORMS) expect(leaksOf(`x ${form.text} y`)).not.toEqual([]);
    expect(leaksOf('2026-11-23T10:00:00Z offset 1234567 row 2 [2]')).toEqual([]);
  });

  it('the dead letters and command rejections of every hostile record name no BSN', async () => {
    const driver = new TestDriver();
    const cases = hostileCases();
    const leaks = { reasons: [] as string[], headers: [] as string[], commands: [] as string[] };
    const codes = new Set<IngestErrorCode>();
    const rejectedFamilies = new Set<string>();
    for (const c of cases) {
      const topic = topicOf(driver, c);
      const before = driver.outputs.length;
      const handled = await driver.pipe(topic, c.value, { headers: c.headers });
      const what = `${c.family} ${c.where} (${c.form})`;
      if (handled.deadLetter) {
        codes.add(handled.deadLetter.code);
        rejectedFamilies.add(c.family);
        const rec: InputRecord = driver.deadLetters[driver.deadLetters.length - 1]!.record;
        for (const w of leaksOf(handled.deadLetter.reason)) {
          leaks.reasons.push(`${what}: ${handled.deadLetter.reason} (${w})`);
        }
        for (const [name, value] of Object.entries(deadLetterHeaders(rec, handled.deadLetter))) {
          for (const w of leaksOf(`${name}: ${value}`))
            leaks.headers.push(`${what}: ${name}: ${value} (${w})`);
        }
      }
      if (handled.outcome === 'command-rejected') {
        rejectedFamilies.add(c.family);
        for (const o of driver.outputs.slice(before)) {
          for (const w of leaksOf(o.value!)) leaks.commands.push(`${what}: ${o.value!} (${w})`);
        }
      }
    }
    const first = (list: string[]) => list.slice(0, 8);
    expect({
      reasons: first(leaks.reasons),
      headers: first(leaks.headers),
      commands: first(leaks.commands),
    }).toEqual({ reasons: [], headers: [], commands: [] });
    // Every path was reached: each family of cases was rejected at least once, with these codes among them.
    const families = new Set(cases.map((c) => c.family));
    expect([...families].filter((f) => !rejectedFamilies.has(f))).toEqual([]);
    const expected: IngestErrorCode[] = [
      'DOCTYPE_FORBIDDEN',
      'INVALID_AGB',
      'INVALID_BSN',
      'INVALID_CODE',
      'INVALID_DATE',
      'INVALID_ENVELOPE',
      'INVALID_GEMEENTECODE',
      'INVALID_HEADER',
      'INVALID_JSON',
      'INVALID_UTF8',
      'MALFORMED_XML',
      'OUT_OF_SCOPE',
      'SCHEMA',
      'UNKNOWN_MESSAGE',
      'WRONG_NAMESPACE',
    ];
    expect(expected.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('a name that cannot hold a BSN stays readable; one that can is not shown', async () => {
    const driver = new TestDriver();
    const reasonOf = async (topic: string, value: string, headers: Record<string, string> = {}) =>
      (await driver.pipe(topic, value, { headers })).deadLetter?.reason;
    const wmo = buildWmo301();
    const withChild = (name: string) =>
      wmo.replace('<wmo301:Client>', `<wmo301:Client><wmo301:${name}>1</wmo301:${name}>`);
    expect(await reasonOf(wmoTopic(driver.cfg, '0384'), withChild('Huisdier'))).toBe(
      'unexpected element Huisdier in Bericht/Client',
    );
    expect(await reasonOf(wmoTopic(driver.cfg, '0384'), withChild('X1000.00.903'))).toBe(
      `unexpected element ${HIDDEN_NAME} in Bericht/Client`,
    );
    const event = netwerkmodelEvent();
    const json = { 'content-type': 'application/json' };
    const topic = driver.cfg.TOPIC_INDICATIEBESLUITEN;
    expect(await reasonOf(topic, JSON.stringify({ ...event, huisdier: 1 }), json)).toBe(
      'the event has 1 unknown field(s): huisdier',
    );
    expect(await reasonOf(topic, JSON.stringify({ ...event, '100000903': 1 }), json)).toBe(
      `the event has 1 unknown field(s): ${HIDDEN_NAME}`,
    );
  });

  it('the CSV parser names no BSN: in any column, the header, soort, the upload date or the gemeente', () => {
    const row: CsvRow = {
      bsn: '100004003',
      soort: 'voorziening',
      toewijzingnummer: '7001',
      productcategorie: '01',
      productcode: '01A01',
      aanbieder: '99000001',
      ingangsdatum: '2024-01-01',
      einddatum: '2024-12-31',
    };
    const reasons: string[] = [];
    const collect = (r: ReturnType<typeof parseCsv>) => {
      if (!r.ok) reasons.push(r.error.reason);
      else for (const x of r.rows) if (!x.ok) reasons.push(x.error.reason);
    };
    for (const form of FORMS) {
      for (const column of CSV_COLUMNS)
        collect(parseCsv('0384', buildCsv([{ ...row, [column]: form.text }]), 'u.csv'));
      collect(parseCsv('0384', `${CSV_COLUMNS.join(';')};${form.text}\n`, 'u.csv'));
      collect(parseCsv('0384', buildCsv([row]), 'u.csv', { uploadDate: form.text }));
      collect(parseCsv(form.text, buildCsv([row]), 'u.csv'));
      collect(parseCsv('0384', `${CSV_COLUMNS.join(';')}\n"${form.text}`, 'u.csv'));
    }
    expect(reasons.length).toBeGreaterThan(FORMS.length * 5);
    expect(reasons.flatMap((r) => leaksOf(r).map((w) => `${r}: ${w}`))).toEqual([]);
  });

  it('a PROCESSING_ERROR reason keeps no BSN of the exception it reports', () => {
    for (const form of FORMS) {
      const reason = new CoreError('decide', new RangeError(`bad date for ${form.text}: 0001-01-01`)).message;
      expect(leaksOf(reason)).toEqual([]);
    }
  });

  it('every log line is scrubbed: messages, fields, nested values, errors and their stacks', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = createLogger('debug', 'test', stream);
    for (const form of FORMS) {
      log.warn({ reason: `reason ${form.text}`, nested: { list: [form.text] } }, `message ${form.text}`);
      log.error({ err: new Error(`failed for ${form.text}`) }, 'with an error');
      log.info(`interpolated %s`, form.text);
      log.debug({ [form.text]: 1 }, 'a key');
      const digits = Number(form.text.replace(/\D/g, ''));
      log.info({ besluitnummer: digits, list: [digits] }, 'a number');
    }
    expect(lines).toHaveLength(FORMS.length * 5);
    expect(lines.flatMap((l) => leaksOf(l).map((w) => `${l}: ${w}`))).toEqual([]);
    // What is not a BSN stays readable: an ISO date, a Kafka offset, a broker's address, a short number.
    const client = '0123456789abcdef0123456789abcdef'; // a pseudonym's shape, with ten digits in a row
    log.info(
      { offset: '123456789', day: '2026-11-23', row: 12, broker: '172.16.100.200:9092', client },
      'kept',
    );
    const kept = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    expect(kept).toMatchObject({
      offset: '123456789',
      day: '2026-11-23',
      row: 12,
      broker: '172.16.100.200:9092',
    });
    expect(scrubBsn('row 12 of 2026-11-23')).toBe('row 12 of 2026-11-23');
  });
});
