import { afzenderOf, wmoTopic } from '../support/topics';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Partitioners, type Admin, type Producer } from 'kafkajs';
import notificationSchema from '../../schemas/notification.schema.json';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { buildAw33, buildIo31, buildNetwerkmodelEvent, buildWmo301, validBsn } from '../fixtures/builders';
import { collect, isolatedConfig, sleep, testKafka, waitFor, type Collected } from '../support/kafka';
import { validateXml } from '../support/xsd';

/**
 * The engine end to end through the real Kafka and Redis: each scenario is one client of its own
 * gemeente, fed step by step (each step consumed before the next), and judged by what that gemeente
 * (and no other) receives. Processing day: 2026-11-23.
 */

const G = {
  mptVoorWlz: '0101',
  mptOverlap: '0102',
  partner: '0103',
  laag: '0104',
  regiotaxi: '0105',
  verleden: '0106',
  correctie: '0107',
  eigenaar: '0108',
  buur: '0109',
  voorstel: '0110',
  vreemd: '0111',
  signaal: '0112',
  verwijderd: '0113',
  wmo13: '0114',
  dubbel: '0115',
} as const;

const POLICIES = [G.mptOverlap, G.verleden, G.correctie, G.laag, G.eigenaar, G.dubbel]
  .map((g) => `${g}=automatisch`)
  .concat([`${G.signaal}=alleen-signaal`])
  .join(',');

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validNotification = ajv.compile(notificationSchema);

