/**
 * The top of a V8 CPU profile (node --cpu-prof): self time per function and per group (a package under
 * node_modules, our own folder under services/, node's internals, garbage collection), as shares of the
 * busy time (idle left out). `npx tsx bench/profile.ts <file.cpuprofile>` prints it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  busyMs: number;
  groups: Share[];
  functions: Share[];
}

function groupOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(program)') return '(program: V8 and native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const own = /\/(services\/[^/]+|bench|test)\//.exec(url);
  if (own) return own[1]!;
  if (url.startsWith('node:') || url === '') return 'node internals';
  return url;
}

export function summarizeProfile(file: string): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const shares = new Shares();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName !== '(idle)') shares.add(frame, us);
  }
  const { total: busy, groups, functions } = shares.top();
  return { file: path.basename(file), busyMs: busy / 1000, groups, functions };
}

/**
 * A quantity (CPU time, bytes) summed per function (`name file:line`) and per group (groupOf), and the
 * largest as shares of the whole: what bench/profile.ts and bench/heap-profile.ts print.
 */
export class Shares {
  private readonly fns = new Map<string, number>();
  private readonly groups = new Map<string, number>();
  private total = 0;

  add(frame: { functionName: string; url: string; lineNumber: number }, amount: number): void {
    const { functionName, url, lineNumber } = frame;
    this.total += amount;
    const where = url
      ? `${url.replace(/^.*?(node_modules\/|services\/|bench\/)/, '$1')}:${lineNumber + 1}`
      : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    this.fns.set(name, (this.fns.get(name) ?? 0) + amount);
    const g = groupOf(url, functionName);
    this.groups.set(g, (this.groups.get(g) ?? 0) + amount);
  }

  top(): { total: number; groups: Share[]; functions: Share[] } {
    const top = (m: Map<string, number>) =>
      [...m].sort((a, b) => b[1] - a[1]).map(([name, v]) => ({ name, share: (100 * v) / this.total }));
    return { total: this.total, groups: top(this.groups), functions: top(this.fns).slice(0, 40) };
  }
}
export interface Share {
  name: string;
  share: number;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: tsx bench/profile.ts <file.cpuprofile>');
    process.exit(2);
  }
  const s = summarizeProfile(file);
  console.log(`${s.file}: busy ${(s.busyMs / 1000).toFixed(1)} s`);
  for (const g of s.groups.slice(0, 15))
    console.log(`${s.file ? '' : ''}${g.share.toFixed(1).padStart(6)} %  ${g.name}`);
  console.log('');
  for (const f of s.functions.slice(0, 30)) console.log(`${f.share.toFixed(1).padStart(6)} %  ${f.name}`);
}
