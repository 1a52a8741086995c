/**
 * Rejecting is cheap: the worst inputs under the 1 MiB size limit, per class, through the decode path before and
 * after the streaming structural passes (services/ingest/xml-scan.ts for XML, checkJsonLimits in
 * services/ingest/json.ts for JSON netwerkmodel events), in one run.
 *
 *   npm run bench:reject                 # every case, before and after
 *   npm run bench:reject -- attributes   # only the cases whose name contains 'attributes'
 *
 * "before" is the front door as it was (bench/baseline/xml-before.ts: a DOCTYPE regex over the raw text, then
 * fast-xml-parser's XMLValidator.validate and XMLParser.parse), followed by the same message parser as today,
 * and for JSON bench/baseline/netwerkmodel-before.ts (JSON.parse without limits); "after" is parseXmlMessage or
 * parseMessage (services/ingest). Each measurement runs in a fresh child process (node
 * --expose-gc): it warms the path up on a valid message (500 times), collects garbage, decodes the case once,
 * and reports the wall time ("ms"), the heap growth (heapUsed after − before, no collection in between) and the
 * growth of the peak RSS (maxRSS after − before); then it decodes the case 3 more times and reports the
 * fastest ("min ms": the cost without the noise of a shared machine). A measurement that takes longer than
 * BENCH_REJECT_TIMEOUT_S (default 120 s) is reported as a timeout.
 */
import { fork } from 'node:child_process';
import { parseNetwerkmodelJson as parseNetwerkmodelJsonBefore } from './baseline/netwerkmodel-before';
import { readXmlMessage as readXmlMessageBefore } from './baseline/xml-before';
import { parseMessage, parseXmlMessage } from '../services/ingest';
import { guard } from '../services/ingest/checks';
import { decodePayload } from '../services/ingest/payload';
import { XML_KINDS } from '../services/ingest/registry';
import type { ParseResult } from '../services/ingest/types';
import { buildWmo301, netwerkmodelEvent, validBsn } from '../test/fixtures/builders';

const MIB = 1024 * 1024;
const TIMEOUT_S = Number(process.env.BENCH_REJECT_TIMEOUT_S ?? 120);
const REPEATS = 3;

/** The old decode path: payload checks, the old front door, then today's message parser. */
function parseBefore(bytes: Uint8Array, format: Format): ParseResult {
  return guard(() => {
    const decoded = decodePayload(bytes);
    if (!decoded.ok) return decoded;
    if (format === 'json') return { ok: true, message: parseNetwerkmodelJsonBefore(decoded.text) };
    const xml = readXmlMessageBefore(decoded.text, XML_KINDS);
    if (!xml.ok) return xml;
    return { ok: true, message: xml.kind.parse(xml.root, xml.kind) };
  });
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const PATHS = {
  before: parseBefore,
  after: (bytes: Uint8Array, format: Format) =>
    format === 'json' ? parseMessage('indicatiebesluiten', bytes, JSON_HEADERS) : parseXmlMessage(bytes),
} as const;
type Format = 'xml' | 'json';
type PathName = keyof typeof PATHS;

/** Fills `budget` bytes with `unit(i)` for i = 0, 1, … (ASCII units). */
function fill(budget: number, unit: (i: number) => string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const u = unit(i);
    if (size + u.length > budget) break;
    parts.push(u);
    size += u.length;
  }
  return parts.join('');
}

const valid = (): string => buildWmo301({ bsn: validBsn(3), commentaar: 'COMMENTAAR' });
/** A valid WMO301 with `inner` in place of its Commentaar's text, `inner` sized to fill 1 MiB. */
const inCommentaar = (unit: (i: number) => string): string => {
  const base = valid();
  return base.replace('COMMENTAAR', fill(MIB - base.length, unit));
};
/** A valid WMO301 with `inner` inserted as the first content of Client, sized to fill 1 MiB. */
const inClient = (unit: (i: number) => string): string => {
  const base = valid();
  return base.replace('<wmo301:Client>', `<wmo301:Client>${fill(MIB - base.length, unit)}`);
};
const prolog = '<?xml version="1.0" encoding="UTF-8"?>\n';

interface Case {
  name: string;
  what: string;
  build: () => string;
  /** Default xml; json cases are netwerkmodel events on wlz.indicatiebesluiten. */
  format?: Format;
}

/** A valid netwerkmodel event whose record carries `value` as an extra field. */
const eventWith = (value: string): string =>
  JSON.stringify(netwerkmodelEvent()).replace('"wlzIndicatie":{', `"wlzIndicatie":{"extra":${value},`);

