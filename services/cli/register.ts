import { loadConfig } from '../config';
import { RedisStore } from '../register/redis-store';
import { clientView } from '../register/view';

/**
 * `npm run register -- client <bsn>`: the register view of one client (facts, decisions, history).
 * `npm run register -- gemeente <code>`: the pseudonymised client ids a gemeente has in the register.
 */
async function main(argv: string[]): Promise<number> {
  const [command, arg] = argv;
  const cfg = loadConfig();
  const store = RedisStore.fromConfig(cfg);
  try {
    if (command === 'client' && arg) {
      const view = await clientView(store, cfg.SAMENLOOP_HMAC_SECRET, arg);
      if (!view) {
        console.error('no such client in the register');
        return 1;
      }
      console.log(JSON.stringify(view, null, 2));
      return 0;
    }
    if (command === 'gemeente' && arg && /^\d{4}$/.test(arg)) {
      console.log(JSON.stringify(await store.clientsOf(arg), null, 2));
      return 0;
    }
    console.error('usage: register client <bsn> | register gemeente <gemeentecode>');
    return 2;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
