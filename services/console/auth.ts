/**
 * Login with OpenID Connect (openid-client: authorization code flow with PKCE, state and nonce), sessions in
 * Redis behind an opaque HttpOnly SameSite cookie, and CSRF tokens bound to the session. The `gemeente`
 * claim (OIDC_GEMEENTE_CLAIM; a code or a list) decides which gemeenten a user sees, limited to the
 * gemeenten this console serves.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import type { ConsoleConfig } from './config';
import { gemeentenVanClaim, medewerker } from './claims';
import type { ConsoleStore, Sessie } from './store';

export const LOGIN_COOKIE = 'samenloop-login';
const SCOPE = 'openid profile gemeente';

export class Auth {
  private configuration: oidc.Configuration | undefined;

  constructor(
    private readonly cfg: ConsoleConfig,
    private readonly store: ConsoleStore,
  ) {}

  get sessieCookie(): string {
    return this.cfg.console.cookieSecure ? '__Host-samenloop-sessie' : 'samenloop-sessie';
  }

  private get redirectUri(): string {
    return `${this.cfg.console.CONSOLE_BASE_URL}/auth/callback`;
  }

  /** The provider's metadata, discovered on first use (the provider may start after the console). */
  private async oidcConfig(): Promise<oidc.Configuration> {
    if (this.configuration) return this.configuration;
    const c = this.cfg.console;
    const issuer = new URL(c.OIDC_ISSUER);
    this.configuration = await oidc.discovery(
      issuer,
      c.OIDC_CLIENT_ID,
      c.OIDC_CLIENT_SECRET,
      undefined,
      issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    return this.configuration;
  }

  /** Starts a login: the state is kept in Redis behind a short-lived cookie; the browser goes to the provider. */
  async start(reply: FastifyReply): Promise<FastifyReply> {
    const config = await this.oidcConfig();
    const handle = randomBytes(24).toString('base64url');
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await this.store.bewaarLogin(handle, { state, nonce, verifier });
    reply.setCookie(LOGIN_COOKIE, handle, {
      path: '/auth',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.cfg.console.cookieSecure,
      maxAge: 600,
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return reply.redirect(url.href, 303);
  }

  /**
   * Ends a login at the callback: the code is exchanged, the ID token checked, the claims read. Returns the
   * new session's cookie value and the session, or null (no or an old login state, or no gemeente).
   */
  async callback(
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ sid: string; sessie: Sessie } | 'geen-login' | 'geen-gemeente'> {
    const handle = req.cookies[LOGIN_COOKIE];
    reply.clearCookie(LOGIN_COOKIE, { path: '/auth' });
    const login = handle ? await this.store.neemLogin(handle) : undefined;
    if (!login) return 'geen-login';
    const config = await this.oidcConfig();
    const current = new URL(req.url, this.cfg.console.CONSOLE_BASE_URL);
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: login.verifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) return 'geen-login';
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    const claim = this.cfg.console.OIDC_GEMEENTE_CLAIM;
    const gemeenten = gemeentenVanClaim(info[claim] ?? claims[claim], this.cfg.console.CONSOLE_GEMEENTEN);
    if (gemeenten.length === 0) return 'geen-gemeente';
    const naam =
      typeof info.name === 'string' ? info.name : typeof claims.name === 'string' ? claims.name : '';
    const sessie: Sessie = {
      sub: claims.sub,
      naam: naam.slice(0, 100) || claims.sub,
      gemeenten,
      door: medewerker(naam, claims.sub),
      sinds: new Date().toISOString(),
    };
    const sid = randomBytes(32).toString('base64url');
    await this.store.bewaarSessie(sid, sessie, this.cfg.console.CONSOLE_SESSION_HOURS * 3600);
    reply.setCookie(this.sessieCookie, sid, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.cfg.console.cookieSecure,
      maxAge: this.cfg.console.CONSOLE_SESSION_HOURS * 3600,
    });
    return { sid, sessie };
  }

  /** The session of the request, if any. */
  async sessie(req: FastifyRequest): Promise<{ sid: string; sessie: Sessie } | undefined> {
    const sid = req.cookies[this.sessieCookie];
    if (!sid || !/^[A-Za-z0-9_-]{43}$/.test(sid)) return undefined;
    const sessie = await this.store.sessie(sid);
    return sessie ? { sid, sessie } : undefined;
  }

  async uitloggen(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const s = await this.sessie(req);
    if (s) await this.store.verwijderSessie(s.sid);
    reply.clearCookie(this.sessieCookie, { path: '/' });
  }

  /** The CSRF token of a session (synchronizer token: an HMAC of the session id). */
  csrfToken(sid: string): string {
    return createHmac('sha256', this.cfg.console.CONSOLE_SESSION_SECRET)
      .update(`csrf\n${sid}`)
      .digest('base64url');
  }

  csrfOk(sid: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const a = Buffer.from(this.csrfToken(sid));
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