const CASES: Case[] = [
  {
    name: 'attributes, one element',
    what: '~104,000 attributes on Client',
    build: () => {
      const base = valid();
      const attrs = fill(MIB - base.length - 16, (i) => ` a${i.toString(36)}=""`);
      return base.replace('<wmo301:Client>', `<wmo301:Client${attrs}>`);
    },
  },
  {
    name: 'attributes, many elements',
    what: 'elements of 16 attributes each',
    build: () =>
      inClient(
        (i) =>
          `<x ${Array.from({ length: 16 }, (_, j) => `${String.fromCharCode(97 + j)}="${i % 10}"`).join(' ')}/>`,
      ),
  },
  {
    name: 'namespace declarations, one element',
    what: '~60,000 xmlns:p declarations on Client',
    build: () => {
      const base = valid();
      const decls = fill(MIB - base.length - 16, (i) => ` xmlns:p${i.toString(36)}="u"`);
      return base.replace('<wmo301:Client>', `<wmo301:Client${decls}>`);
    },
  },
  {
    name: 'namespace declarations, nested',
    what: '60 levels of 16 declarations, then empty elements that each declare one more',
    build: () => {
      const decls = (d: number) =>
        Array.from({ length: 16 }, (_, j) => ` xmlns:p${d}x${j}="urn:${d}:${j}"`).join('');
      const open = Array.from({ length: 60 }, (_, d) => `<e${decls(d)}>`).join('');
      const close = '</e>'.repeat(60);
      return `${prolog}${open}${fill(MIB - open.length - close.length - prolog.length, () => '<f xmlns:q="u"/>')}${close}`;
    },
  },
  {
    name: 'nesting, deep',
    what: '~150,000 nested elements',
    build: () => {
      const n = Math.floor((MIB - prolog.length) / 7);
      return `${prolog}${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;
    },
  },
  {
    name: 'nesting, unclosed',
    what: '~350,000 open tags, never closed',
    build: () => `${prolog}${fill(MIB - prolog.length, () => '<a>')}`,
  },
  {
    name: 'elements, many empty',
    what: '~260,000 <a/> in Client',
    build: () => inClient(() => '<a/>'),
  },
  {
    name: 'elements, many with text',
    what: '~75,000 <a>1</a> (known name) in Client',
    build: () => inClient(() => '<wmo301:Geslacht>2</wmo301:Geslacht>'),
  },
  {
    name: 'elements, many products',
    what: 'valid WMO301, as many ToegewezenProducten as fit in 1 MiB',
    build: () => {
      const one = buildWmo301({ bsn: validBsn(3) }).length;
      const two = buildWmo301({ bsn: validBsn(3), producten: [{}, {}] }).length;
      const n = Math.floor((MIB - one) / (two - one));
      return buildWmo301({
        bsn: validBsn(3),
        producten: Array.from({ length: n }, (_, i) => ({ toewijzingnummer: 100_000 + i })),
      });
    },
  },
  {
    name: 'text, one huge node',
    what: 'Commentaar of ~1 MiB',
    build: () => inCommentaar(() => 'x'),
  },
  {
    name: 'text, entity references',
    what: 'Commentaar of ~210,000 &amp;',
    build: () => inCommentaar(() => '&amp;'),
  },
  {
    name: 'text, character references',
    what: 'Commentaar of ~130,000 &#x20AC;',
    build: () => inCommentaar(() => '&#x20AC;'),
  },
  {
    name: 'text, CDATA sections',
    what: 'Commentaar of ~80,000 CDATA sections',
    build: () => inCommentaar(() => '<![CDATA[x]]>'),
  },
  {
    name: 'text, comments',
    what: 'Commentaar of ~150,000 comments',
    build: () => inCommentaar(() => '<!---->'),
  },
  {
    name: 'text, whitespace between elements',
    what: '~1 MiB of spaces inside Client',
    build: () => inClient(() => ' '),
  },
  {
    name: 'names, long element name',
    what: 'an element name of ~1 MiB',
    build: () => {
      const base = valid();
      return base.replace('<wmo301:Client>', `<wmo301:Client><${'a'.repeat(MIB - base.length - 3)}/>`);
    },
  },
  {
    name: 'names, long attribute value',
    what: 'an xsi:schemaLocation of ~1 MiB',
    build: () => {
      const base = valid();
      const value = 'x'.repeat(MIB - base.length - 200);
      return base.replace(
        '<wmo301:Client>',
        `<wmo301:Client xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${value}">`,
      );
    },
  },
  {
    name: 'DTD, billion laughs',
    what: 'nested entity definitions',
    build: () =>
      [
        prolog,
        '<!DOCTYPE lolz [',
        ' <!ENTITY lol "lol">',
        ...Array.from(
          { length: 9 },
          (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
        ),
        ']>',
        '<lolz>&lol9;</lolz>',
      ].join('\n'),
  },
  {
    name: 'DTD, DOCTYPE text in CDATA',
    what: 'a valid WMO301 whose Commentaar is <![CDATA[<!DOCTYPE html>]]> (must be accepted)',
    build: () => valid().replace('COMMENTAAR', '<![CDATA[<!DOCTYPE html>]]>'),
  },
  {
    name: 'malformed at the end',
    what: 'a valid 1 MiB WMO301 whose last end tag is missing',
    build: () => inCommentaar(() => 'x').replace(/<\/wmo301:Bericht>\s*$/, ''),
  },
  {
    name: 'valid, largest',
    what: 'an XSD-valid WMO301 of 820 products (~9,900 elements, 520 KB): under the element limit, TOO_MANY (100 per client)',
    build: () =>
      buildWmo301({
        bsn: validBsn(3),
        producten: Array.from({ length: 820 }, (_, i) => ({ toewijzingnummer: 100_000 + i })),
      }),
  },
  {
    name: 'valid, typical',
    what: 'a valid WMO301 of one product (~3 KB)',
    build: valid,
  },
  {
    name: 'JSON, deep arrays',
    what: '~520,000 nested arrays',
    build: () => `${'['.repeat(MIB / 2 - 1)}${']'.repeat(MIB / 2 - 1)}`,
    format: 'json',
  },
  {
    name: 'JSON, deep objects in the record',
    what: '~170,000 nested objects as an extra field',
    build: () => {
      const n = Math.floor((MIB - 1200) / 6);
      return eventWith(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
    },
    format: 'json',
  },
  {
    name: 'JSON, many keys in the record',
    what: '~75,000 extra fields',
    build: () => {
      const n = Math.floor((MIB - 1200) / 14);
      return eventWith(
        `{${Array.from({ length: n }, (_, i) => `"k${i.toString(36).padStart(8, '0')}":1`).join(',')}}`,
      );
    },
    format: 'json',
  },
  {
    name: 'JSON, a long array in the record',
    what: '~520,000 array elements',
    build: () => eventWith(`[${'1,'.repeat(Math.floor((MIB - 1200) / 2))}1]`),
    format: 'json',
  },
  {
    name: 'JSON, a huge string',
    what: 'an extra field of ~1 MiB',
    build: () => eventWith(`"${'x'.repeat(MIB - 1200)}"`),
    format: 'json',
  },
  {
    name: 'JSON, valid event',
    what: 'a valid netwerkmodel event (~1 KB)',
    build: () => JSON.stringify(netwerkmodelEvent()),
    format: 'json',
  },
];

interface Measurement {
  ms: number;
  /** The fastest of REPEATS more runs: the cost without the noise of a shared machine. */
  minMs: number;
  heapMB: number;
  rssMB: number;
  outcome: string;
}

function measure(c: Case, path: PathName): Measurement {
  // Bytes, as Kafka delivers them.
  const bytes = Buffer.from(c.build());
  if (bytes.byteLength > MIB) throw new Error(`${c.name}: ${bytes.byteLength} bytes`);
  const format = c.format ?? 'xml';
  const parse = (b: Uint8Array) => PATHS[path](b, format);
  const warmUp = Buffer.from(format === 'json' ? JSON.stringify(netwerkmodelEvent()) : valid());
  for (let i = 0; i < 500; i++) parse(warmUp);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.resourceUsage().maxRSS;
  const t0 = process.hrtime.bigint();
  const r = parse(bytes);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const heapMB = (process.memoryUsage().heapUsed - heap0) / MIB;
  const rssMB = (process.resourceUsage().maxRSS - rss0) / 1024;
  let minMs = ms;
  for (let i = 0; i < REPEATS; i++) {
    const t = process.hrtime.bigint();
    parse(bytes);
    minMs = Math.min(minMs, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms, minMs, heapMB, rssMB, outcome: r.ok ? 'accepted' : r.error.code };
}

function runChild(index: number, path: PathName): Promise<Measurement | 'timeout' | 'crashed'> {
  return new Promise((resolve) => {
    const child = fork(__filename, ['--child', String(index), path], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('timeout');
    }, TIMEOUT_S * 1000);
    let result: Measurement | undefined;
    child.on('message', (m) => (result = m as Measurement));
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(result ?? 'crashed');
    });
  });
}

