/**
 * Browser tests of the gemeente's console (npm run test:e2e): Debian's Chromium driven by playwright-core,
 * against the real Kafka and Redis, the real processor, the console and the local OpenID Connect provider
 * (infra/oidc.ts), all in this process on their own topics, group ids and Redis prefixes. Every page is
 * checked with axe-core (WCAG 2.1 A/AA). CONSOLE_SCREENSHOTS=<dir> saves a screenshot of each page there
 * (docs/console/ in the repository: npm run console:screenshots).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Partitioners, type Kafka } from 'kafkajs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startOidcProvider, type RunningOidc } from '../../infra/oidc';
import { loadConfig } from '../../services/config';
import { loadConsoleConfig } from '../../services/console/config';
import { startConsole, type RunningConsole } from '../../services/console/main';
import { pseudonym } from '../../services/domain/pseudonym';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { gemeenteTopic } from '../../services/topics';
import { cliEnv, samenloop } from '../support/cli';
import { topicOf } from '../support/topics';
import { collect, testKafka, waitFor, type Collected } from '../support/kafka';
import { E2E_CLIENTS, E2E_POLICIES, e2eScenario } from './scenario';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CONSOLE_PORT = Number(process.env.E2E_CONSOLE_PORT ?? 19210);
const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 19211);
const BASE = `http://localhost:${CONSOLE_PORT}`;
const SHOTS = process.env.CONSOLE_SCREENSHOTS;
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TODAY = '2026-11-23';

const { run, env } = cliEnv({
  GEMEENTE_POLICIES: E2E_POLICIES,
  SAMENLOOP_TODAY: TODAY,
  GEMEENTEN: '9999,9998',
});
const cfg = loadConfig(env);
const consoleEnv = {
  ...env,
  CONSOLE_PORT: String(CONSOLE_PORT),
  CONSOLE_BASE_URL: BASE,
  OIDC_ISSUER: `http://localhost:${OIDC_PORT}`,
  CONSOLE_REDIS_PREFIX: `${run}-console:`,
  CONSOLE_GROUP_ID: `${run}-console`,
  CONSOLE_GEMEENTEN: '9999,9998',
  CONSOLE_LOGIN_RATE_MAX: '30',
};

let service: SamenloopService;
let oidc: RunningOidc;
let console_: RunningConsole;
let browser: Browser;
let contextA: BrowserContext;
let page: Page;
let kafka: Kafka;
let records: Collected[];
let stopCollect: () => Promise<void>;

async function axe(p: Page, what: string): Promise<void> {
  const violations = (await p.evaluate(`(async () => { ${AXE}
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  })()`)) as unknown[];
  assert.deepEqual(violations, [], `axe-core on ${what}: ${JSON.stringify(violations)}`);
}

async function shot(p: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function login(p: Page, user: string, password: string): Promise<void> {
  await p.goto(`${BASE}/inloggen`);
  await p.getByRole('link', { name: 'Inloggen bij de gemeente' }).click();
  await p.getByLabel('Gebruikersnaam').fill(user);
  await p.getByLabel('Wachtwoord').fill(password);
  await p.getByRole('button', { name: 'Inloggen' }).click();
  await p.waitForURL(/\/g\/\d{4}\/werkvoorraad$/);
}

/** Navigates to a URL that must not be found: Chromium shows its own error page for an empty 404. */
async function notFoundInBrowser(p: Page, url: string): Promise<void> {
  const response = p.waitForResponse((r) => r.url() === `${BASE}${url}`);
  await p.goto(`${BASE}${url}`).catch(() => undefined);
  assert.equal((await response).status(), 404, url);
  const shown = await waitFor(() => p.content(), 10000, 100, 'the error page');
  for (const c of Object.values(E2E_CLIENTS)) assert.ok(!shown.includes(c.bsn), `${url} shows no client`);
  assert.doesNotMatch(shown, /Bakker|Jansen/);
  // the same request from the page's own script (its session cookie): nothing in the body
  await p.goto(`${BASE}/static/console.css`); // any page of the origin (not a rate-limited login route)
  const [status, body] = (await p.evaluate(
    (u) => fetch(u, { credentials: 'same-origin' }).then(async (r) => [r.status, await r.text()]),
    url,
  )) as [number, string];
  assert.deepEqual([status, body], [404, ''], url);
}

