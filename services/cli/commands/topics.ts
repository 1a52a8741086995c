import type { Command } from 'commander';
import { gemeenteTopics } from '../../topics';
import { minInsyncReplicas } from '../../config/operations';
import { TopicManager } from '../../kafka/topics';
import { gemeentecodes } from '../options';
import { writeLine } from '../io';
import type { CliContext } from '../program';
import { withAdmin } from '../stack';
import { cliTopics } from '../topic-names';

/** `samenloop topics create`: every topic, with the configured partitions, replication and retention. */
export function registerTopics(program: Command, ctx: CliContext): void {
  const topics = program.command('topics').description('manage the Kafka topics samenloop uses');
  topics
    .command('create')
    .description(
      'create every topic samenloop reads or writes (inputs, dead letters, audit, and the topics of the ' +
        'gemeenten in GEMEENTEN and --gemeente) with TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR and, for ' +
        'inputs, INPUT_RETENTION_MS; topics that exist are left as they are. For clusters where the ' +
        'processor may not create topics itself.',
    )
    .option('--gemeente <codes>', 'also these gemeenten (comma-separated 4-digit codes)', gemeentecodes, [])
    .action(async (opts: { gemeente: string[] }) => {
      const cfg = ctx.config();
      const gemeenten = [...new Set([...cfg.GEMEENTEN, ...opts.gemeente])].sort();
      const wanted = [...cliTopics(cfg), ...gemeenten.flatMap((g) => gemeenteTopics(cfg, g))];
      // This command is how the owners make the topics: it creates them whatever TOPIC_CREATE says.
      const created = await withAdmin(cfg, (admin) =>
        new TopicManager(admin, cfg, { create: true }).ensure(wanted),
      );
      const made = new Set(created);
      for (const t of wanted) writeLine(ctx.io.stdout, `${made.has(t) ? 'created ' : 'exists  '} ${t}`);
      writeLine(
        ctx.io.stdout,
        `${created.length} created, ${wanted.length - created.length} already there ` +
          `(partitions ${cfg.TOPIC_PARTITIONS}, a gemeente's opdrachten and uploads 1; replication ` +
          `${cfg.TOPIC_REPLICATION_FACTOR}, min.insync.replicas ${minInsyncReplicas(cfg.TOPIC_REPLICATION_FACTOR)})`,
      );
    });
}
