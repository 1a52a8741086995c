import fc from 'fast-check';
import { generate, type GeneratedMessage } from '../../../bench/generator';
import { topicOf } from '../../support/topics';
import { TestDriver } from '../../../services/pipeline/driver';
import type { MemoryStore } from '../../../services/register/memory-store';

/**
 * The whole pipeline (bytes in, notifications out, with the in-memory register), judged on properties that
 * must hold for any input: duplicates change nothing, and the order of arrival does not change the outcome.
 */

const input = generate({ seed: 11, messages: 60, gemeenten: 3, duplicateRate: 0 });

async function runAll(messages: GeneratedMessage[], env: Record<string, string> = {}) {
  const d = new TestDriver(env);
  for (const m of messages) await d.pipe(topicOf(d.cfg, m.kind, m.value), m.value, { key: m.key });
  expect(d.deadLetters).toEqual([]);
  return d;
}

/** Final decisions per client: the references and the content last signalled. */
async function finalDecisions(d: TestDriver) {
  const store = d.store as MemoryStore;
  const out: Record<string, unknown> = {};
  for (const id of await store.clientIds()) {
    const e = (await store.load(id)).state?.engine;
    out[id] = Object.fromEntries(Object.entries(e?.decisions ?? {}).map(([k, v]) => [k, v.fingerprint]));
  }
  return out;
}

/** What a gemeente knows after folding its notifications in order: signaal = upsert, vervallen = delete. */
function folded(d: TestDriver) {
  const views: Record<string, Record<string, unknown>> = {};
  for (const o of d.outputs.filter((x) => x.channel === 'samenloop')) {
    const e = JSON.parse(o.value!) as { type: string; subject: string; data: { beeindiging?: unknown } };
    const view = (views[o.gemeente] ??= {});
    if (e.type === 'nl.samenloop.signaal') {
      const { beeindiging: _b, ...rest } = e.data;
      view[e.subject] = rest;
    } else if (e.type === 'nl.samenloop.vervallen') delete view[e.subject];
  }
  return views;
}

describe('pipeline properties (test driver, in-memory register)', () => {
  let clean: TestDriver;
  beforeAll(async () => {
    clean = await runAll(input);
    expect(clean.outputs.length).toBeGreaterThan(0);
  });

  it('duplicating any input messages yields exactly the same notifications, same ids', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(input.length - 1), fc.nat(input.length)), { minLength: 1, maxLength: 15 }),
        async (dups) => {
          // Re-send message i again later, at position j ≥ i (a redelivery or a sender's re-send).
          const stream = input.map((m) => [m]);
          for (const [i, j] of dups) stream[Math.min(Math.max(i, j), input.length - 1)]!.push(input[i]!);
          const d = await runAll(stream.flat());
          expect(d.outputs.map((o) => o.id)).toEqual(clean.outputs.map((o) => o.id));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('any order of arrival yields the same final decisions and the same folded view per gemeente', async () => {
    const expectedDecisions = await finalDecisions(clean);
    const expectedView = folded(clean);
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(input, { minLength: input.length, maxLength: input.length }),
        async (perm) => {
          const d = await runAll(perm);
          expect(await finalDecisions(d)).toEqual(expectedDecisions);
          expect(folded(d)).toEqual(expectedView);
        },
      ),
      { numRuns: 40 },
    );
  });
});
