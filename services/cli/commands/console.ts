import type { Command } from 'commander';
import type { CliContext } from '../program';

/** `samenloop console`: the gemeente's web console (services/console), until SIGINT or SIGTERM. */
export function registerConsole(program: Command, ctx: CliContext): void {
  program
    .command('console')
    .description(
      'the gemeente\'s web console (README, "Console"): werkvoorraad, signals with bevestigen/afwijzen, CSV ' +
        "uploads and the report, behind OpenID Connect login. Builds its read model from the gemeenten's " +
        'notification topics (CONSOLE_GEMEENTEN) in Redis under CONSOLE_REDIS_PREFIX; never reads the register.',
    )
    .option(
      '--herbouw',
      'delete the read model and rebuild it from the notification topics (stop other consoles first)',
    )
    .action(async (opts: { herbouw?: boolean }) => {
      // Loaded on use: the console's dependencies (fastify, openid-client) are not needed by other commands.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runConsole } = require('../../console/main') as typeof import('../../console/main');
      await runConsole(ctx.io.env, { herbouw: opts.herbouw === true });
    });
}