/** A property of the focused element (the tests have no DOM types: the expression runs in the page). */
const focused = (p: Page, prop: 'id' | 'textContent') =>
  p.evaluate(`document.activeElement ? document.activeElement.${prop} : null`) as Promise<string | null>;

const json = (r: Collected) => JSON.parse(r.value!.toString('utf8')) as Record<string, unknown>;
const topic = (g: string, c: 'samenloop' | 'beeindigingen' | 'opdrachten' | 'uploads') =>
  gemeenteTopic(cfg, g, c);

describe('the console in a real browser', () => {
  before(async () => {
    assert.ok(
      fs.existsSync(CHROMIUM),
      `no Chromium at ${CHROMIUM}: run infra/up.sh (installs Debian's chromium)`,
    );
    assert.equal((await samenloop(['topics', 'create', '--gemeente', '9999,9998'], env)).code, 0);
    service = new SamenloopService(cfg, createLogger('silent'));
    await service.start();
    oidc = await startOidcProvider({ port: OIDC_PORT, redirectUris: [`${BASE}/auth/callback`] });
    console_ = await startConsole(loadConsoleConfig(consoleEnv), createLogger('silent'));
    kafka = testKafka();
    const c = await collect(kafka, [
      topic('9999', 'samenloop'),
      topic('9998', 'samenloop'),
      topic('9999', 'beeindigingen'),
      topic('9998', 'beeindigingen'),
      topic('9999', 'opdrachten'),
      topic('9998', 'opdrachten'),
      topic('9999', 'uploads'),
      cfg.TOPIC_VERWERKINGEN,
    ]);
    records = c.records;
    stopCollect = () => c.consumer.disconnect();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    contextA = await browser.newContext({ acceptDownloads: true, locale: 'nl-NL' });
    page = await contextA.newPage();
    page.on('dialog', (d) => {
      void d.dismiss();
      throw new Error(`a dialog opened (script from data ran): ${d.message()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await stopCollect?.();
    await console_?.stop();
    await oidc?.stop();
    await service?.stop();
  });

  it('the login page passes axe; without a session a gemeente page sends the browser to it', async () => {
    await page.goto(`${BASE}/g/9999/werkvoorraad`);
    assert.equal(new URL(page.url()).pathname, '/inloggen');
    await axe(page, 'Inloggen');
    await shot(page, 'inloggen');
  });

  it('a consulent of 9999 logs in through the OpenID Connect provider and sees an empty werkvoorraad', async () => {
    await login(page, 'consulent-9999', 'samenloop-9999');
    assert.equal(new URL(page.url()).pathname, '/g/9999/werkvoorraad');
    assert.equal(await page.locator('[data-teller="totaal"]').textContent(), '0');
    const cookies = await contextA.cookies();
    const sessie = cookies.find((c) => c.name === '__Host-samenloop-sessie');
    assert.ok(sessie, `session cookie set: ${cookies.map((c) => c.name).join(',')}`);
    assert.equal(sessie.httpOnly, true);
    assert.equal(sessie.secure, true);
    assert.equal(sessie.sameSite, 'Lax');
    await axe(page, 'Werkvoorraad (leeg)');
  });

  it('signals arrive in the werkvoorraad after messages are fed into Kafka', async () => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (const step of e2eScenario(TODAY))
      await producer.send({ topic: topicOf(cfg, step.input, step.xml), messages: [{ value: step.xml }] });
    await producer.disconnect();
    await waitFor(
      async () => {
        await page.reload();
        return (
          (await page.locator('[data-teller="voorgesteld"]').textContent()) === '2' &&
          (await page.locator('[data-teller="beoordelen"]').textContent()) === '1'
        );
      },
      90000,
      1000,
      'two proposals and one beoordelen in the werkvoorraad',
    );
    const body = await page.locator('main').innerText();
    assert.match(body, /M Jansen|Jansen/);
    assert.match(body, /Pietersen/);
    assert.ok(body.includes('<img src=x onerror=alert(1)>'), 'the hostile name is shown as text');
    assert.equal(await page.locator('main img').count(), 0, 'no element made from data');
    assert.doesNotMatch(body, /Bakker/);
    assert.match(await page.locator('[data-teller="oudste"]').innerText(), /dag/);
    await axe(page, 'Werkvoorraad');
    await shot(page, 'werkvoorraad');
    // filters: only the proposals
    await page.getByLabel('Beoordeling').selectOption('voorgesteld');
    await page.getByRole('button', { name: 'Filter toepassen' }).click();
    await page.waitForURL(/beoordeling=voorgesteld/);
    assert.equal(await page.locator('table.console-signalen tbody tr').count(), 2);
    assert.doesNotMatch(await page.locator('main').innerText(), /onerror/);
    await page.getByLabel('Minimaal aantal dagen oud').fill('30');
    await page.getByRole('button', { name: 'Filter toepassen' }).click();
    await page.waitForURL(/minDagen=30/);
    assert.equal(await page.locator('table.console-signalen tbody tr').count(), 0);
    await axe(page, 'Werkvoorraad (gefilterd)');
  });

  it('keyboard only: the skip link, the filters and a signal are reached with Tab and Enter', async () => {
    await page.goto(`${BASE}/g/9999/werkvoorraad`);
    await page.keyboard.press('Tab');
    assert.equal(await focused(page, 'textContent'), 'Naar de inhoud');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#inhoud$/);
    assert.equal(await focused(page, 'id'), 'inhoud');
    // Tab on from the main content to the first filter, choose with the keyboard, submit with Enter
    for (let i = 0; i < 10 && (await focused(page, 'id')) !== 'f-beoordeling'; i++)
      await page.keyboard.press('Tab');
    assert.equal(await focused(page, 'id'), 'f-beoordeling');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('0');
    await page.keyboard.press('Enter');
    await page.waitForURL(/minDagen=0/);
    const first = page.locator('table.console-signalen tbody a').first();
    await first.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/g\/9999\/signalen\/s-[0-9a-f]{24}$/);
  });

  it('confirming a proposal publishes the command with the medewerker as door; the WMO301 goes out', async () => {
    await page.goto(`${BASE}/g/9999/werkvoorraad?beoordeling=voorgesteld`);
    await page.getByRole('link', { name: /Jansen/ }).click();
    await page.waitForURL(/\/g\/9999\/signalen\/s-[0-9a-f]{24}$/);
    const text = await page.locator('main').innerText();
    assert.match(text, /999990019/);
    assert.match(text, /Wlz \(dat-informatie\)/);
    assert.match(text, /in een instelling/);
    assert.match(text, /SL-01-VERBLIJF/);
    assert.match(text, /Huishoudelijke hulp|huishoudelijke/i);
    assert.ok(
      (await page.locator('#kop-regel ~ ul a, section[aria-labelledby="kop-regel"] a').count()) > 0,
      'sources linked',
    );
    await axe(page, 'Signaal');
    await shot(page, 'signaal');
    await page.getByLabel(/Toelichting/).fill('Gebeld met het zorgkantoor <b>ok</b>');
    await page.getByRole('button', { name: 'Beëindiging bevestigen' }).click();
    // the page waits for the processor's answer (script) and then shows it
    await page.locator('[data-uitkomst="verzonden"]').waitFor({ timeout: 120000 });
    const after = await page.locator('main').innerText();
    assert.match(
      after,
      /bevestigd en verzonden naar de aanbieder door Anna Jansen-de Wit \(consulent-9999\)/,
    );
    assert.match(after, /Gebeld met het zorgkantoor <b>ok<\/b>/);
    await axe(page, 'Signaal (bevestigd)');
    await shot(page, 'signaal-bevestigd');
    const wmo301 = await waitFor(
      () => records.filter((r) => r.topic === topic('9999', 'beeindigingen')),
      60000,
      200,
      'the WMO301 of 9999',
    );
    assert.equal(wmo301.length, 1);
    assert.match(wmo301[0]!.value!.toString('utf8'), /<[^>]*Bsn>999990019</);
    const cmd = records.filter((r) => r.topic === topic('9999', 'opdrachten')).map(json);
    assert.deepEqual(cmd.at(-1), {
      type: 'beeindiging.bevestigen',
      beeindigingId: cmd.at(-1)!.beeindigingId,
      door: 'Anna Jansen-de Wit (consulent-9999)',
      toelichting: 'Gebeld met het zorgkantoor <b>ok</b>',
    });
  });

  it('rejecting another proposal sends nothing to the aanbieder', async () => {
    await page.goto(`${BASE}/g/9999/werkvoorraad?beoordeling=voorgesteld`);
    await page.getByRole('link', { name: /Pietersen/ }).click();
    await page.getByRole('button', { name: 'Beëindiging afwijzen' }).click();
    await page.locator('[data-uitkomst="afgewezen"]').waitFor({ timeout: 120000 });
    assert.match(
      await page.locator('main').innerText(),
      /De beëindiging is afgewezen door Anna Jansen-de Wit/,
    );
    await page.goto(`${BASE}/g/9999/werkvoorraad`);
    assert.equal(await page.locator('[data-teller="voorgesteld"]').textContent(), '0');
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(records.filter((r) => r.topic === topic('9999', 'beeindigingen')).length, 1);
  });

  it('every view of client data wrote an audit record: who, which page, pseudonymised client, when', async () => {
    const audit = await waitFor(
      () => {
        const a = records.filter((r) => r.topic === cfg.TOPIC_VERWERKINGEN).map(json);
        return a.some((x) => x.activiteit === 'afwijzen') ? a : undefined;
      },
      30000,
      200,
      'the audit records',
    );
    const jansen = pseudonym(cfg.SAMENLOOP_HMAC_SECRET, E2E_CLIENTS.jansen.bsn);
    const signaal = audit.find((a) => a.activiteit === 'signaal' && a.betrokkene === jansen);
    assert.ok(signaal, 'a signaal record for Jansen');
    assert.equal(signaal.actor, 'Anna Jansen-de Wit (consulent-9999)');
    assert.equal(signaal.gemeente, '9999');
    assert.match(String(signaal.object), /^\/g\/9999\/signalen\/s-[0-9a-f]{24}$/);
    assert.match(String(signaal.tijd), /^\d{4}-\d{2}-\d{2}T/);
    assert.ok(audit.some((a) => a.activiteit === 'werkvoorraad' && a.betrokkene === jansen));
    assert.ok(audit.some((a) => a.activiteit === 'bevestigen' && a.betrokkene === jansen));
    const raw = records
      .filter((r) => r.topic === cfg.TOPIC_VERWERKINGEN)
      .map((r) => r.value!.toString('utf8'));
    for (const c of Object.values(E2E_CLIENTS))
      assert.ok(!raw.some((v) => v.includes(c.bsn)), 'no BSN in the audit topic');
  });

  it('a CSV upload with a bad row: the good rows reach the uploads topic, the verslag names the bad one', async () => {
    await page.goto(`${BASE}/g/9999/uploaden`);
    await axe(page, 'Uploaden');
    await shot(page, 'uploaden');
    const csv =
      '\uFEFFbsn;soort;toewijzingnummer;productcategorie;productcode;aanbieder;ingangsdatum;einddatum;geboortedatum;achternaam;voorletters;voorvoegsel;aanvraagid\r\n' +
      '999990081;voorziening;7001;01;01A01;99000001;2026-01-01;;1940-02-03;Uploadtest;A;;\r\n' +
      '12345;voorziening;7002;01;01A01;99000001;2026-01-01;;1940-02-03;Fout;B;;\r\n' +
      '999990007;aanvraag;;02;;;2026-06-01;;;;;;AV-2026-0042\r\n';
    await page
      .getByLabel('CSV-bestand')
      .setInputFiles({ name: 'clienten.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Uploaden' }).click();
    await page.waitForURL(/\/g\/9999\/uploads\/u-[0-9a-f]{16}$/, { timeout: 120000 });
    const text = await page.locator('main').innerText();
    assert.equal(await page.locator('[data-verslag="geaccepteerd"]').textContent(), '2');
    assert.equal(await page.locator('[data-verslag="afgewezen"]').textContent(), '1');
    assert.match(text, /clienten\.csv/);
    const row = await page.locator('table.console-verslag tbody tr').first().innerText();
    assert.match(row, /^3\s+bsn\s+/);
    assert.doesNotMatch(text, /12345/);
    await axe(page, 'Verwerkingsverslag');
    await shot(page, 'verwerkingsverslag');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Verslag downloaden (CSV)' }).click(),
    ]);
    const verslag = fs.readFileSync((await download.path())!, 'utf8');
    assert.match(verslag, /^\uFEFFregel;veld;code;reden\r\n3;bsn;/);
    const uploads = await waitFor(
      () => {
        const u = records.filter((r) => r.topic === topic('9999', 'uploads'));
        return u.length >= 2 ? u : undefined;
      },
      30000,
      200,
      'the upload records',
    );
    assert.equal(uploads.length, 2);
  });

  it('the report downloads as CSV (only 9999) and as xlsx', async () => {
    await page.goto(`${BASE}/g/9999/rapport`);
    await axe(page, 'Rapport');
    await shot(page, 'rapport');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120000 }),
      page.getByRole('button', { name: 'Rapport downloaden' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `samenloop-9999-${TODAY}.csv`);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    assert.ok(text.startsWith('\uFEFFTijd;Soort;Onderwerp;BSN;Naam;'));
    assert.ok(text.includes(E2E_CLIENTS.jansen.bsn));
    assert.ok(!text.includes(E2E_CLIENTS.bakker.bsn), "no client of 9998 in 9999's report");
    assert.match(text, /;verzonden;Anna Jansen-de Wit \(consulent-9999\);/);
    await page.goto(`${BASE}/g/9999/rapport`);
    await page.getByLabel(/Excel-werkmap/).check();
    const [x] = await Promise.all([
      page.waitForEvent('download', { timeout: 120000 }),
      page.getByRole('button', { name: 'Rapport downloaden' }).click(),
    ]);
    assert.equal(x.suggestedFilename(), `samenloop-9999-${TODAY}.xlsx`);
    assert.equal(
      fs
        .readFileSync((await x.path())!)
        .subarray(0, 2)
        .toString('latin1'),
      'PK',
    );
  });

  it("in the browser, 9998's pages and ids are not found for a consulent of 9999", async () => {
    const b = (await console_.store.open('9998'))[0];
    assert.ok(b, 'gemeente 9998 has an open signal');
    for (const url of [
      '/g/9998/werkvoorraad',
      `/g/9998/signalen/${b.id}`,
      `/g/9999/signalen/${b.id}`,
      '/g/9998/rapport',
      '/g/9998/rapport/bestand?formaat=csv',
    ])
      await notFoundInBrowser(page, url);
    await page.goto(`${BASE}/g/9999/werkvoorraad`);
    assert.equal(await page.getByRole('navigation', { name: 'Gemeenten' }).count(), 0);
  });

  it("direct HTTP requests with 9999's session on 9998's URLs and ids: 404, nothing in the body, nothing done", async () => {
    const cookie = (await contextA.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await page.goto(`${BASE}/g/9999/werkvoorraad`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const [b] = await console_.store.open('9998');
    const bd = b!.huidig.beeindiging!.id;
    // an upload of 9999 (from the test above) asked for under 9998
    const uploadId = /u-[0-9a-f]{16}/.exec(
      records.find((r) => r.topic === topic('9999', 'uploads'))!.headers['samenloop-upload-id'] ?? '',
    )![0];
    const gets = [
      '/g/9998/werkvoorraad',
      '/g/9998/werkvoorraad?beoordeling=voorgesteld',
      `/g/9998/signalen/${b!.id}`,
      `/g/9998/signalen/${b!.id}/status`,
      `/g/9999/signalen/${b!.id}`,
      `/g/9999/signalen/${b!.id}/status`,
      '/g/9998/uploaden',
      `/g/9998/uploads/${uploadId}`,
      `/g/9998/uploads/${uploadId}/verslag.csv`,
      '/g/9998/rapport',
      '/g/9998/rapport/bestand?formaat=csv',
      '/g/9998/rapport/bestand?formaat=xlsx&sinds=2020-01-01',
    ];
    // the same upload is there for 9999
    assert.equal((await fetch(`${BASE}/g/9999/uploads/${uploadId}`, { headers: { cookie } })).status, 200);
    for (const url of gets) {
      const r = await fetch(`${BASE}${url}`, { headers: { cookie }, redirect: 'manual' });
      assert.equal(r.status, 404, url);
      assert.equal(await r.text(), '', url);
    }
    const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
    for (const url of [`/g/9998/signalen/${b!.id}/besluit`, `/g/9999/signalen/${b!.id}/besluit`]) {
      const r = await fetch(`${BASE}${url}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ _csrf: csrf, besluit: 'bevestigen', beeindigingId: bd }),
        redirect: 'manual',
      });
      assert.equal(r.status, 404, url);
      assert.equal(await r.text(), '', url);
    }
    const multipart = new FormData();
    multipart.set('_csrf', csrf);
    multipart.set('bestand', new Blob(['bsn;soort\r\n']), 'x.csv');
    const up = await fetch(`${BASE}/g/9998/uploaden`, {
      method: 'POST',
      headers: { cookie },
      body: multipart,
      redirect: 'manual',
    });
    assert.equal(up.status, 404);
    assert.equal(await up.text(), '');
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(
      records.filter((r) => r.topic === topic('9998', 'opdrachten')).length,
      0,
      'no command for 9998',
    );
    assert.equal(records.filter((r) => r.topic === topic('9998', 'beeindigingen')).length, 0);
    assert.equal((await console_.store.signaal('9998', b!.id))?.huidig.beeindiging?.status, 'voorgesteld');
  });

  it('a consulent of 9998 sees only 9998 (a second browser)', async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await login(p, 'consulent-9998', 'samenloop-9998');
    assert.equal(new URL(p.url()).pathname, '/g/9998/werkvoorraad');
    const text = await p.locator('main').innerText();
    assert.match(text, /Bakker/);
    assert.doesNotMatch(text, /Jansen|Pietersen/);
    await notFoundInBrowser(p, '/g/9999/werkvoorraad');
    const [a] = await console_.store.open('9999');
    await notFoundInBrowser(p, `/g/9999/signalen/${a!.id}`);
    await notFoundInBrowser(p, `/g/9998/signalen/${a!.id}`);
    await ctx.close();
  });

  it('a user whose claims name no gemeente of this console is refused (403, axe)', async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(`${BASE}/inloggen`);
    await p.getByRole('link', { name: 'Inloggen bij de gemeente' }).click();
    await p.getByLabel('Gebruikersnaam').fill('beheer-zonder-gemeente');
    await p.getByLabel('Wachtwoord').fill('samenloop-geen');
    const refused = p.waitForResponse((r) => r.url().startsWith(`${BASE}/auth/callback`));
    await p.getByRole('button', { name: 'Inloggen' }).click();
    assert.equal((await refused).status(), 403);
    await p.getByRole('heading', { name: 'Geen toegang' }).waitFor();
    assert.equal((await ctx.cookies()).filter((c) => c.name.includes('sessie')).length, 0);
    await axe(p, 'Geen toegang');
    await ctx.close();
  });

  it('forms without the CSRF token are refused; security headers are set; logins are rate limited', async () => {
    const cookie = (await contextA.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const [s] = await console_.store.open('9999');
    const r = await fetch(`${BASE}/g/9999/signalen/${s!.id}/besluit`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'besluit=afwijzen',
      redirect: 'manual',
    });
    assert.equal(r.status, 403);
    const page1 = await fetch(`${BASE}/g/9999/werkvoorraad`, { headers: { cookie } });
    assert.match(
      page1.headers.get('content-security-policy') ?? '',
      /default-src 'self'.*frame-ancestors 'none'/,
    );
    assert.equal(page1.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page1.headers.get('cache-control'), 'no-store');
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push((await fetch(`${BASE}/auth/start`, { redirect: 'manual' })).status);
    assert.equal(statuses[0], 303, 'a login starts while under the limit');
    assert.equal(statuses.at(-1), 429, `rate limited: ${statuses.join(',')}`);
    // logging out ends the session
    await page.goto(`${BASE}/g/9999/werkvoorraad`);
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(/\/inloggen\?uit=1$/);
    const gone = await fetch(`${BASE}/g/9999/werkvoorraad`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(gone.status, 303);
  });
});
