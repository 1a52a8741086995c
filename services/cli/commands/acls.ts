import type { Command } from 'commander';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { consoleAcls, formatAcls, gemeenteAcls, processorAcls, type Acl } from '../../topics/acls';
import { usage } from '../errors';
import { writeLine } from '../io';
import { gemeentecode } from '../options';
import type { CliContext } from '../program';
import { withAdmin } from '../stack';

const PRINCIPAL = /^User:[^\s,;]{1,200}$/;

function principal(value: string): string {
  if (!PRINCIPAL.test(value)) throw usage('a principal is User:<name>, e.g. User:gemeente-0363');
  return value;
}

/** An ACL as kafkajs' createAcls wants it. */
function kafkajsAcl(a: Acl) {
  return {
    resourceType: AclResourceTypes[a.resource],
    resourceName: a.name,
    resourcePatternType: ResourcePatternTypes[a.pattern],
    principal: a.principal,
    host: '*',
    operation: AclOperationTypes[a.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/**
 * `samenloop acls --gemeente <code> | --processor [--principal User:<name>] [--apply]`: the exact ACLs of one
 * principal (services/topics/acls.ts), printed one a line; with --apply also created on the cluster
 * (kafkajs createAcls; run it as a principal that may alter ACLs). Creating an ACL that exists changes nothing.
 */
export function registerAcls(program: Command, ctx: CliContext): void {
  program
    .command('acls')
    .description(
      'print the Kafka ACLs one principal needs, and nothing more: a gemeente (--gemeente: read its ' +
        'notifications and beëindigingen, write its toewijzingen, opdrachten and uploads, its consumer ' +
        "groups by prefix), the processor (--processor) or the operators' command line (--console); " +
        '--apply also creates them',
    )
    .option('--gemeente <code>', 'the ACLs of this gemeente (principal User:gemeente-<code>)', gemeentecode)
    .option('--processor', 'the ACLs of the processor (principal User:processor)')
    .option('--console', 'the ACLs of the command line of the operators (principal User:console)')
    .option('--principal <User:name>', 'another principal for them')
    .option('--apply', 'create them on the cluster (KAFKA_BROKERS, as the configured principal)')
    .action(
      async (opts: {
        gemeente?: string;
        processor?: boolean;
        console?: boolean;
        principal?: string;
        apply?: boolean;
      }) => {
        if (
          [opts.gemeente !== undefined, opts.processor === true, opts.console === true].filter(Boolean)
            .length !== 1
        )
          throw usage('give one of --gemeente <code>, --processor or --console');
        const cfg = ctx.config();
        const who = opts.principal === undefined ? undefined : principal(opts.principal);
        const acls =
          opts.gemeente !== undefined
            ? gemeenteAcls(cfg, opts.gemeente, who)
            : opts.processor
              ? processorAcls(cfg, who)
              : consoleAcls(cfg, who);
        for (const line of formatAcls(acls)) writeLine(ctx.io.stdout, line);
        if (!opts.apply) return;
        await withAdmin(cfg, (admin) => admin.createAcls({ acl: acls.map(kafkajsAcl) }));
        writeLine(ctx.io.stdout, `${acls.length} ACLs created for ${acls[0]!.principal}`);
      },
    );
}
