import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import { BEEINDIGING_ID_PATTERN, type CommandType } from '../../domain/commands';
import { parseCommand } from '../../ingest';
import { TopicManager } from '../../kafka/topics';
import { gemeenteTopic, gemeenteTopics } from '../../topics';
import { auditMessages, auditRecords, auditTopic, newTraceId } from '../audit';
import { rejected } from '../errors';
import { writeLine } from '../io';
import { gemeentecode } from '../options';
import type { CliContext } from '../program';
import { withAdmin, withProducer } from '../stack';

interface DecideOptions {
  gemeente: string;
  door: string;
  toelichting?: string;
}

function beeindigingId(value: string): string {
  if (!BEEINDIGING_ID_PATTERN.test(value))
    throw new InvalidArgumentError('a beëindiging id is bd- and 24 hex digits (from the signal)');
  return value;
}

/** `samenloop bevestig` and `samenloop afwijs`: a gemeente's command, with who decided and why. */
export function registerDecide(program: Command, ctx: CliContext): void {
  const commands: Array<[string, CommandType, string]> = [
    [
      'bevestig',
      'beeindiging.bevestigen',
      'confirm a proposed beëindiging: the WMO301 is sent to the aanbieder',
    ],
    ['afwijs', 'beeindiging.afwijzen', 'reject a proposed beëindiging: nothing is sent'],
  ];
  for (const [name, type, what] of commands) {
    program
      .command(name)
      .description(
        `${what}. Publishes the command to gemeente.<code>.opdrachten; the result comes as a notification ` +
          'on gemeente.<code>.samenloop (the signal with the new status and who decided, or an ' +
          'opdracht.afgewezen with the reason).',
      )
      .argument('<beeindigingId>', 'the id of the beëindiging (bd-…, from the signal)', beeindigingId)
      .requiredOption('--gemeente <code>', 'the gemeente whose beëindiging it is', gemeentecode)
      .requiredOption('--door <medewerker>', 'who decides (a name or an id; at most 100 characters)')
      .option('--toelichting <text>', 'why (at most 1000 characters)')
      .action(async (id: string, opts: DecideOptions) => {
        const command = {
          type,
          beeindigingId: id,
          door: opts.door,
          ...(opts.toelichting === undefined ? {} : { toelichting: opts.toelichting }),
        };
        const value = JSON.stringify(command);
        // The processor checks it again; here it is checked first so a mistake is told at once.
        const parsed = parseCommand(value);
        if (!parsed.ok) throw rejected(`${parsed.reason}; nothing was sent`);
        const cfg = ctx.config();
        const topic = gemeenteTopic(cfg, opts.gemeente, 'opdrachten');
        await withAdmin(cfg, (admin) =>
          new TopicManager(admin, cfg).ensure([...gemeenteTopics(cfg, opts.gemeente), auditTopic(cfg)]),
        );
        await withProducer(cfg, `${cfg.KAFKA_CLIENT_ID}-cli-${randomUUID()}`, async (producer) => {
          const tx = await producer.transaction();
          try {
            await tx.send({
              topic,
              messages: [{ key: id, value, headers: { 'content-type': 'application/json' } }],
            });
            // The audit record in the same transaction: no command without its record.
            const activiteit = type === 'beeindiging.bevestigen' ? 'bevestigen' : 'afwijzen';
            await tx.send({
              topic: auditTopic(cfg),
              messages: auditMessages(
                auditRecords(newTraceId(), activiteit, parsed.cmd.door, opts.gemeente, [null], id),
              ),
            });
            await tx.commit();
          } catch (err) {
            await tx.abort().catch(() => undefined);
            throw err;
          }
        });
        writeLine(
          ctx.io.stdout,
          `${type} of ${id} sent to ${topic} (door ${parsed.cmd.door}); the result arrives on ` +
            `${gemeenteTopic(cfg, opts.gemeente, 'samenloop')}`,
        );
      });
  }
}
