import { EVENT_TYPE } from '../../../services/engine/outputs';
import { TestDriver } from '../../../services/pipeline/driver';
import { inputTopicOf, wmoTopic } from '../../../services/topics';
import { buildAw33, buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';

/**
 * The hostile inputs of issue 14, through the same Processor as production: a gemeente's identity is the
 * topic it writes to (gemeente.<code>.toewijzingen, writable only by that gemeente: README, ACLs), never
 * the Afzender it writes.
 */
const A = '0363';
const B = '0599';
const AANBIEDER_B = '99000002';

/** B (policy voorstel) has a toewijzing for a client the Wlz now covers: B is signalled and a beëindiging proposed. */
async function bKnowsAClient() {
  const driver = new TestDriver({ GEMEENTE_POLICIES: `${B}=voorstel` });
  const bsn = validBsn(9141);
  const wmoB = buildWmo301({
    bsn,
    gemeente: B,
    aanbieder: AANBIEDER_B,
    identificatie: 'B-1',
    producten: [
      { toewijzingnummer: 4711, productcategorie: '01', ingangsdatum: '2026-01-01', einddatum: null },
    ],
  });
  expect((await driver.pipe(wmoTopic(driver.cfg, B), wmoB)).deadLetter).toBeUndefined();
  await driver.pipe(inputTopicOf(driver.cfg, 'indicatiebesluiten'), buildIo31({ bsn }));
  await driver.pipe(
    inputTopicOf(driver.cfg, 'zorgtoewijzingen'),
    buildAw33({ bsn, ingangsdatum: '2026-12-01', leveringsvorm: '4' }),
  );
  const bSignals = driver.events(`gemeente.${B}.samenloop`);
  expect(bSignals.length).toBeGreaterThan(0);
  expect(JSON.stringify(bSignals)).toContain('voorgesteld');
  return { driver, bsn, before: driver.outputs.length };
}

describe('a gemeente is who writes, not who it says it is', () => {
  it("A's WMO301 with Afzender A for a client only B knows gives A nothing of B", async () => {
    const { driver, bsn, before } = await bKnowsAClient();
    const wmoA = buildWmo301({
      bsn,
      gemeente: A,
      identificatie: 'A-1',
      producten: [
        { toewijzingnummer: 1, productcategorie: '01', ingangsdatum: '2026-01-01', einddatum: null },
      ],
    });
    const handled = await driver.pipe(wmoTopic(driver.cfg, A), wmoA);
    expect(handled.deadLetter).toBeUndefined();
    const after = driver.outputs.slice(before);
    // Only A's own topics, about A's own toewijzing; nothing goes to or changes for B.
    expect(after.every((o) => o.topic.startsWith(`gemeente.${A}.`))).toBe(true);
    const text = after.map((o) => o.value).join('\n');
    expect(text).not.toContain(B);
    expect(text).not.toContain('4711');
    expect(text).not.toContain(AANBIEDER_B);
    // and none of the Wlz details the notification no longer carries (data minimisation, schema v2)
    for (const o of after.filter((x) => x.topic.endsWith('.samenloop'))) {
      const wlz = (JSON.parse(o.value!) as { data: { wlz: Record<string, unknown> } }).data.wlz;
      expect(Object.keys(wlz)).not.toEqual(expect.arrayContaining(['besluitnummer']));
      expect(Object.keys(wlz)).not.toEqual(expect.arrayContaining(['zorgprofielen']));
      expect(Object.keys(wlz)).not.toEqual(expect.arrayContaining(['leveringsvorm']));
    }
  });

  it("a WMO301 with Afzender B on A's topic is WRONG_SENDER; B's signal and proposal stay as they were", async () => {
    const { driver, bsn, before } = await bKnowsAClient();
    // "B's toewijzing never existed" (RedenWijziging 13), claimed as B, written by A
    const forged = buildWmo301({
      bsn,
      gemeente: B,
      aanbieder: AANBIEDER_B,
      identificatie: 'B-2',
      producten: [
        {
          toewijzingnummer: 4711,
          productcategorie: '01',
          ingangsdatum: '2026-01-01',
          einddatum: '2026-01-01',
          redenWijziging: '13',
          toewijzingsdatum: '2026-11-22',
        },
      ],
    });
    const handled = await driver.pipe(wmoTopic(driver.cfg, A), forged);
    expect(handled.deadLetter?.code).toBe('WRONG_SENDER');
    expect(handled.deadLetter?.reason).toBe(
      `the Afzender is another gemeente than ${A}, whose toewijzingen topic this is`,
    );
    expect(handled.outputs).toEqual([]);
    expect(driver.outputs.length).toBe(before);
    // The same message on B's own topic is B's word: then it does withdraw the signal (the forged one did not).
    const real = await driver.pipe(wmoTopic(driver.cfg, B), forged);
    expect(real.deadLetter).toBeUndefined();
    expect(driver.events(`gemeente.${B}.samenloop`).some((e) => e.type === EVENT_TYPE.vervallen)).toBe(true);
  });

  it('takes the shared topic only as the trusted bridge, and only when configured', async () => {
    const off = new TestDriver();
    expect((await off.pipe('wmo.toewijzingen', buildWmo301())).deadLetter?.code).toBe('WRONG_TOPIC');
    const bridge = new TestDriver({ TOPIC_WMO_TRUSTED_BRIDGE: 'ggk.wmo.toewijzingen' });
    expect(
      (await bridge.pipe('ggk.wmo.toewijzingen', buildWmo301({ gemeente: B }))).deadLetter,
    ).toBeUndefined();
  });
});
