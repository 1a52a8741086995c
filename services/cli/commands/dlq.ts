import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { Config } from '../../config';
import { scrubBsn } from '../../log';
import { gemeenteInput, inputKindOf } from '../../topics';
import { isKafkaError, cliKafka, withProducer } from '../stack';
import { rejected, unreachable } from '../errors';
import { writeLine } from '../io';
import type { CliContext } from '../program';
import { headerStrings, readTopic } from '../read-topic';

/** The header a resent record carries: where in the DLQ it came from. */
export const RESEND_HEADER = 'samenloop-resend-of';

interface DeadLetter {
  partition: number;
  offset: string;
  timestamp: string;
  sourceTopic: string;
  sourcePartition: string;
  sourceOffset: string;
  code: string;
  reason: string;
  resendOf?: string;
  message: KafkaMessage;
}

function position(value: string, previous: string[] = []): string[] {
  if (!/^\d+:\d+$/.test(value))
    throw new InvalidArgumentError('a dead letter is <partition>:<offset>, e.g. 0:42');
  return [...previous, value];
}

async function readDlq(cfg: Config): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  try {
    await readTopic(cliKafka(cfg), cfg.TOPIC_DLQ, (partition, m) => {
      const h = headerStrings(m);
      out.push({
        partition,
        offset: m.offset,
        timestamp: new Date(Number(m.timestamp)).toISOString(),
        sourceTopic: h['samenloop-source-topic'] ?? '',
        sourcePartition: h['samenloop-source-partition'] ?? '',
        sourceOffset: h['samenloop-source-offset'] ?? '',
        code: h['samenloop-error-code'] ?? '',
        reason: scrubBsn(h['samenloop-error-reason'] ?? ''),
        ...(h[RESEND_HEADER] ? { resendOf: h[RESEND_HEADER] } : {}),
        message: m,
      });
    });
  } catch (err) {
    if (isKafkaError(err)) throw unreachable('Kafka', cfg.KAFKA_BROKERS.join(','), err);
    throw err;
  }
  return out;
}

/** `samenloop dlq list|resend`: the dead-letter runbook (README, "Dead-letter topic"). */
export function registerDlq(program: Command, ctx: CliContext): void {
  const dlq = program
    .command('dlq')
    .description('look at dead-lettered records and send them again after a fix');
  dlq
    .command('list')
    .description(
      'list the dead-lettered records on TOPIC_DLQ: position (partition:offset), time, source topic and ' +
        'position, error code and reason. Never the key or the value (they may hold a BSN).',
    )
    .option('--code <code>', 'only records with this error code')
    .option('--json', 'one JSON object a line, for tools')
    .action(async (opts: { code?: string; json?: boolean }) => {
      const cfg = ctx.config();
      const all = (await readDlq(cfg)).filter((d) => opts.code === undefined || d.code === opts.code);
      for (const d of all) {
        const { message: _m, ...row } = d;
        if (opts.json)
          writeLine(ctx.io.stdout, JSON.stringify({ position: `${d.partition}:${d.offset}`, ...row }));
        else
          writeLine(
            ctx.io.stdout,
            `${d.partition}:${d.offset}  ${d.timestamp}  ${d.sourceTopic}[${d.sourcePartition}]@${d.sourceOffset}  ` +
              `${d.code}  ${d.reason}${d.resendOf ? `  (resent before: ${d.resendOf})` : ''}`,
          );
      }
      if (!opts.json) {
        const byCode = new Map<string, number>();
        for (const d of all) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
        const summary = [...byCode].map(([c, n]) => `${c} ${n}`).join(', ');
        writeLine(ctx.io.stdout, `${all.length} dead letter(s)${summary ? `: ${summary}` : ''}`);
      }
    });
  dlq
    .command('resend')
    .description(
      'send chosen dead letters again to their source topic, with their original key, value and headers ' +
        `(without the samenloop-* DLQ headers) plus ${RESEND_HEADER}: <dlq topic>/<partition>/<offset>. For ` +
        'after a fix (a code deployed, a gemeente topic created); a record the processor already applied is ' +
        'recognised and changes nothing.',
    )
    .argument('[positions...]', 'the dead letters, as <partition>:<offset> (from dlq list)')
    .option('--code <code>', 'all dead letters with this error code (instead of positions)')
    .action(async (positions: string[], opts: { code?: string }) => {
      for (const p of positions) position(p);
      if (positions.length === 0 && opts.code === undefined)
        throw rejected('say which dead letters to resend: positions (partition:offset) or --code <code>');
      const cfg = ctx.config();
      const all = await readDlq(cfg);
      const wanted = new Set(positions);
      const chosen = all.filter((d) =>
        opts.code !== undefined ? d.code === opts.code : wanted.has(`${d.partition}:${d.offset}`),
      );
      const missing = positions.filter((p) => !all.some((d) => `${d.partition}:${d.offset}` === p));
      if (missing.length > 0)
        throw rejected(`no dead letter at ${missing.join(', ')}; see samenloop dlq list`);
      for (const d of chosen) {
        if (inputKindOf(cfg, d.sourceTopic) === undefined && gemeenteInput(cfg, d.sourceTopic) === undefined)
          throw rejected(
            `${d.partition}:${d.offset} came from ${d.sourceTopic || 'no topic'}, not an input topic`,
          );
      }
      await withProducer(cfg, `${cfg.KAFKA_CLIENT_ID}-dlq-${randomUUID()}`, async (producer) => {
        const tx = await producer.transaction();
        try {
          for (const d of chosen) {
            const headers: IHeaders = {};
            for (const [k, v] of Object.entries(d.message.headers ?? {}))
              if (!k.startsWith('samenloop-') && v !== undefined) headers[k] = v;
            headers[RESEND_HEADER] = `${cfg.TOPIC_DLQ}/${d.partition}/${d.offset}`;
            await tx.send({
              topic: d.sourceTopic,
              messages: [{ key: d.message.key, value: d.message.value, headers }],
            });
          }
          await tx.commit();
        } catch (err) {
          await tx.abort().catch(() => undefined);
          throw err;
        }
      });
      for (const d of chosen)
        writeLine(ctx.io.stdout, `resent ${d.partition}:${d.offset} (${d.code}) to ${d.sourceTopic}`);
      writeLine(ctx.io.stdout, `${chosen.length} record(s) resent`);
    });
}
