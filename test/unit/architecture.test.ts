import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The layers of services/, as README's "How it works" draws them: a pure core (domain, rules, ingest,
 * engine, messages, topics) inside a thin shell. Each folder may import only the folders listed for it:
 * nothing imports upwards, and the engine never sees a wire format, Kafka, Redis or the configuration.
 */
const ALLOWED: Record<string, readonly string[]> = {
  domain: [],
  rules: ['domain'],
  ingest: ['domain'],
  engine: ['domain', 'rules'],
  topics: ['ingest'],
  messages: ['domain', 'engine', 'rules', 'topics'],
  register: ['config', 'domain', 'engine', 'messages'],
  config: ['domain'],
  log: ['domain'],
  metrics: [],
  http: [],
  xsd: [],
  tracing: [],
  pipeline: ['config', 'domain', 'engine', 'ingest', 'messages', 'register', 'topics', 'xsd'],
  kafka: [
    'config',
    'domain',
    'http',
    'log',
    'messages',
    'metrics',
    'pipeline',
    'register',
    'topics',
    'tracing',
  ],
  cli: [
    'config',
    'domain',
    'ingest',
    'kafka',
    'log',
    'messages',
    'pipeline',
    'register',
    'topics',
    'console',
    'tracing',
  ],
  // The gemeente's web console: on top of the command line (its import, report and audit code); the only
  // way back is `samenloop console`, which loads it lazily (services/cli/commands/console.ts). No register.
  console: ['cli', 'config', 'domain', 'ingest', 'kafka', 'log', 'messages', 'rules', 'topics'],
};

const SERVICES = path.resolve(__dirname, '../../services');

function* tsFiles(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts')) yield p;
  }
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]!);
}

describe('the layers of services/', () => {
  const folders = fs.readdirSync(SERVICES).filter((f) => fs.statSync(path.join(SERVICES, f)).isDirectory());

  it('has a rule for every folder', () => {
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
  });

  it('imports only downwards', () => {
    const wrong: string[] = [];
    for (const file of tsFiles(SERVICES)) {
      const from = path.relative(SERVICES, file).split(path.sep)[0]!;
      for (const spec of importsOf(file)) {
        const target = path.relative(SERVICES, path.resolve(path.dirname(file), spec));
        if (target.startsWith('..')) {
          wrong.push(`${path.relative(SERVICES, file)} imports ${spec}, outside services/`);
          continue;
        }
        const to = target.split(path.sep)[0]!;
        if (to !== from && !ALLOWED[from]?.includes(to))
          wrong.push(`${path.relative(SERVICES, file)} imports ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the composition root small', () => {
    const lines = fs.readFileSync(path.join(SERVICES, 'kafka/service.ts'), 'utf8').split('\n').length;
    expect(lines).toBeLessThan(200);
  });
});
