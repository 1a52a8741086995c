// npm's postinstall: replaces kafkajs 2.2.4's read_committed filter with the corrected one in
// infra/patches/kafkajs/ (why: that file's header; README, "kafkajs, patched"). It patches only the file it
// knows: a kafkajs whose file is neither the original nor the patched one stops the install, so an upgrade
// cannot silently drop or misapply the fix. The processor checks at its start that the filter it loaded is
// the corrected one (services/kafka/read-committed.ts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RELATIVE = 'src/consumer/filterAbortedMessages.js';
/** The first line of the patched file: an earlier version of the patch is replaced too. */
const MARK = "// samenloop's replacement of kafkajs 2.2.4's";
/** sha-256 of kafkajs 2.2.4's own file. */
const ORIGINAL = '54ce50f2a41ee1686da8b73bf8b502c7dd07c9d7cb0a494cdb36a7fc536ced8e';

// the node_modules to patch: the project's own, or the one given (test/unit/infra/patch-kafkajs.test.ts)
const kafkajs = path.join(
  process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, 'node_modules'),
  'kafkajs',
);
if (!fs.existsSync(path.join(kafkajs, 'package.json'))) {
  console.log('[patch-kafkajs] kafkajs is not installed: nothing to patch');
  process.exit(0);
}
const target = path.join(kafkajs, RELATIVE);
const patched = fs.readFileSync(path.join(root, 'infra', 'patches', 'kafkajs', 'filterAbortedMessages.js'));
const sha = (b) => createHash('sha256').update(b).digest('hex');
const current = fs.readFileSync(target);
if (sha(current) === sha(patched)) {
  console.log('[patch-kafkajs] kafkajs read_committed filter: patched already');
} else if (sha(current) === ORIGINAL || current.toString('utf8').startsWith(MARK)) {
  fs.writeFileSync(target, patched);
  console.log('[patch-kafkajs] kafkajs read_committed filter: patched (infra/patches/kafkajs)');
} else {
  const { version } = JSON.parse(fs.readFileSync(path.join(kafkajs, 'package.json'), 'utf8'));
  console.error(
    `[patch-kafkajs] kafkajs ${version}: ${RELATIVE} is not the file the patch was made for (kafkajs 2.2.4); ` +
      'check whether this version still reads aborted transactions as committed, then update infra/patches/kafkajs',
  );
  process.exit(1);
}
