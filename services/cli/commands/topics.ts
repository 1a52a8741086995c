import type { Command } from 'commander';
import { gemeenteTopics } from '../../topics';
import { minInsyncReplicas } from '../../config/operations';
import { alterTopicConfigs, configDrift, TopicManager } from '../../kafka/topics';
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
        'gemeenten in GEMEENTEN and --gemeente) with TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR and their ' +
        'retention (INPUT_RETENTION_MS, DLQ_RETENTION_MS, … see README, Retention); of topics that exist, ' +
        'reports the settings that differ (--alter sets them). For clusters where the processor may not ' +
        'create topics itself.',
    )
    .option('--gemeente <codes>', 'also these gemeenten (comma-separated 4-digit codes)', gemeentecodes, [])
    .option(
      '--alter',
      'also set the configured values (retention, compaction, min.insync.replicas) on topics that exist and ' +
        'differ; without it they are only reported (a shorter retention deletes records for good)',
    )
    .action(async (opts: { gemeente: string[]; alter?: boolean }) => {
      const cfg = ctx.config();
      const gemeenten = [...new Set([...cfg.GEMEENTEN, ...opts.gemeente])].sort();
      const wanted = [...cliTopics(cfg), ...gemeenten.flatMap((g) => gemeenteTopics(cfg, g))];
      // This command is how the owners make the topics: it creates them whatever TOPIC_CREATE says.
      const { created, drift } = await withAdmin(cfg, async (admin) => {
        const created = await new TopicManager(admin, cfg, { create: true }).ensure(wanted);
        const made = new Set(created);
        const drift = await configDrift(
          admin,
          cfg,
          wanted.filter((t) => !made.has(t)),
        );
        if (opts.alter) await alterTopicConfigs(admin, drift);
        return { created, drift };
      });
      const made = new Set(created);
      for (const t of wanted) writeLine(ctx.io.stdout, `${made.has(t) ? 'created ' : 'exists  '} ${t}`);
      for (const d of drift) {
        const change = `${d.topic} ${d.name}=${d.wanted} (was ${d.is ?? 'unset'})`;
        writeLine(ctx.io.stdout, opts.alter ? `altered  ${change}` : `differs  ${change}`);
      }
      writeLine(
        ctx.io.stdout,
        `${created.length} created, ${wanted.length - created.length} already there ` +
          `(partitions ${cfg.TOPIC_PARTITIONS}, a gemeente's opdrachten and uploads 1; replication ` +
          `${cfg.TOPIC_REPLICATION_FACTOR}, min.insync.replicas ${minInsyncReplicas(cfg.TOPIC_REPLICATION_FACTOR)})`,
      );
      if (drift.length > 0)
        writeLine(
          ctx.io.stdout,
          opts.alter
            ? `${drift.length} setting(s) altered on existing topics`
            : `${drift.length} setting(s) of existing topics differ from the configuration: ` +
                '`samenloop topics create --alter` sets them (see README, Retention)',
        );
    });
}
