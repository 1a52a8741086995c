/**
 * The top of a V8 sampling heap profile written by bench/heap-sampler.mjs (`npm run bench -- --heap`): the bytes
 * allocated per function (self, where the allocation was made) and per group (as bench/profile.ts groups a CPU
 * profile), as shares of all sampled bytes, and the total. The sampler keeps the samples of objects the
 * collections freed, so this is what the processor allocated over the run, not what stayed alive.
 * `npx tsx bench/heap-profile.ts <file.heapprofile> [messages]` prints it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Shares, type Share } from './profile';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

export interface HeapSummary {
  file: string;
  /** All sampled allocations, MB (an estimate: V8 samples one allocation per 64 KB on average). */
  allocatedMb: number;
  groups: Share[];
  functions: Share[];
}

export function summarizeHeapProfile(file: string): HeapSummary {
  const { head } = JSON.parse(fs.readFileSync(file, 'utf8')) as { head: HeapNode };
  const shares = new Shares();
  const stack: HeapNode[] = [head];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const c of node.children) stack.push(c);
    if (node.selfSize > 0) shares.add(node.callFrame, node.selfSize);
  }
  const { total, groups, functions } = shares.top();
  return { file: path.basename(file), allocatedMb: total / 1e6, groups, functions };
}

if (require.main === module) {
  const [file, messages] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/heap-profile.ts <file.heapprofile> [messages]');
    process.exit(2);
  }
  const s = summarizeHeapProfile(file);
  const per = messages ? `, ${((s.allocatedMb * 1000) / Number(messages)).toFixed(0)} KB per message` : '';
  console.log(`${s.file}: ${s.allocatedMb.toFixed(0)} MB allocated${per}`);
  for (const g of s.groups.slice(0, 15)) console.log(`${g.share.toFixed(1).padStart(6)} %  ${g.name}`);
  console.log('');
  for (const f of s.functions.slice(0, 30)) console.log(`${f.share.toFixed(1).padStart(6)} %  ${f.name}`);
}
