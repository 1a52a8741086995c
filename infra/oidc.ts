/**
 * A real, local OpenID Connect provider (oidc-provider) for the console, for local use and the tests only:
 * authorization code flow with PKCE, a login form with test users of two gemeenten, the `gemeente` claim
 * (scope `gemeente`), and no consent screen for the console (a first-party client). Started by
 * infra/oidc-up.sh (from infra/up.sh) in the background, or in-process by the browser tests.
 *
 * Test users (user name / password → gemeente):
 *   consulent-9999 / samenloop-9999 → 9999   (Anna Jansen-de Wit)
 *   consulent-9998 / samenloop-9998 → 9998   (Bram Bakker)
 *   beheer-zonder-gemeente / samenloop-geen → no gemeente (the console refuses)
 * OIDC_TEST_GEMEENTEN (default 9999,9998) names other gemeenten: user consulent-<code>, password samenloop-<code>.
 *
 * Env: OIDC_PORT (8082), OIDC_ISSUER (http://localhost:<port>), CONSOLE_BASE_URL (http://localhost:8081: the
 * redirect URI is <it>/auth/callback), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET (the console's defaults).
 */
import * as http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export interface TestUser {
  id: string;
  password: string;
  name: string;
  gemeente: string[];
}

export function testUsers(gemeenten: readonly string[] = ['9999', '9998']): TestUser[] {
  const names: Record<string, string> = { '9999': 'Anna Jansen-de Wit', '9998': 'Bram Bakker' };
  return [
    ...gemeenten.map((g) => ({
      id: `consulent-${g}`,
      password: `samenloop-${g}`,
      name: names[g] ?? `Consulent ${g}`,
      gemeente: [g],
    })),
    { id: 'beheer-zonder-gemeente', password: 'samenloop-geen', name: 'Beheer', gemeente: [] },
  ];
}

export interface OidcOptions {
  port: number;
  issuer?: string;
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
  users?: TestUser[];
}

export interface RunningOidc {
  issuer: string;
  stop(): Promise<void>;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function loginPage(uid: string, fout?: string): string {
  return `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Inloggen (test-identiteitsprovider)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 30rem; margin: 2rem auto;">
<main><h1>Inloggen</h1><p>Test-identiteitsprovider van samenloop (alleen voor lokaal gebruik en tests).</p>
${fout ? `<p role="alert" style="color:#a00">${esc(fout)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login">
<p><label for="gebruiker">Gebruikersnaam</label><br><input id="gebruiker" name="gebruiker" autocomplete="username" required></p>
<p><label for="wachtwoord">Wachtwoord</label><br><input id="wachtwoord" name="wachtwoord" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Inloggen</button></p>
</form></main></body></html>`;
}

function readBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 10_000) req.destroy();
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function startOidcProvider(o: OidcOptions): Promise<RunningOidc> {
  const issuer = o.issuer ?? `http://localhost:${o.port}`;
  const users = o.users ?? testUsers();
  const configuration: Configuration = {
    clients: [
      {
        client_id: o.clientId ?? 'samenloop-console',
        client_secret: o.clientSecret ?? 'local-console-client-secret',
        redirect_uris: o.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    scopes: ['openid', 'profile', 'gemeente'],
    claims: { openid: ['sub'], profile: ['name'], gemeente: ['gemeente'] },
    findAccount: (_ctx, id) => {
      const u = users.find((x) => x.id === id);
      if (!u) return undefined;
      return { accountId: u.id, claims: () => ({ sub: u.id, name: u.name, gemeente: u.gemeente }) };
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['local-oidc-provider-cookie-key-not-secret'] },
    pkce: { required: () => true },
    // The console is a first-party client: its scopes are granted without a consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const client = ctx.oidc.client!;
      const session = ctx.oidc.session!;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId! });
      grant.addOIDCScope('openid profile gemeente');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  const server = http.createServer((req, res) => {
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!m) {
      void callback(req, res);
      return;
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (req.method === 'POST' && m[2]) {
          const form = await readBody(req);
          const u = users.find((x) => x.id === (form.get('gebruiker') ?? ''));
          if (!u || !same(u.password, form.get('wachtwoord') ?? '')) {
            res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' });
            res.end(loginPage(details.uid, 'Onbekende gebruikersnaam of onjuist wachtwoord.'));
            return;
          }
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: u.id } },
            {
              mergeWithLastSubmission: false,
            },
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(loginPage(details.uid));
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`login failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  const port = Number(process.env.OIDC_PORT ?? 8082);
  const base = process.env.CONSOLE_BASE_URL ?? 'http://localhost:8081';
  const gemeenten = (process.env.OIDC_TEST_GEMEENTEN ?? '9999,9998').split(',').map((s) => s.trim());
  startOidcProvider({
    port,
    issuer: process.env.OIDC_ISSUER ?? `http://localhost:${port}`,
    redirectUris: [`${base}/auth/callback`],
    ...(process.env.OIDC_CLIENT_ID ? { clientId: process.env.OIDC_CLIENT_ID } : {}),
    ...(process.env.OIDC_CLIENT_SECRET ? { clientSecret: process.env.OIDC_CLIENT_SECRET } : {}),
    users: testUsers(gemeenten),
  })
    .then((p) => process.stdout.write(`oidc-provider: ${p.issuer} (redirect ${base}/auth/callback)\n`))
    .catch((err: unknown) => {
      process.stderr.write(`oidc-provider: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