const fmt = (m: Measurement | 'timeout' | 'crashed'): string[] =>
  typeof m === 'string'
    ? [m, '', '', '', '']
    : [m.outcome, m.ms.toFixed(1), m.minMs.toFixed(1), m.heapMB.toFixed(1), m.rssMB.toFixed(1)];

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  const header = [
    'case',
    'bytes',
    'before: outcome',
    'ms',
    'min ms',
    'heap MB',
    'peak RSS MB',
    'after: outcome',
    'ms',
    'min ms',
    'heap MB',
    'peak RSS MB',
  ];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map((h, i) => (i < 1 || h.includes('outcome') ? '---' : '--:')).join('|')}|`);
  for (const [i, c] of CASES.entries()) {
    if (!c.name.includes(filter)) continue;
    const before = await runChild(i, 'before');
    const after = await runChild(i, 'after');
    const bytes = Buffer.byteLength(c.build());
    console.log(`| ${[`${c.name} (${c.what})`, bytes, ...fmt(before), ...fmt(after)].join(' | ')} |`);
  }
}

if (process.argv[2] === '--child') {
  const c = CASES[Number(process.argv[3])];
  if (c === undefined) throw new Error('no such case');
  const m = measure(c, process.argv[4] as PathName);
  process.send?.(m, () => process.exit(0));
} else {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
