/**
 * Per-gemeente productcode rules (issue 10.5, rules UITZ-PRODUCTCODE and VERVOER-DAGBESTEDING): a gemeente
 * maps its own productcode (e.g. vervoer naar dagbesteding, categorie 08) to the rule row of another
 * categorie; the file is validated at start and applied before the categorie.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '../../../services/config';
import type { ProductcodeRegels } from '../../../services/domain/productcodes';
import { TestDriver } from '../../../services/pipeline/driver';
import { buildAw33, buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';
import { validateXml } from '../../support/xsd';
import { decide } from './rendered';
import { indicatie, toewijzing, TODAY, zorgtoewijzing } from './factories';

const REGELS: ProductcodeRegels = {
  '0363': [{ productcategorie: '08', productcode: '08D01', alsCategorie: '07' }],
};
const dagbestedingVervoer = toewijzing({ productcategorie: '08', productcode: '08D01' });
const regiotaxi = toewijzing({ toewijzingnummer: '2', productcategorie: '08', productcode: '08R01' });

describe('productcode rules in decide()', () => {
  it('without a rule, 08 beside a zorgtoewijzing that may include dagbesteding is beoordelen', () => {
    const [d] = decide([indicatie(), zorgtoewijzing({ leveringsvorm: '4' }), dagbestedingVervoer], TODAY);
    expect(d).toMatchObject({ beoordeling: 'beoordelen', regel: { id: 'SL-08-VERBLIJF' } });
    expect(d!.voorstel).toBeUndefined();
  });

  it('a mapped productcode is judged by the row of its categorie, before the categorie; other codes are not', () => {
    const ds = decide(
      [indicatie(), zorgtoewijzing({ leveringsvorm: '4' }), dagbestedingVervoer, regiotaxi],
      TODAY,
      REGELS,
    );
    const mapped = ds.find((d) => d.wmo.productcode === '08D01')!;
    expect(mapped).toMatchObject({ beoordeling: 'wlz-voorliggend', regel: { id: 'SL-07-VERBLIJF' } });
    expect(mapped.regel.omschrijving).toContain('Productcode 08D01 (categorie 08)');
    expect(mapped.wmo.productcategorie).toBe('08');
    expect(mapped.voorstel).toBeDefined();
    expect(ds.find((d) => d.wmo.productcode === '08R01')).toMatchObject({ regel: { id: 'SL-08-VERBLIJF' } });
  });

  it('applies only to the gemeente that made the rule', () => {
    const ander = toewijzing({ gemeente: '0599', productcategorie: '08', productcode: '08D01' });
    const [d] = decide([indicatie(), zorgtoewijzing({ leveringsvorm: '4' }), ander], TODAY, REGELS);
    expect(d).toMatchObject({ regel: { id: 'SL-08-VERBLIJF' } });
  });
});

describe('PRODUCTCODE_REGELS (configuration)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'productcodes-'));
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('reads and validates the file at start', () => {
    const p = file('ok.json', JSON.stringify(REGELS));
    expect(loadConfig({ PRODUCTCODE_REGELS: p }).PRODUCTCODE_REGELS).toEqual(REGELS);
    expect(loadConfig({}).PRODUCTCODE_REGELS).toBeUndefined();
  });

  it.each([
    ['not JSON', '{'],
    ['a bad gemeentecode', JSON.stringify({ '363': REGELS['0363'] })],
    [
      'an unknown categorie',
      JSON.stringify({ '0363': [{ productcategorie: '08', productcode: '08D01', alsCategorie: '19' }] }),
    ],
    [
      'a too long productcode',
      JSON.stringify({ '0363': [{ productcategorie: '08', productcode: '08D012', alsCategorie: '07' }] }),
    ],
    ['an unknown field', JSON.stringify({ '0363': [{ ...REGELS['0363']![0], extra: 1 }] })],
    ['the same code twice', JSON.stringify({ '0363': [REGELS['0363']![0], REGELS['0363']![0]] })],
  ])('rejects %s, naming the variable', (_what, content) => {
    const p = file(`bad-${_what.replace(/\W/g, '')}.json`, content);
    expect(() => loadConfig({ PRODUCTCODE_REGELS: p })).toThrow(ConfigError);
    expect(() => loadConfig({ PRODUCTCODE_REGELS: p })).toThrow(/PRODUCTCODE_REGELS/);
  });

  it('rejects a missing file', () => {
    expect(() => loadConfig({ PRODUCTCODE_REGELS: path.join(dir, 'nope.json') })).toThrow(
      /PRODUCTCODE_REGELS/,
    );
  });

  it('the TestDriver applies it to real messages: a mapped 08 code is ended, the regiotaxi only signalled', async () => {
    const today = '2026-11-23';
    const p = file(
      'driver.json',
      JSON.stringify({ '0384': [{ productcategorie: '08', productcode: '08D01', alsCategorie: '07' }] }),
    );
    const d = new TestDriver({
      SAMENLOOP_TODAY: today,
      PRODUCTCODE_REGELS: p,
      DEFAULT_POLICY: 'automatisch',
    });
    const bsn = validBsn(1);
    await d.pipe(
      'wlz.indicatiebesluiten',
      buildIo31({ bsn, ingangsdatum: '2026-11-01', afgiftedatum: '2026-11-01' }),
    );
    await d.pipe('wlz.zorgtoewijzingen', buildAw33({ bsn, ingangsdatum: '2026-12-01', leveringsvorm: '4' }));
    await d.pipe(
      'gemeente.0384.toewijzingen',
      buildWmo301({
        bsn,
        producten: [
          { toewijzingnummer: 1, productcategorie: '08', productcode: '08D01', ingangsdatum: '2026-01-01' },
          { toewijzingnummer: 2, productcategorie: '08', productcode: '08R01', ingangsdatum: '2026-01-01' },
        ],
      }),
    );
    expect(d.deadLetters).toEqual([]);
    const signalen = d.events('gemeente.0384.samenloop') as Array<{
      subject: string;
      data: { beoordeling: string; regel: { id: string } };
    }>;
    const laatste = new Map(signalen.map((e) => [e.subject, [e.data.beoordeling, e.data.regel.id]]));
    expect(laatste.get('wmo-toewijzing/0384/1')).toEqual(['wlz-voorliggend', 'SL-07-VERBLIJF']);
    expect(laatste.get('wmo-toewijzing/0384/2')).toEqual(['beoordelen', 'SL-08-VERBLIJF']);
    const [bericht, ...rest] = d.outputsOn('gemeente.0384.beeindigingen');
    expect(rest).toEqual([]);
    expect(validateXml('WMO301', bericht!.value!)).toMatchObject({ valid: true });
    expect(bericht!.value).toMatch(
      /<[\w:]*ToewijzingNummer>1<\/[\w:]*ToewijzingNummer>[\s\S]*?<[\w:]*RedenWijziging>06</,
    );
  });
});