type Kind = 'ind' | 'ztw' | 'wmo' | 'opdracht';
interface Event {
  type: string;
  id: string;
  subject: string;
  data: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('samenloop scenarios on the real Kafka and Redis', () => {
  const { run, cfg } = isolatedConfig({ GEMEENTEN: Object.values(G).join(','), GEMEENTE_POLICIES: POLICIES });
  const service = new SamenloopService(cfg, createLogger('silent'));
  const kafka = testKafka();
  let producer: Producer;
  let admin: Admin;
  let outputs: Collected[] = [];
  let stopCollecting: () => Promise<void>;

  const topic = (k: Exclude<Kind, 'wmo'>, gemeente?: string) =>
    ({
      ind: cfg.TOPIC_INDICATIEBESLUITEN,
      ztw: cfg.TOPIC_ZORGTOEWIJZINGEN,
      opdracht: `${cfg.TOPIC_GEMEENTE_PREFIX}${gemeente}.opdrachten`,
    })[k];

  /** Sends one message and waits until the processor has committed past it. */
  async function step(k: Kind, value: string, opts: { gemeente?: string; json?: boolean } = {}) {
    // a WMO301 goes to the toewijzingen topic of the gemeente that sends it
    const t = k === 'wmo' ? wmoTopic(cfg, afzenderOf(value)) : topic(k, opts.gemeente);
    const [meta] = await producer.send({
      topic: t,
      acks: -1,
      messages: [{ value, headers: { 'content-type': opts.json ? 'application/json' : 'application/xml' } }],
    });
    const offset = BigInt(meta!.baseOffset!);
    await waitFor(
      async () => {
        const [c] = await admin.fetchOffsets({ groupId: cfg.KAFKA_GROUP_ID, topics: [t] });
        const p = c?.partitions.find((x) => x.partition === meta!.partition);
        return p !== undefined && BigInt(p.offset) > offset;
      },
      60000,
      100,
      `processing of ${t}@${offset}`,
    );
  }

  const received = (gemeente: string) =>
    outputs.filter((o) => o.topic.startsWith(`${run}.gemeente.${gemeente}.`));
  const events = (gemeente: string): Event[] =>
    received(gemeente)
      .filter((o) => o.topic.endsWith('.samenloop'))
      .map((o) => JSON.parse(o.value!.toString('utf8')) as Event);
  const wmo301s = (gemeente: string) =>
    received(gemeente)
      .filter((o) => o.topic.endsWith('.beeindigingen'))
      .map((o) => ({ key: o.key, xml: o.value!.toString('utf8') }));
  const tag = (xml: string, name: string) =>
    [...xml.matchAll(new RegExp(`<[^>]*:?${name}>([^<]*)<`, 'g'))].map((m) => m[1]);
  /**
   * Outputs of the steps so far are in: their transaction committed before the offset did, so once the
   * reader has seen nothing new for a second (after the markers had time to land) it has them all.
   */
  const settle = async () => {
    await sleep(300);
    let seen = -1;
    let since = Date.now();
    await waitFor(
      () => {
        if (outputs.length !== seen) [seen, since] = [outputs.length, Date.now()];
        return Date.now() - since >= 1000;
      },
      30000,
      100,
      'the outputs settled',
    );
  };

  const wmo = (gemeente: string, bsn: string, o: Record<string, unknown> = {}) =>
    buildWmo301({
      gemeente,
      bsn,
      aanbieder: '99000001',
      identificatie: `W${gemeente}${String(o.n ?? 1)}`,
      dagtekening: '2026-01-01',
      toewijzingnummer: Number(gemeente) * 10 + 1,
      productcategorie: '01',
      productcode: '01A01',
      toewijzingsdatum: '2026-01-01',
      toewijzingstijd: '09:00:00',
      ingangsdatum: '2026-01-01',
      einddatum: null,
      ...o,
    });
  const io31 = (bsn: string, o: Record<string, unknown> = {}) =>
    buildIo31({
      bsn,
      besluitnummer: 200_000_000 + Number(bsn.slice(3, 7)),
      identificatie: `I${bsn}${String(o.n ?? '')}`.slice(0, 12),
      dagtekening: '2026-11-01',
      afgiftedatum: '2026-11-01',
      ingangsdatum: '2026-11-01',
      zzps: ['754'],
      ...o,
    });
  const aw33 = (bsn: string, o: Record<string, unknown> = {}) =>
    buildAw33({
      bsn,
      besluitnummer: 200_000_000 + Number(bsn.slice(3, 7)),
      identificatie: `Z${bsn}${String(o.n ?? '')}`.slice(0, 12),
      dagtekening: '2026-11-10',
      indicatieAfgiftedatum: '2026-11-01',
      indicatieIngangsdatum: '2026-11-01',
      zzpCode: '754',
      instelling: '98000001',
      aanbieder: '98000001',
      toewijzingsdatum: '2026-11-10',
      toewijzingstijd: '10:00:00',
      ingangsdatum: '2026-12-15',
      leveringsvorm: '7',
      ...o,
    });

  beforeAll(async () => {
    await service.start();
    producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    admin = kafka.admin();
    await admin.connect();
    const topics = Object.values(G).flatMap((g) => [
      `${run}.gemeente.${g}.samenloop`,
      `${run}.gemeente.${g}.beeindigingen`,
    ]);
    const c = await collect(kafka, topics);
    outputs = c.records;
    stopCollecting = () => c.consumer.disconnect();
  });

  afterAll(async () => {
    await stopCollecting?.();
    await producer?.disconnect();
    await admin?.disconnect();
    await service.stop();
  });

  afterEach(() => {
    for (const o of outputs.filter((x) => x.topic.endsWith('.samenloop'))) {
      const event = JSON.parse(o.value!.toString('utf8'));
      if (event.type !== 'nl.samenloop.opdracht.afgewezen') {
        expect(validNotification(event) ? [] : validNotification.errors).toEqual([]);
      }
      expect(o.key ?? '').not.toMatch(/\b\d{9}\b/);
    }
    for (const o of outputs.filter((x) => x.topic.endsWith('.beeindigingen'))) {
      expect(validateXml('WMO301', o.value!)).toMatchObject({ valid: true });
    }
  });

  it('hulp bij het huishouden that ends before the Wlz starts (MPT): no signal', async () => {
    const bsn = validBsn(9001);
    await step('wmo', wmo(G.mptVoorWlz, bsn, { einddatum: '2026-12-10' }));
    await step('ind', io31(bsn, { ingangsdatum: '2026-12-15', afgiftedatum: '2026-11-01' }));
    await step('ztw', aw33(bsn, { indicatieIngangsdatum: '2026-12-15', ingangsdatum: '2026-12-15' }));
    await settle();
    expect(received(G.mptVoorWlz)).toEqual([]);
  });

  it('hulp bij het huishouden beside a later MPT (automatisch): signaal, then a WMO301 ending it the day before', async () => {
    const bsn = validBsn(9002);
    await step('wmo', wmo(G.mptOverlap, bsn));
    await step('ind', io31(bsn));
    await settle();
    expect(events(G.mptOverlap).map((e) => [e.type, e.data.beoordeling])).toEqual([
      ['nl.samenloop.signaal', 'beoordelen'],
    ]);
    await step('ztw', aw33(bsn));
    await settle();
    const last = events(G.mptOverlap).at(-1)!;
    expect(last.type).toBe('nl.samenloop.signaal');
    expect(last.data.beoordeling).toBe('wlz-voorliggend');
    expect(last.data.wlz.woonsituatie).toBe('thuis');
    expect(last.data.client.bsn).toBe(bsn);
    expect(last.data.beeindiging).toMatchObject({
      einddatum: '2026-12-14',
      redenWijziging: '06',
      status: 'verzonden',
    });
    const sent = wmo301s(G.mptOverlap);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.key).toBe('99000001');
    expect(tag(sent[0]!.xml, 'Einddatum')).toEqual(['2026-12-14']);
    expect(tag(sent[0]!.xml, 'RedenWijziging')).toEqual(['06']);
    expect(tag(sent[0]!.xml, 'ToewijzingNummer')).toEqual([String(Number(G.mptOverlap) * 10 + 1)]);
    expect(sent[0]!.xml).not.toContain('ReferentieAanbieder');
  });

  it('partnerverblijf (ZzpCode 999) gives no Wlz access: nothing at all', async () => {
    const bsn = validBsn(9003);
    await step('wmo', wmo(G.partner, bsn, { productcategorie: '02', productcode: '02A03' }));
    await step('ind', io31(bsn, { zzps: ['999'], grondslagen: [] }));
    await settle();
    expect(received(G.partner)).toEqual([]);
  });

  it('a low zorgprofiel (VV1) without a zorgtoewijzing is no samenloop; with one it is', async () => {
    const bsn = validBsn(9004);
    await step('wmo', wmo(G.laag, bsn, { productcategorie: '02', productcode: '02A03' }));
    await step('ind', io31(bsn, { zzps: ['750'] }));
    await settle();
    expect(received(G.laag)).toEqual([]);
    await step('ztw', aw33(bsn, { zzpCode: '750', leveringsvorm: '5', ingangsdatum: '2026-12-01' }));
    await settle();
    const e = events(G.laag);
    expect(e).toHaveLength(1);
    expect(e[0]!.data).toMatchObject({
      beoordeling: 'wlz-voorliggend',
      wlz: { woonsituatie: 'thuis' },
    });
    expect(tag(wmo301s(G.laag)[0]!.xml, 'Einddatum')).toEqual(['2026-11-30']);
  });

  it('vervoerdiensten (08) beside Wlz verblijf: beoordelen (it may be vervoer naar dagbesteding), nothing ended', async () => {
    const bsn = validBsn(9005);
    await step('wmo', wmo(G.regiotaxi, bsn, { productcategorie: '08', productcode: '08A01' }));
    await step('ind', io31(bsn));
    await step('ztw', aw33(bsn, { leveringsvorm: '4' }));
    await settle();
    expect(events(G.regiotaxi).map((e) => [e.type, e.data.beoordeling, e.data.regel.id])).toEqual([
      ['nl.samenloop.signaal', 'beoordelen', 'SL-08-VERBLIJF'],
    ]);
    expect(wmo301s(G.regiotaxi)).toEqual([]);
  });

  it('a Wlz start in the past ends the toewijzing today, never retroactively', async () => {
    const bsn = validBsn(9006);
    await step('wmo', wmo(G.verleden, bsn, { productcategorie: '02', productcode: '02A03' }));
    await step('ind', io31(bsn, { ingangsdatum: '2026-09-01', afgiftedatum: '2026-09-01' }));
    await step(
      'ztw',
      aw33(bsn, { indicatieIngangsdatum: '2026-09-01', ingangsdatum: '2026-10-01', leveringsvorm: '4' }),
    );
    await settle();
    const sent = wmo301s(G.verleden);
    expect(sent).toHaveLength(1);
    expect(tag(sent[0]!.xml, 'Einddatum')).toEqual(['2026-11-23']);
    expect(events(G.verleden).at(-1)!.data.beeindiging).toMatchObject({
      einddatum: '2026-11-23',
      status: 'verzonden',
    });
  });

  it('a correction to partnerverblijf undoes a sent beëindiging with RedenWijziging 14', async () => {
    const bsn = validBsn(9007);
    await step('wmo', wmo(G.correctie, bsn, { einddatum: '2027-06-30' }));
    await step('ind', io31(bsn));
    await step('ztw', aw33(bsn, { ingangsdatum: '2027-01-01', leveringsvorm: '5' }));
    await settle();
    expect(wmo301s(G.correctie)).toHaveLength(1);
    expect(tag(wmo301s(G.correctie)[0]!.xml, 'Einddatum')).toEqual(['2026-12-31']);
    // The CIZ corrects the indicatie: partnerverblijf, a later Dagtekening.
    await step('ind', io31(bsn, { zzps: ['999'], grondslagen: [], dagtekening: '2026-11-20', n: 'c' }));
    await settle();
    expect(events(G.correctie).at(-1)!.type).toBe('nl.samenloop.vervallen');
    const sent = wmo301s(G.correctie);
    expect(sent).toHaveLength(2);
    expect(tag(sent[1]!.xml, 'RedenWijziging')).toEqual(['14']);
    expect(tag(sent[1]!.xml, 'Einddatum')).toEqual(['2027-06-30']);
  });

  it('a gemeente hears only about its own clients', async () => {
    const bsn = validBsn(9008);
    const other = validBsn(9009);
    await step('wmo', wmo(G.eigenaar, bsn));
    await step('wmo', wmo(G.buur, other, { n: 2 }));
    await step('ind', io31(bsn));
    await step('ztw', aw33(bsn, { leveringsvorm: '4' }));
    await settle();
    expect(events(G.eigenaar).length).toBeGreaterThan(0);
    expect(events(G.eigenaar).every((e) => e.data.client.bsn === bsn && e.data.gemeente === G.eigenaar)).toBe(
      true,
    );
    expect(received(G.buur)).toEqual([]);
  });

  it('voorstel: nothing is sent until the gemeente confirms; another gemeente cannot confirm it', async () => {
    const bsn = validBsn(9010);
    await step('wmo', wmo(G.voorstel, bsn));
    await step('ind', io31(bsn));
    await step('ztw', aw33(bsn, { leveringsvorm: '4' }));
    await settle();
    const proposal = events(G.voorstel).at(-1)!;
    expect(proposal.data.beeindiging).toMatchObject({ status: 'voorgesteld', einddatum: '2026-12-14' });
    expect(wmo301s(G.voorstel)).toEqual([]);
    const id = proposal.data.beeindiging.id as string;

    await step(
      'opdracht',
      JSON.stringify({ type: 'beeindiging.bevestigen', beeindigingId: id, door: 'M. Medewerker' }),
      {
        gemeente: G.vreemd,
        json: true,
      },
    );
    await settle();
    expect(wmo301s(G.voorstel)).toEqual([]);
    const vreemd = outputs.filter((o) => o.topic.startsWith(`${run}.gemeente.${G.vreemd}.`));
    expect(vreemd.map((o) => JSON.parse(o.value!.toString('utf8')).type)).toEqual([
      'nl.samenloop.opdracht.afgewezen',
    ]);
    expect(vreemd[0]!.value!.toString('utf8')).not.toContain(bsn);

    await step(
      'opdracht',
      JSON.stringify({ type: 'beeindiging.bevestigen', beeindigingId: id, door: 'M. Medewerker' }),
      {
        gemeente: G.voorstel,
        json: true,
      },
    );
    await settle();
    expect(wmo301s(G.voorstel)).toHaveLength(1);
    expect(events(G.voorstel).at(-1)!.data.beeindiging).toMatchObject({ id, status: 'verzonden' });
    // A second confirmation is stale: a rejection, no second WMO301.
    await step(
      'opdracht',
      JSON.stringify({ type: 'beeindiging.bevestigen', beeindigingId: id, door: 'M. Medewerker' }),
      {
        gemeente: G.voorstel,
        json: true,
      },
    );
    await settle();
    expect(wmo301s(G.voorstel)).toHaveLength(1);
    expect(events(G.voorstel).at(-1)!.type).toBe('nl.samenloop.opdracht.afgewezen');
  });

  it('alleen-signaal: the gemeente is told, nothing is ever ended', async () => {
    const bsn = validBsn(9012);
    await step('wmo', wmo(G.signaal, bsn));
    await step('ind', io31(bsn));
    await step('ztw', aw33(bsn, { leveringsvorm: '4' }));
    await settle();
    expect(events(G.signaal).at(-1)!.data.beoordeling).toBe('wlz-voorliggend');
    expect(events(G.signaal).at(-1)!.data.beeindiging).toBeUndefined();
    expect(wmo301s(G.signaal)).toEqual([]);
  });

  it('a VERWIJDERDE_INDICATIE event retracts the signal of a netwerkmodel indicatie', async () => {
    const bsn = validBsn(9013);
    const indicatie = {
      bsn,
      besluitnummer: 300_000_013,
      ingangsdatum: '2026-11-01',
      wlzindicatieID: '1c2d3e4f-0000-4000-8000-000000009013',
    };
    await step('wmo', wmo(G.verwijderd, bsn, { productcategorie: '02', productcode: '02A03' }));
    await step(
      'ind',
      buildNetwerkmodelEvent({
        ...indicatie,
        id: '5f0e0000-0000-4000-8000-000000000001',
        timestamp: '2026-11-02T08:00:00Z',
      }),
      { json: true },
    );
    await settle();
    expect(events(G.verwijderd).map((e) => [e.type, e.data.beoordeling])).toEqual([
      ['nl.samenloop.signaal', 'beoordelen'],
    ]);
    await step(
      'ind',
      buildNetwerkmodelEvent({
        ...indicatie,
        eventType: 'VERWIJDERDE_INDICATIE',
        id: '5f0e0000-0000-4000-8000-000000000002',
        timestamp: '2026-11-05T08:00:00Z',
      }),
      { json: true },
    );
    await settle();
    expect(events(G.verwijderd).map((e) => e.type)).toEqual([
      'nl.samenloop.signaal',
      'nl.samenloop.vervallen',
    ]);
  });

  it('a Wmo toewijzing withdrawn by the gemeente (RedenWijziging 13) retracts its signal', async () => {
    const bsn = validBsn(9014);
    await step('wmo', wmo(G.wmo13, bsn));
    await step('ind', io31(bsn));
    await settle();
    expect(events(G.wmo13).map((e) => e.type)).toEqual(['nl.samenloop.signaal']);
    await step(
      'wmo',
      wmo(G.wmo13, bsn, {
        n: 2,
        dagtekening: '2026-11-20',
        toewijzingsdatum: '2026-11-20',
        einddatum: '2026-01-01',
        redenWijziging: '13',
      }),
    );
    await settle();
    expect(events(G.wmo13).map((e) => e.type)).toEqual(['nl.samenloop.signaal', 'nl.samenloop.vervallen']);
  });

  it('a redelivered or re-sent message changes nothing', async () => {
    const bsn = validBsn(9015);
    const w = wmo(G.dubbel, bsn);
    const i = io31(bsn);
    const z = aw33(bsn, { leveringsvorm: '4' });
    for (const [k, v] of [
      ['wmo', w],
      ['ind', i],
      ['ztw', z],
    ] as const) {
      await step(k, v);
      await step(k, v);
    }
    await step('ind', i);
    await settle();
    const ids = received(G.dubbel).map((o) => o.headers['samenloop-id']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(events(G.dubbel).map((e) => [e.type, e.data.beoordeling])).toEqual([
      ['nl.samenloop.signaal', 'beoordelen'],
      ['nl.samenloop.signaal', 'wlz-voorliggend'],
    ]);
    expect(wmo301s(G.dubbel)).toHaveLength(1);
  });
});
