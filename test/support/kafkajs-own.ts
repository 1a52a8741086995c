import type { Kafka as KafkaClass } from 'kafkajs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** The in-place edits npm's postinstall applies to kafkajs (infra/patch-kafkajs.mjs). */
export interface KafkajsEdits {
  files: Record<string, { original: string; edits: { from: string; to: string }[] }>;
}
export const MANY_TOPICS: KafkajsEdits = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'infra/patches/kafkajs/many-topics.json'), 'utf8'),
) as KafkajsEdits;

/** An installed, edited file of kafkajs back as kafkajs 2.2.4 has it: the first line dropped, each edit undone. */
export function uneditedText(file: string, installed: string): string {
  return MANY_TOPICS.files[file]!.edits.reduce(
    (text, { from, to }) => text.replace(to, () => from),
    installed.slice(installed.indexOf('\n') + 1),
  );
}

/**
 * A copy of the installed kafkajs with the edits of infra/patches/kafkajs/many-topics.json undone: kafkajs
 * 2.2.4's own join, fetch and encoder beside the patched ones, in one process (its read_committed filter stays
 * the corrected one). `require(path.join(dir, 'kafkajs'))`; the caller removes the directory.
 */
export function kafkajsWithoutEdits(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafkajs-own-'));
  fs.cpSync(path.join(ROOT, 'node_modules/kafkajs'), path.join(dir, 'kafkajs'), { recursive: true });
  for (const file of Object.keys(MANY_TOPICS.files)) {
    const target = path.join(dir, 'kafkajs', file);
    fs.writeFileSync(target, uneditedText(file, fs.readFileSync(target, 'utf8')));
  }
  return dir;
}

/** kafkajs 2.2.4's own Kafka (in a copy made by kafkajsWithoutEdits) to run in turns with the installed one. */
export function ownKafka(): { Kafka: typeof KafkaClass; remove: () => void } {
  const dir = kafkajsWithoutEdits();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Kafka } = require(path.join(dir, 'kafkajs')) as { Kafka: typeof KafkaClass };
  return { Kafka, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
