import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { isValidBsn } from '../../domain/bsn';
import { pseudonym } from '../../domain/pseudonym';
import { TopicManager } from '../../kafka/topics';
import { SealError } from '../../register/keys';
import { RedisStore } from '../../register/redis-store';
import { clientView, type ClientView } from '../../register/view';
import { actorOf, auditMessages, auditRecords, auditTopic, newTraceId } from '../audit';
import { rejected, unreachable } from '../errors';
import { writeLine } from '../io';
import type { CliContext } from '../program';
import { askLine } from '../prompt';
import { withAdmin, withProducer } from '../stack';

const REDIS_TIMEOUT_MS = 5000;

/** `samenloop inspect`: one client's register, the BSN from stdin or a prompt (never argv), audited. */
export function registerInspect(program: Command, ctx: CliContext): void {
  program
    .command('inspect')
    .description(
      "one client's register: the facts, the current decisions with their rule ids and sources, the " +
        'beëindigingen and the history of messages in and out. The BSN is read from stdin (a pipe) or asked ' +
        'for on a terminal, never from the command line (shell history, ps). Every inspect writes an audit ' +
        'record to TOPIC_VERWERKINGEN before anything is shown.',
    )
    .option('--json', 'the register view as JSON, for tools')
    .action(async (opts: { json?: boolean }) => {
      const cfg = ctx.config();
      const line = await askLine(ctx.io, ctx.io.stdin.isTTY ? 'BSN: ' : '');
      const bsn = (line ?? '').trim();
      if (!isValidBsn(bsn))
        throw rejected('the input is not a valid BSN (9 digits, 11-proef); nothing was read');
      const store = RedisStore.fromConfig(cfg);
      let view: ClientView | undefined;
      try {
        view = await within(clientView(store, cfg.SAMENLOOP_HMAC_SECRET, bsn), REDIS_TIMEOUT_MS);
      } catch (err) {
        if (err instanceof SealError)
          throw rejected(`REGISTER_KEYS: the client's register cannot be opened: ${err.message}`);
        throw unreachable('Redis', cfg.REDIS_URL.replace(/\/\/[^@]*@/, '//'), err);
      } finally {
        await store.close().catch(() => undefined);
      }
      // First the audit record (exactly once, in a transaction), then the data.
      await withAdmin(cfg, (admin) => new TopicManager(admin, cfg).ensure([auditTopic(cfg)]));
      await withProducer(cfg, `${cfg.KAFKA_CLIENT_ID}-cli-${randomUUID()}`, async (producer) => {
        const tx = await producer.transaction();
        try {
          const records = auditRecords(newTraceId(), 'inspect', actorOf(ctx.io.env), null, [
            pseudonym(cfg.SAMENLOOP_HMAC_SECRET, bsn),
          ]);
          await tx.send({ topic: auditTopic(cfg), messages: auditMessages(records) });
          await tx.commit();
        } catch (err) {
          await tx.abort().catch(() => undefined);
          throw err;
        }
      });
      if (view === undefined) {
        writeLine(ctx.io.stdout, opts.json ? 'null' : 'no such client in the register');
        return;
      }
      if (opts.json) writeLine(ctx.io.stdout, JSON.stringify(view, null, 2));
      else for (const l of humanView(view)) writeLine(ctx.io.stdout, l);
    });
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The register view as lines for a person. */
export function humanView(v: ClientView): string[] {
  const out = [
    `client ${v.clientId} (register version ${v.version}), gemeenten ${v.gemeenten.join(', ') || '-'}`,
  ];
  out.push('', 'facts:');
  for (const { fact: f } of v.facts) {
    const parts = [f.type, f.key, `version ${f.version}`, `from ${f.source.kind} ${f.source.messageId}`];
    out.push(`  ${parts.join('  ')}`);
  }
  const engine = v.engine;
  if (engine) {
    out.push('', 'decisions:');
    for (const [ref, d] of Object.entries(engine.decisions)) out.push(`  ${ref}  ${summary(d)}`);
    out.push('', 'beëindigingen:');
    for (const b of Object.values(engine.beeindigingen))
      out.push(
        `  ${b.id}  gemeente ${b.gemeente}  toewijzing ${b.toewijzingnummer}  einddatum ${b.einddatum}  status ${b.status}` +
          (b.besluit ? `  door ${b.besluit.door}` : ''),
      );
    out.push('', 'history (messages in and out):');
    for (const h of engine.history) out.push(`  ${h.time}  ${h.type}  ${h.subject ?? ''}  ${h.id ?? ''}`);
  }
  out.push('', `${v.appliedMessages} message(s) applied`);
  return out;
}

function summary(d: {
  gemeente: string;
  data: { beoordeling: string; regel: { id: string; bron: string } };
}): string {
  return `gemeente ${d.gemeente}  ${d.data.beoordeling}  rule ${d.data.regel.id}  (${d.data.regel.bron})`;
}
