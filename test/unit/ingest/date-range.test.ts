import { parseCsv, parseMessage } from '../../../services/ingest';
import { PLAUSIBLE_DATES } from '../../../services/domain/dates';
import {
  buildAw33,
  buildCsv,
  buildIo31,
  buildNetwerkmodelEvent,
  buildWmo301,
  validBsn,
} from '../../fixtures/builders';

/**
 * Every date of every input format lies within 1900-01-01..2199-12-31 (services/domain/dates.ts), or the
 * message is INVALID_DATE: a date of year 1 once passed decode and made the engine's date arithmetic
 * throw on every attempt, which stopped its partition (a poison record).
 */
const OUTSIDE = ['0001-01-01', '1899-12-31', '2200-01-01', '9999-12-31'];
const EDGES = [PLAUSIBLE_DATES.from, PLAUSIBLE_DATES.to];

const code = (topic: Parameters<typeof parseMessage>[0], text: string, json = false) => {
  const r = parseMessage(topic, text, json ? { 'content-type': 'application/json' } : {});
  return r.ok ? 'OK' : r.error.code;
};

describe('the accepted dates', () => {
  it.each(OUTSIDE)('%s is INVALID_DATE in IO31, AW33, WMO301, netwerkmodel and CSV', (d) => {
    expect(code('indicatiebesluiten', buildIo31({ ingangsdatum: d, afgiftedatum: '2024-01-01' }))).toBe(
      'INVALID_DATE',
    );
    expect(code('indicatiebesluiten', buildIo31({ geboortedatum: d }))).toBe('INVALID_DATE');
    expect(code('zorgtoewijzingen', buildAw33({ ingangsdatum: d, toewijzingsdatum: '2024-01-01' }))).toBe(
      'INVALID_DATE',
    );
    expect(code('wmo-toewijzingen', buildWmo301({ einddatum: d }))).toBe('INVALID_DATE');
    expect(code('wmo-toewijzingen', buildWmo301({ dagtekening: d }))).toBe('INVALID_DATE');
    const vervallen = buildNetwerkmodelEvent({ eventType: 'VERVALLEN_INDICATIE', vervaldatum: d });
    expect(code('indicatiebesluiten', vervallen, true)).toBe('INVALID_DATE');
    const csv = parseCsv(
      '0384',
      buildCsv([
        {
          bsn: validBsn(1),
          soort: 'voorziening',
          toewijzingnummer: '1',
          productcategorie: '01',
          aanbieder: '99000001',
          ingangsdatum: d,
        },
      ]),
      'u.csv',
    );
    expect(csv.ok && (csv.rows[0]?.ok ? 'OK' : csv.rows[0]?.error.code)).toBe('INVALID_DATE');
  });

  it.each(EDGES)('%s is accepted', (d) => {
    expect(
      code(
        'wmo-toewijzingen',
        buildWmo301({ geboortedatum: '1900-01-01', ingangsdatum: '1900-01-01', einddatum: d }),
      ),
    ).toBe('OK');
  });

  it('the reason names the element and the range, not the value', () => {
    const r = parseMessage('wmo-toewijzingen', buildWmo301({ einddatum: '0001-01-01' }));
    expect(r.ok ? '' : r.error.reason).toMatch(
      /^Einddatum of .* is outside the accepted dates 1900-01-01 to 2199-12-31$/,
    );
  });

  it.each([
    ['9999-12-31T23:59:59-23:59', 'an offset pushing the moment past year 9999'],
    ['0001-01-01T00:00:00Z', 'year 1'],
    ['1900-01-01T00:30:00+01:00', 'an offset pulling the moment before 1900'],
  ])('a netwerkmodel timestamp %s is rejected (%s)', (timestamp) => {
    expect(code('indicatiebesluiten', buildNetwerkmodelEvent({ timestamp }), true)).toBe('INVALID_ENVELOPE');
  });
});
