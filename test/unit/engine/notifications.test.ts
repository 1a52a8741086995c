/** Notifications: the CloudEvents envelope and schema, deterministic ids, and what each gemeente may see. */
import { evaluate } from './rendered';
import {
  AANBIEDER2,
  aanvraag,
  BSN,
  client,
  ctx,
  GEMEENTE,
  GEMEENTE2,
  indicatie,
  toewijzing,
  zorgtoewijzing,
} from './factories';
import { events, validateNotification } from './helpers';

describe('notification envelope', () => {
  const r = evaluate(BSN, [indicatie(), zorgtoewijzing(), toewijzing()], undefined, ctx());
  const [ev] = events(r.outputs);

  it('is CloudEvents 1.0 structured JSON, valid against schemas/notification.schema.json', () => {
    expect(ev).toMatchObject({
      specversion: '1.0',
      source: 'urn:samenloop:test',
      type: 'nl.samenloop.signaal',
      subject: 'wmo-toewijzing/0363/123456',
      time: '2026-03-02T09:15:00+01:00',
      datacontenttype: 'application/json',
    });
    expect(validateNotification(ev)).toBe(true);
    expect(r.outputs[0]).toMatchObject({
      channel: 'samenloop',
      gemeente: GEMEENTE,
      key: ev!.subject,
      id: ev!.id,
    });
  });

  it('carries the BSN only in data.client', () => {
    expect(ev!.data.client).toEqual({ bsn: BSN, naam: 'A.B. van Testpersoon', geboortedatum: '1938-04-02' });
    const { data, ...envelope } = ev!;
    expect(JSON.stringify(envelope)).not.toContain(BSN);
    expect(JSON.stringify({ ...data, client: undefined })).not.toContain(BSN);
  });

  it('the schema rejects extra data, a BSN-less client, or a bad type', () => {
    expect(validateNotification({ ...ev, data: { ...ev!.data, adres: 'x' } })).toBe(false);
    expect(
      validateNotification({ ...ev, data: { ...ev!.data, client: { naam: null, geboortedatum: null } } }),
    ).toBe(false);
    expect(validateNotification({ ...ev, type: 'nl.samenloop.iets' })).toBe(false);
    expect(validateNotification({ ...ev, time: '2026-03-02' })).toBe(false);
  });

  it('ids are deterministic from the content and the previous event on the subject', () => {
    const again = evaluate(
      BSN,
      [indicatie(), zorgtoewijzing(), toewijzing()],
      undefined,
      ctx({ now: '2026-03-02T18:00:00+01:00' }),
    );
    expect(again.outputs[0]!.id).toBe(ev!.id);
    expect(ev!.id).toMatch(/^sl-[0-9a-f]{32}$/);
  });
});

describe('what each gemeente may see', () => {
  const naamA = { ...client(), naam: { achternaam: 'Eerst', voorletters: 'A' } };
  const naamB = { ...client(), naam: { achternaam: 'Tweede', voorletters: 'B' } };
  const facts = [
    indicatie(),
    zorgtoewijzing(),
    toewijzing({ client: naamA }),
    toewijzing({ gemeente: GEMEENTE2, toewijzingnummer: '777', aanbieder: AANBIEDER2, client: naamB }),
  ];
  const r = evaluate(BSN, facts, undefined, ctx({ policies: { [GEMEENTE2]: 'automatisch' } }));

  it('each gemeente gets only the decisions on its own toewijzingen, with its own data', () => {
    const byGemeente = new Map<string, string[]>();
    for (const o of r.outputs) byGemeente.set(o.gemeente, [...(byGemeente.get(o.gemeente) ?? []), o.value!]);
    expect([...byGemeente.keys()].sort()).toEqual([GEMEENTE, GEMEENTE2]);
    const a = byGemeente.get(GEMEENTE)!.join('\n');
    const b = byGemeente.get(GEMEENTE2)!.join('\n');
    expect(a).toContain('Eerst');
    expect(a).not.toContain('Tweede');
    expect(a).not.toContain('777');
    expect(a).not.toContain(AANBIEDER2);
    expect(b).toContain('Tweede');
    expect(b).not.toContain('Eerst');
    expect(b).not.toContain('123456');
    for (const ev of events(r.outputs)) expect(ev.subject.split('/')[1]).toBe(ev.data.gemeente);
    for (const o of r.outputs) {
      if (o.channel === 'samenloop') expect(JSON.parse(o.value!).data.gemeente).toBe(o.gemeente);
    }
  });

  it('a gemeente without a Wmo toewijzing or aanvraag for the client gets nothing', () => {
    expect(evaluate(BSN, [indicatie(), zorgtoewijzing()], undefined, ctx()).outputs).toEqual([]);
    const alleenB = evaluate(
      BSN,
      [indicatie(), zorgtoewijzing(), aanvraag({ gemeente: GEMEENTE2 })],
      undefined,
      ctx(),
    );
    expect(alleenB.outputs.map((o) => o.gemeente)).toEqual([GEMEENTE2]);
  });

  it('personal data for a gemeente never comes from another gemeente’s facts', () => {
    const kaal = toewijzing({ client: { bsn: BSN } });
    const x = evaluate(BSN, [zorgtoewijzing({ client: { bsn: BSN } }), kaal, facts[3]!], undefined, ctx());
    const a = events(x.outputs).find((e) => e.data.gemeente === GEMEENTE)!;
    expect(a.data.client).toEqual({ bsn: BSN, naam: null, geboortedatum: null });
  });
});

describe('the diff', () => {
  it('a changed decision is a new signal on the same subject; a retraction is vervallen', () => {
    const s1 = evaluate(BSN, [indicatie(), toewijzing()], undefined, ctx());
    expect(events(s1.outputs).map((e) => [e.type, e.data.beoordeling])).toEqual([
      ['nl.samenloop.signaal', 'beoordelen'],
    ]);
    const s2 = evaluate(BSN, [indicatie(), zorgtoewijzing(), toewijzing()], s1.state, ctx());
    expect(events(s2.outputs).map((e) => [e.type, e.subject, e.data.beoordeling])).toEqual([
      ['nl.samenloop.signaal', 'wmo-toewijzing/0363/123456', 'wlz-voorliggend'],
    ]);
    const s3 = evaluate(
      BSN,
      [indicatie({ status: 'verwijderd' }), zorgtoewijzing(), toewijzing()],
      s2.state,
      ctx(),
    );
    expect(events(s3.outputs).map((e) => [e.type, e.subject])).toEqual([
      ['nl.samenloop.vervallen', 'wmo-toewijzing/0363/123456'],
    ]);
    expect(s3.state.decisions).toEqual({});
  });

  it('toegestaan decisions produce nothing', () => {
    const regiotaxi = toewijzing({ productcategorie: '08', productcode: '08A01' });
    expect(
      evaluate(BSN, [indicatie(), zorgtoewijzing({ leveringsvorm: '9' }), regiotaxi], undefined, ctx())
        .outputs,
    ).toEqual([]);
  });
});
