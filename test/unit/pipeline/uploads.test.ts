/**
 * A gemeente's uploads topic on the pure core (TestDriver): `voorziening` rows become Wmo toewijzingen,
 * `aanvraag` rows aanvragen, signalled at once when the Wlz covers them (the registertoets); a redelivered
 * or re-sent record changes nothing; a bad record is dead-lettered with a reason that holds no value.
 */
import { uploadRecordValue, type UploadRecord } from '../../../services/ingest';
import { TestDriver } from '../../../services/pipeline/driver';
import { gemeenteTopic, inputTopicOf } from '../../../services/topics';
import { buildAw33, buildIo31, invalidBsn, validBsn } from '../../fixtures/builders';

const TODAY = '2026-11-23';
const bsn = validBsn(31);

function setup() {
  const driver = new TestDriver({ SAMENLOOP_TODAY: TODAY });
  const uploads = gemeenteTopic(driver.cfg, '0384', 'uploads');
  const samenloop = gemeenteTopic(driver.cfg, '0384', 'samenloop');
  return { driver, uploads, samenloop };
}

const indicatie = () =>
  buildIo31({
    bsn,
    identificatie: 'CIZ1',
    dagtekening: '2026-11-01',
    besluitnummer: 4001,
    afgiftedatum: '2026-11-01',
    ingangsdatum: '2026-11-01',
    einddatum: null,
    zzps: ['754'],
  });

const record = (regel: number, rij: UploadRecord['rij'], uploadId = 'u-00000000000000a1'): string =>
  uploadRecordValue({ uploadId, regel, uploadDatum: TODAY, rij });

const aanvraag = {
  bsn,
  soort: 'aanvraag',
  productcategorie: '02',
  ingangsdatum: '2026-12-01',
  aanvraagid: 'AV-1',
};

describe('the uploads topic', () => {
  it('an aanvraag row for a client with a Wlz indicatie is signalled at once (registertoets)', async () => {
    const { driver, uploads, samenloop } = setup();
    await driver.pipe(inputTopicOf(driver.cfg, 'indicatiebesluiten'), indicatie());
    const handled = await driver.pipe(uploads, record(2, aanvraag));
    expect(driver.deadLetters).toEqual([]);
    expect(handled.outcome).toBe('applied');
    const [event, ...more] = driver.events(samenloop);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      type: 'nl.samenloop.signaal',
      subject: 'wmo-aanvraag/0384/AV-1',
      data: { gemeente: '0384', wmo: { soort: 'aanvraag', aanvraagId: 'AV-1', productcategorie: '02' } },
    });
  });

  it('an aanvraag of a client without Wlz gives no signal', async () => {
    const { driver, uploads, samenloop } = setup();
    expect((await driver.pipe(uploads, record(2, aanvraag))).outcome).toBe('applied');
    expect(driver.outputsOn(samenloop)).toEqual([]);
  });

  it('a voorziening row is the Wmo toewijzing: wlz-voorliggend once the Wlz verblijf is assigned', async () => {
    const { driver, uploads, samenloop } = setup();
    await driver.pipe(inputTopicOf(driver.cfg, 'indicatiebesluiten'), indicatie());
    await driver.pipe(
      inputTopicOf(driver.cfg, 'zorgtoewijzingen'),
      buildAw33({
        bsn,
        identificatie: 'ZK1',
        dagtekening: '2026-11-10',
        besluitnummer: 4001,
        indicatieAfgiftedatum: '2026-11-01',
        indicatieIngangsdatum: '2026-11-01',
        indicatieEinddatum: null,
        zzpCode: '754',
        leveringsvorm: '4',
        toewijzingsdatum: '2026-11-10',
        toewijzingstijd: '10:00:00',
        ingangsdatum: '2026-12-01',
        einddatum: null,
      }),
    );
    await driver.pipe(
      uploads,
      record(3, {
        bsn,
        soort: 'voorziening',
        toewijzingnummer: '7001',
        productcategorie: '01',
        aanbieder: '99000001',
        ingangsdatum: '2026-01-01',
      }),
    );
    expect(driver.deadLetters).toEqual([]);
    expect(driver.events(samenloop)).toEqual([
      expect.objectContaining({
        subject: 'wmo-toewijzing/0384/7001',
        data: expect.objectContaining({ beoordeling: 'wlz-voorliggend' }),
      }),
    ]);
  });

  it('a redelivered or re-sent record changes nothing and sends nothing again', async () => {
    const { driver, uploads, samenloop } = setup();
    await driver.pipe(inputTopicOf(driver.cfg, 'indicatiebesluiten'), indicatie());
    await driver.pipe(uploads, record(2, aanvraag), { offset: '5' });
    const sent = driver.outputsOn(samenloop).length;
    expect(sent).toBe(1);
    expect((await driver.pipe(uploads, record(2, aanvraag), { offset: '5' })).outcome).toBe('replay');
    expect((await driver.pipe(uploads, record(2, aanvraag), { offset: '9' })).outcome).toBe('duplicate');
    expect(driver.outputsOn(samenloop).length).toBe(sent);
  });

  it.each([
    ['INVALID_JSON', 'not json'],
    ['INVALID_JSON', '{"uploadId":"u-00000000000000a1","uploadId":"u-00000000000000a2"}'],
    ['INVALID_ENVELOPE', JSON.stringify({ ...JSON.parse(record(2, aanvraag)), gemeente: '0363' })],
    ['INVALID_ENVELOPE', JSON.stringify({ ...JSON.parse(record(2, aanvraag)), rij: { [bsn]: 'x' } })],
    ['INVALID_BSN', record(2, { ...aanvraag, bsn: invalidBsn(3) })],
    ['INVALID_AGB', record(2, { ...aanvraag, aanbieder: bsn })],
  ])('a bad record is dead-lettered (%s) with a reason that holds no value', async (code, value) => {
    const { driver, uploads } = setup();
    await driver.pipe(uploads, value);
    expect(driver.deadLetters.map((d) => d.error.code)).toEqual([code]);
    expect(driver.deadLetters[0]!.error.reason).not.toContain(bsn);
    expect(driver.deadLetters[0]!.error.reason).not.toContain(invalidBsn(3));
  });
});
