import { gemeentenVanClaim as claimsToGemeenten, medewerker } from '../../../services/console/claims';
import { escapeHtml, html, safeHref } from '../../../services/console/html';
import { werkvoorraad } from '../../../services/console/filters';
import { parseMelding, project } from '../../../services/console/model';
import { regelUitleg } from '../../../services/console/rule-text';
import { signaalPagina } from '../../../services/console/views/signaal';
import { parseVerslagCsv, verslagPagina } from '../../../services/console/views/uploaden';
import { werkvoorraadPagina } from '../../../services/console/views/werkvoorraad';
import { BOM, csvLine } from '../../../services/cli/csv-out';
import { signaal } from './fixtures';

const HOSTILE = '<img src=x onerror=alert(1)>"\'&`';
const ctx = {
  titel: '',
  gemeente: '9999',
  csrf: 'tok"en',
  gebruiker: { naam: HOSTILE, gemeenten: ['9999'] },
};

function hostileDoc() {
  const p = parseMelding(signaal({ naam: HOSTILE, status: 'voorgesteld', besluit: undefined }), '9999');
  if (!p.ok) throw new Error(p.reason);
  return project(undefined, p.melding, 'test-secret-of-sixteen+');
}

describe('the console views (pure)', () => {
  it('escape every value; only html`` is kept as markup', () => {
    expect(escapeHtml(HOSTILE)).toBe('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;&#96;');
    expect(html`<p>${HOSTILE}</p>`.value).toBe(`<p>${escapeHtml(HOSTILE)}</p>`);
    expect(html`<p>${html`<b>${'<i>'}</b>`}</p>`.value).toBe('<p><b>&lt;i&gt;</b></p>');
    expect(safeHref('javascript:alert(1)')).toBe('#');
    expect(safeHref('//evil.example')).toBe('#');
    expect(safeHref('https://www.regelhulp.nl/x')).toBe('https://www.regelhulp.nl/x');
  });

  it('the werkvoorraad and signaal pages never carry a hostile value as markup', () => {
    const doc = hostileDoc();
    const pages = [
      werkvoorraadPagina(ctx, werkvoorraad([doc], {}, new Date('2026-11-23T12:00:00Z')), {}, new Date())
        .value,
      signaalPagina(ctx, { doc, uitleg: regelUitleg('SL-01-VERBLIJF'), weigeringen: [] }).value,
    ];
    for (const page of pages) {
      expect(page).not.toContain('<img');
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(page).toContain('lang="nl"');
    }
    expect(pages[1]).toContain('value="tok&quot;en"');
    expect(pages[1]).toContain('Beëindiging bevestigen');
    expect(pages[1]).toContain('regelhulp.nl');
  });

  it("the processor's answer: a refused command with its reason, or the decision with who made it", () => {
    const doc = hostileDoc();
    const refused = signaalPagina(ctx, {
      doc,
      uitleg: null,
      weigeringen: [
        {
          id: 'sl-9',
          time: '2026-11-23T10:00:00Z',
          type: 'beeindiging.bevestigen',
          door: 'A <b>',
          reden: 'BEEINDIGING_GEWIJZIGD: <i>',
        },
      ],
      wachtOp: 'bevestigen',
    }).value;
    expect(refused).toContain('data-uitkomst="geweigerd"');
    expect(refused).toContain(
      'De verwerking weigerde het besluit van A &lt;b&gt;: BEEINDIGING_GEWIJZIGD: &lt;i&gt;',
    );
    expect(refused).toContain('data-wacht=""');
    const waiting = signaalPagina(ctx, { doc, uitleg: null, weigeringen: [], wachtOp: 'afwijzen' }).value;
    expect(waiting).toContain('data-wacht="1"');
    expect(waiting).toContain('Uw besluit (afwijzen) is verstuurd');
    expect(waiting).not.toContain('Beëindiging bevestigen</button>');
  });

  it('the rule of a notification in plain Dutch, with grond and sources', () => {
    const r = regelUitleg('SL-01-VERBLIJF');
    expect(r?.titel).toMatch(
      /^Hulp bij het huishouden \(categorie 01\) naast Verblijf \(4\): de Wlz gaat voor/,
    );
    expect(r?.grond).toMatch(/Wlz-zorg omvat huishoudelijke hulp/);
    expect(r?.bronnen.map((b) => b.id)).toContain('RH-SL');
    expect(regelUitleg('SL-OVERLEDEN')?.bronnen.length).toBeGreaterThan(0);
    expect(regelUitleg('SL-99-NOPE')).toBeNull();
  });

  it('reads the verwerkingsverslag the import writes and shows it escaped', () => {
    const csv =
      BOM +
      csvLine(['regel', 'veld', 'code', 'reden']) +
      csvLine([3, 'bsn', 'INVALID_BSN', 'bsn of row 3: "x; y" <b>']) +
      '\r\n' +
      csvLine(['', 'rijen', '', 3]) +
      csvLine(['', 'afgewezen', '', 1]);
    const v = parseVerslagCsv(csv);
    expect(v.fouten).toEqual([
      { regel: '3', veld: 'bsn', code: 'INVALID_BSN', reden: 'bsn of row 3: "x; y" <b>' },
    ]);
    expect(v.samenvatting).toEqual([
      ['rijen', '3'],
      ['afgewezen', '1'],
    ]);
    const page = verslagPagina(ctx, {
      uploadId: 'u-0123456789abcdef',
      bestandsnaam: '<x>.csv',
      tijd: '2026-11-23T10:00:00Z',
      door: 'A',
      ...v,
    }).value;
    expect(page).toContain('&lt;b&gt;');
    expect(page).toContain('&lt;x&gt;.csv');
    expect(page).toContain('Het BSN is ongeldig (9 cijfers, elfproef).');
  });

  it('the gemeente claim gives only the gemeenten this console serves', () => {
    expect(claimsToGemeenten(['9999', '1234', 'x', 9998], ['9999', '9998'])).toEqual(['9999']);
    expect(claimsToGemeenten('9998 9999', ['9999', '9998'])).toEqual(['9998', '9999']);
    expect(claimsToGemeenten(undefined, ['9999'])).toEqual([]);
  });
});

describe('the medewerker as door', () => {
  it('name and subject id, no control characters, at most 100 characters', () => {
    expect(medewerker('Anna Jansen-de Wit', 'consulent-9999')).toBe('Anna Jansen-de Wit (consulent-9999)');
    expect(medewerker('', 'consulent-9999')).toBe('consulent-9999');
    expect(medewerker('A\nB\u0007', 's')).toBe('A B (s)');
    expect(medewerker('x'.repeat(300), 's')).toHaveLength(100);
  });
});
