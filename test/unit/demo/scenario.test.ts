import { demoOffline } from '../../../demo/offline';
import { demoScenario } from '../../../demo/scenario';
import { summaryLines } from '../../../demo/summary';
import { addDays, daysBetween } from '../../../services/domain/dates';
import { validateXml } from '../../support/xsd';

/**
 * The demo tells the same story on any day: its messages are dated relative to the processing day, so
 * runs years apart give the same signals and the same beëindiging, each at the same distance from that day.
 */
const DAYS = ['2026-11-23', '2029-06-15', '2031-03-14', '2040-02-29'];

/** Every date in a summary line as its distance from the processing day, e.g. `today+13`. */
function relative(lines: string[], today: string): string[] {
  return lines.map((l) =>
    l.replace(/\d{4}-\d{2}-\d{2}/g, (d) => {
      const n = daysBetween(today, d);
      return n === 0 ? 'today' : `today${n > 0 ? '+' : ''}${n}`;
    }),
  );
}

describe('the demo scenario', () => {
  it.each(DAYS)('is XSD-valid on %s, in and out', async (day) => {
    for (const step of demoScenario(day)) {
      const message = /<(\w+:)?Bericht[^>]*xmlns(:\w+)?="[^"]*\/(io31|aw33|wmo301)\/schema"/.exec(
        step.xml,
      )?.[3];
      expect(message).toBeDefined();
      const r = validateXml(message!.toUpperCase(), step.xml);
      expect(r.output).toBe(r.valid ? r.output : '');
      expect(r.valid).toBe(true);
    }
    for (const o of await demoOffline(day)) {
      if (o.channel === 'beeindigingen') expect(validateXml('WMO301', o.value).valid).toBe(true);
    }
  });

  it('gives the same signals and beëindiging on dates years apart', async () => {
    const summaries = await Promise.all(
      DAYS.map(async (d) => relative(summaryLines(await demoOffline(d)), d)),
    );
    for (const s of summaries.slice(1)) expect(s).toEqual(summaries[0]);
    expect(summaries[0]).toEqual([
      'gemeente 9998:',
      '  signaal beoordelen for H. Bakker, toewijzing 9801 (categorie 01, aanbieder 99000001), rule SL-01-GEEN',
      '  signaal wlz-voorliggend for H. Bakker, toewijzing 9801 (categorie 01, aanbieder 99000001), rule SL-01-VERBLIJF; beëindiging verzonden per today+6',
      '  WMO301 sent to aanbieder 99000001: toewijzing 9801 ends today+6 (RedenWijziging 06)',
      'gemeente 9999:',
      '  signaal beoordelen for M. Jansen, toewijzing 9001 (categorie 01, aanbieder 99000001), rule SL-01-GEEN',
      '  signaal wlz-voorliggend for M. Jansen, toewijzing 9001 (categorie 01, aanbieder 99000001), rule SL-01-VERBLIJF; beëindiging voorgesteld per today+13',
    ]);
  });

  it('dates its messages relative to the processing day', () => {
    const a = demoScenario('2026-11-23').map((s) => s.xml);
    const b = demoScenario(addDays('2026-11-23', 1000)).map((s) => s.xml);
    expect(a).not.toEqual(b);
    expect(a.join('')).toContain(addDays('2026-11-23', 14));
    expect(b.join('')).toContain(addDays('2026-11-23', 1014));
  });
});
