// npm's postinstall: patches kafkajs 2.2.4 (its last release) where it is wrong or slow for samenloop. Two
// patches, each explained where it lives (README, "kafkajs, patched"):
//   - infra/patches/kafkajs/filterAbortedMessages.js replaces the read_committed filter (records of aborted
//     transactions were read as committed when aborted transactions overlap);
//   - infra/patches/kafkajs/many-topics.json edits six files in place (with many subscribed topics a
//     consumer's join and each of its fetches were quadratic or needlessly costly; fetches go through an
//     incremental fetch session).
// It patches only the files it knows: a kafkajs whose file is neither the original nor the patched one stops
// the install before anything is written, so an upgrade cannot silently drop or misapply a fix. The processor
// checks at its start that the filter it loaded is the corrected one (services/kafka/read-committed.ts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const patches = path.join(root, 'infra', 'patches', 'kafkajs');
const sha = (b) => createHash('sha256').update(b).digest('hex');

/** The whole-file replacement: its first line marks it, so an earlier version of it is replaced too. */
const FILTER = {
  file: 'src/consumer/filterAbortedMessages.js',
  what: 'read_committed filter',
  original: '54ce50f2a41ee1686da8b73bf8b502c7dd07c9d7cb0a494cdb36a7fc536ced8e',
  mark: "// samenloop's replacement of kafkajs 2.2.4's",
  replacement: fs.readFileSync(path.join(patches, 'filterAbortedMessages.js'), 'utf8'),
};
/** The in-place edits: a first line names them by digest, so a file they were applied to is known again. */
const TOPICS = JSON.parse(fs.readFileSync(path.join(patches, 'many-topics.json'), 'utf8'));
const TOPICS_DIGEST = sha(JSON.stringify(TOPICS.files)).slice(0, 16);
const EDIT_MARK = '// samenloop: kafkajs 2.2.4';

// the node_modules to patch: the project's own, or the one given (test/unit/infra/patch-kafkajs.test.ts)
const kafkajs = path.join(
  process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, 'node_modules'),
  'kafkajs',
);
if (!fs.existsSync(path.join(kafkajs, 'package.json'))) {
  console.log('[patch-kafkajs] kafkajs is not installed: nothing to patch');
  process.exit(0);
}
const { version } = JSON.parse(fs.readFileSync(path.join(kafkajs, 'package.json'), 'utf8'));

/** What to write for one file: 'already' when it is patched, the content when it is kafkajs' own, or an error. */
function plan(file, current) {
  if (file === FILTER.file) {
    if (current === FILTER.replacement) return { already: true };
    if (sha(current) === FILTER.original || current.startsWith(FILTER.mark))
      return { content: FILTER.replacement };
    return { error: 'is not the file the patch was made for (kafkajs 2.2.4)' };
  }
  const { original, edits } = TOPICS.files[file];
  const header = `${EDIT_MARK} ${file} with the edits of infra/patches/kafkajs/many-topics.json (${TOPICS_DIGEST})\n`;
  if (current.startsWith(header)) return { already: true };
  if (current.startsWith(EDIT_MARK)) {
    return {
      error:
        'carries other edits (an earlier version of them): reinstall kafkajs (rm -rf node_modules/kafkajs && npm ci)',
    };
  }
  if (sha(current) !== original) return { error: 'is not the file the patch was made for (kafkajs 2.2.4)' };
  let content = current;
  for (const { from, to } of edits) {
    if (content.split(from).length !== 2)
      return { error: `does not hold exactly once: ${from.split('\n')[0].trim()}` };
    content = content.replace(from, () => to);
  }
  return { content: header + content };
}

const files = [FILTER.file, ...Object.keys(TOPICS.files)];
const plans = files.map((file) => {
  const target = path.join(kafkajs, file);
  return { file, target, ...plan(file, fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '') };
});
const refused = plans.filter((p) => p.error);
if (refused.length) {
  for (const p of refused) console.error(`[patch-kafkajs] kafkajs ${version}: ${p.file} ${p.error}`);
  console.error(
    '[patch-kafkajs] nothing patched: check whether this kafkajs still needs the patches, then update infra/patches/kafkajs',
  );
  process.exit(1);
}
for (const p of plans) if (p.content !== undefined) fs.writeFileSync(p.target, p.content);
const done = (file) => (plans.find((p) => p.file === file).already ? 'patched already' : 'patched');
console.log(`[patch-kafkajs] kafkajs read_committed filter: ${done(FILTER.file)} (infra/patches/kafkajs)`);
const topicFiles = Object.keys(TOPICS.files);
const topicState = topicFiles.every((f) => plans.find((p) => p.file === f).already)
  ? 'patched already'
  : 'patched';
console.log(
  `[patch-kafkajs] kafkajs with many topics (join, fetch, fetch sessions): ${topicState} (${topicFiles.length} files)`,
);
