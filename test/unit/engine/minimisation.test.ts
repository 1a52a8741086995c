/**
 * Data minimisation (issue 10.4; AVG art. 5 and 9, IB-SIG): a gemeente gets only the "dat"-informatie it needs
 * (no zorgprofiel, no besluitnummer, no leveringsvorm code: the woonsituatie instead), each event names its
 * schema version, and the WMO301 to the aanbieder carries no Wlz facts and only the gemeente's own contact data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Fact, WmoToewijzingFact } from '../../../services/domain/facts';
import { NOTIFICATION_DATASCHEMA } from '../../../services/messages/cloudevents';
import { evaluate } from './rendered';
import { BSN, client, ctx, GEMEENTE, indicatie, toewijzing, zorgtoewijzing } from './factories';
import { beeindigingen, events, parseWmo301, validateNotification, wmo301Problems } from './helpers';

const wmo = (facts: Fact[]) => facts.filter((f): f is WmoToewijzingFact => f.type === 'wmo-toewijzing');
const auto = () => ctx({ policies: { [GEMEENTE]: 'automatisch' } });

describe('the notification', () => {
  // ZZP 884 (3GGZ W) reveals a psychiatric condition: health data
  const facts = [
    indicatie({ zzp: '884', besluitnummer: '123456789' }),
    zorgtoewijzing({ code: '884', besluitnummer: '123456789', leveringsvorm: '4' }),
    toewijzing(),
  ];
  const [ev] = events(evaluate(BSN, facts, undefined, ctx()).outputs);

  it('carries no zorgprofiel, besluitnummer or leveringsvorm, only dates and the woonsituatie', () => {
    expect(ev!.data.wlz).toEqual({
      afgiftedatum: '2026-01-15',
      ingangsdatum: '2026-01-15',
      einddatum: null,
      woonsituatie: 'instelling',
      zorgtoewijzingIngangsdatum: '2026-04-01',
    });
    const text = JSON.stringify(ev);
    expect(text).not.toContain('884');
    expect(text).not.toContain('123456789');
    expect(text).not.toMatch(/"(zorgprofielen|besluitnummer|leveringsvorm)":/);
  });

  it.each([
    ['4', 'instelling'],
    ['5', 'thuis'],
    ['7', 'thuis'],
    ['2', 'thuis'],
    ['8', 'deeltijd'],
    ['9', 'onbekend'],
  ])('leveringsvorm %s is woonsituatie %s', (leveringsvorm, woonsituatie) => {
    const r = evaluate(BSN, [indicatie(), zorgtoewijzing({ leveringsvorm }), toewijzing()], undefined, ctx());
    expect(events(r.outputs)[0]!.data.wlz).toMatchObject({ woonsituatie });
  });

  it('an indicatie without zorgtoewijzing: woonsituatie onbekend; a functie: thuis', () => {
    const alleen = evaluate(BSN, [indicatie(), toewijzing()], undefined, ctx());
    expect(events(alleen.outputs)[0]!.data.wlz).toMatchObject({
      woonsituatie: 'onbekend',
      zorgtoewijzingIngangsdatum: null,
    });
    const functie = zorgtoewijzing({ soort: 'functie', code: '21', leveringsvorm: '' });
    const r = evaluate(BSN, [indicatie(), functie, toewijzing()], undefined, ctx());
    expect(events(r.outputs)[0]!.data.wlz).toMatchObject({ woonsituatie: 'thuis' });
  });

  it('names its schema version in dataschema, the $id of schemas/notification.schema.json', () => {
    const schema = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../../schemas/notification.schema.json'), 'utf8'),
    ) as { $id: string };
    expect(ev!.dataschema).toBe(NOTIFICATION_DATASCHEMA);
    expect(schema.$id).toBe(NOTIFICATION_DATASCHEMA);
    expect(NOTIFICATION_DATASCHEMA).toBe('urn:samenloop:schema:notification:2');
  });

  it('the schema rejects the old fields and an event without dataschema', () => {
    const wlz = { ...ev!.data.wlz, zorgprofielen: ['884'] };
    expect(validateNotification({ ...ev, data: { ...ev!.data, wlz } })).toBe(false);
    const { dataschema: _, ...zonder } = ev!;
    expect(validateNotification(zonder)).toBe(false);
  });
});

describe('the WMO301 to the aanbieder', () => {
  const wlzContact = {
    soort: '03',
    huisnummer: '99',
    postcode: '9999ZZ',
    straatnaam: 'Instellingslaan',
    plaatsnaam: 'Zorgdorp',
    landCode: 'NL',
    telefoonnummer: '0612345678',
    landnummer: '0031',
  };
  const wlzClient = { ...client(), contactgegevens: [wlzContact] };

  it('carries no Wlz facts in its Commentaar', () => {
    const facts = [indicatie(), zorgtoewijzing(), toewijzing()];
    const [bericht] = beeindigingen(evaluate(BSN, facts, undefined, auto()).outputs);
    expect(wmo301Problems(bericht!, wmo(facts))).toEqual([]);
    const p = parseWmo301(bericht!.value!).producten[0]!;
    expect(p.commentaar).toBe('Einddatum gewijzigd door de gemeente');
    expect(bericht!.value).not.toMatch(/Wlz|2026-04-01/);
  });

  it('takes the contact data only from what the gemeente sent, never from the CIZ or zorgkantoor', () => {
    const eigen = toewijzing({ client: { ...client(), contactgegevens: [] } });
    delete eigen.client.contactgegevens;
    const facts = [indicatie({ client: wlzClient }), zorgtoewijzing({ client: wlzClient }), eigen];
    const [bericht] = beeindigingen(evaluate(BSN, facts, undefined, auto()).outputs);
    // valid against the XSD; without any contact of the gemeente's own the Contact is Soort 01 alone, which
    // TR061/TR006 do not accept (README: a gemeente that only uploads CSV rows should send its WMO301 copies)
    expect(wmo301Problems(bericht!, wmo(facts)).filter((p) => p.startsWith('XSD'))).toEqual([]);
    expect(bericht!.value).not.toContain('Instellingslaan');
    expect(bericht!.value).not.toContain('9999ZZ');
    expect(bericht!.value).not.toContain('0612345678');
  });

  it('uses the gemeente’s own contact data when it has them', () => {
    const facts = [indicatie({ client: wlzClient }), zorgtoewijzing({ client: wlzClient }), toewijzing()];
    const [bericht] = beeindigingen(evaluate(BSN, facts, undefined, auto()).outputs);
    expect(bericht!.value).toContain('Voorbeeldstraat');
    expect(bericht!.value).not.toContain('Instellingslaan');
  });
});
