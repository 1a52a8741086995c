/**
 * The console's HTTP server (fastify): security headers (helmet, with a strict content security policy),
 * cookies, form and multipart bodies, rate limits on the login routes, the static files, and a 404 with an
 * empty body for everything unknown or not the user's (another gemeente's pages and ids look exactly like
 * ids that do not exist).
 */
import * as fs from 'node:fs';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { CONSOLE_CSS, CONSOLE_JS } from './assets';
import type { Auth } from './auth';
import type { ConsoleConfig } from './config';
import type { ConsoleKafka } from './kafka';
import { registerRoutes } from './routes';
import type { ConsoleStore } from './store';

export interface ConsoleDeps {
  cfg: ConsoleConfig;
  store: ConsoleStore;
  auth: Auth;
  kafka: ConsoleKafka;
  log: Logger;
  now?: () => Date;
}

function staticFile(name: string): string {
  return fs.readFileSync(require.resolve(name), 'utf8');
}

export async function buildApp(deps: ConsoleDeps): Promise<FastifyInstance> {
  const { cfg } = deps;
  const app = Fastify({
    // Request lines are info: the console logs warnings and errors only (never a URL with an id at info).
    loggerInstance: deps.log.child({ component: 'console' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    trustProxy: false,
  });
  const https = cfg.console.CONSOLE_BASE_URL.startsWith('https:');
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, {
    limits: { fileSize: cfg.console.CONSOLE_UPLOAD_MAX_BYTES, files: 1, fields: 4, fieldSize: 1024 },
  });
  await app.register(rateLimit, {
    global: false,
    redis: deps.store.redis,
    nameSpace: `${cfg.console.CONSOLE_REDIS_PREFIX}rl:`,
  });
  // Nothing a console serves may be cached: pages and files hold client data.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.getHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  const assets: Record<string, [string, string]> = {
    'design-tokens.css': ['text/css', staticFile('@utrecht/design-tokens/dist/index.css')],
    'component-library.css': ['text/css', staticFile('@utrecht/component-library-css/dist/index.css')],
    'console.css': ['text/css', CONSOLE_CSS],
    'console.js': ['text/javascript', CONSOLE_JS],
  };
  app.get<{ Params: { name: string } }>('/static/:name', async (req, reply) => {
    const a = Object.hasOwn(assets, req.params.name) ? assets[req.params.name] : undefined;
    if (!a) return reply.code(404).type('text/plain').send('');
    return reply.type(`${a[0]}; charset=utf-8`).header('cache-control', 'public, max-age=3600').send(a[1]);
  });

  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).type('text/plain').send('');
  });
  app.setErrorHandler((err, req, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status === 429)
      return reply
        .code(429)
        .type('text/plain; charset=utf-8')
        .send('Te veel pogingen; probeer het over een minuut opnieuw.');
    if (status >= 400 && status < 500) return reply.code(status).type('text/plain').send('');
    req.log.error({ err }, 'console: request failed');
    return reply
      .code(500)
      .type('text/plain; charset=utf-8')
      .send('Er ging iets mis. Probeer het later opnieuw.');
  });

  registerRoutes(app, deps);
  return app;
}
