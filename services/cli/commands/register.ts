import type { Command } from 'commander';
import { ConfigError } from '../../config';
import { redactUrl } from '../../config/security';
import { KeyringCipher, SealError } from '../../register/keys';
import { RedisStore } from '../../register/redis-store';
import { unreachable } from '../errors';
import { writeLine } from '../io';
import type { CliContext } from '../program';

/** `samenloop register rotate-keys`: the register's values sealed again with the current key. */
export function registerRegister(program: Command, ctx: CliContext): void {
  const register = program.command('register').description('maintenance of the register in Redis');
  register
    .command('rotate-keys')
    .description(
      'seal every value of the register (client states, outboxes) that is not under the current key ' +
        '(REGISTER_KEY_ID) again with it, client by client and atomically (a concurrent commit is never ' +
        'lost); prints how many values were rewritten. Run it after every processor has the new ' +
        'REGISTER_KEY_ID, and before dropping an old key from REGISTER_KEYS. Running it again rewrites nothing.',
    )
    .action(async () => {
      const cfg = ctx.config();
      const store = RedisStore.fromConfig(cfg); // a ConfigError (exit 2) without keys
      const cipher = store.cipher;
      try {
        if (!(cipher instanceof KeyringCipher))
          throw new ConfigError(['REGISTER_ENCRYPTION=off: there is no key to rotate to; set REGISTER_KEYS']);
        let result;
        try {
          await store.ping();
          result = await store.rotateKeys((stored) => cipher.isCurrent(stored));
        } catch (err) {
          if (err instanceof SealError)
            throw new ConfigError([
              `REGISTER_KEYS: a value of the register cannot be opened: ${err.message}`,
            ]);
          throw unreachable('Redis', redactUrl(cfg.REDIS_URL), err);
        }
        writeLine(
          ctx.io.stdout,
          `rewritten ${result.values} value(s) of ${result.clients} client(s) under register key "${cipher.currentId}"`,
        );
      } finally {
        await store.close().catch(() => undefined);
      }
    });
}
