/**
 * The console's pages. Every /g/<gemeente>/… route first checks the session (no session: to the login page)
 * and then that the gemeente is one of the user's: if not, 404 with an empty body, the same answer as for an
 * id that does not exist. Every page with client data writes its audit record before it is sent.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CliError } from '../cli/errors';
import { collectReport, renderReport, reportBetrokkenen } from '../cli/commands/report';
import { runImport } from '../cli/commands/import';
import { parseCommand } from '../ingest';
import type { ConsoleDeps } from './app';
import { parseFilters, werkvoorraad } from './filters';
import type { Html } from './html';
import { SIGNAAL_ID } from './model';
import { regelUitleg } from './rule-text';
import type { Sessie } from './store';
import { geenToegangPagina, loginPagina } from './views/login';
import type { PaginaContext } from './views/layout';
import { rapportPagina } from './views/rapport';
import { signaalPagina } from './views/signaal';
import { parseVerslagCsv, uploadenPagina, verslagPagina, type Verslag } from './views/uploaden';
import { werkvoorraadPagina } from './views/werkvoorraad';

type G = { Params: { gemeente: string } };
type GId = { Params: { gemeente: string; id: string } };

declare module 'fastify' {
  interface FastifyRequest {
    sessie?: { sid: string; sessie: Sessie };
  }
}

const send = (reply: FastifyReply, page: Html, status = 200) =>
  reply.code(status).type('text/html; charset=utf-8').send(page.value);
const notFound = (reply: FastifyReply) => reply.code(404).type('text/plain').send('');

export function registerRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  const { auth, store, kafka, cfg } = deps;
  const now = deps.now ?? (() => new Date());
  const loginLimit = {
    rateLimit: { max: cfg.console.CONSOLE_LOGIN_RATE_MAX, timeWindow: 60_000 },
  };

  const ctxOf = (req: FastifyRequest, gemeente?: string): PaginaContext => ({
    titel: '',
    gebruiker: { naam: req.sessie!.sessie.naam, gemeenten: req.sessie!.sessie.gemeenten },
    csrf: auth.csrfToken(req.sessie!.sid),
    ...(gemeente ? { gemeente } : {}),
  });

  // --- login ---------------------------------------------------------------------------------------------
  app.get<{ Querystring: { uit?: string } }>('/inloggen', { config: loginLimit }, async (req, reply) =>
    send(reply, loginPagina(req.query.uit === '1' ? 'U bent uitgelogd.' : undefined)),
  );
  app.get('/auth/start', { config: loginLimit }, async (_req, reply) => auth.start(reply));
  app.get('/auth/callback', { config: loginLimit }, async (req, reply) => {
    let r: Awaited<ReturnType<typeof auth.callback>>;
    try {
      r = await auth.callback(req, reply);
    } catch (err) {
      req.log.warn({ err }, 'console: login failed');
      return send(reply, loginPagina('Inloggen is niet gelukt. Probeer het opnieuw.'), 400);
    }
    if (r === 'geen-login')
      return send(reply, loginPagina('Inloggen is verlopen. Probeer het opnieuw.'), 400);
    if (r === 'geen-gemeente') return send(reply, geenToegangPagina(), 403);
    return reply.redirect(`/g/${r.sessie.gemeenten[0]!}/werkvoorraad`, 303);
  });
  app.post<{ Body: { _csrf?: string } }>('/uitloggen', async (req, reply) => {
    const s = await auth.sessie(req);
    if (s && !auth.csrfOk(s.sid, req.body?._csrf)) return reply.code(403).type('text/plain').send('');
    await auth.uitloggen(req, reply);
    return reply.redirect('/inloggen?uit=1', 303);
  });
  app.get('/', async (req, reply) => {
    const s = await auth.sessie(req);
    return reply.redirect(s ? `/g/${s.sessie.gemeenten[0]!}/werkvoorraad` : '/inloggen', 303);
  });

  // --- the gemeente's pages ------------------------------------------------------------------------------
  app.register(async (scoped) => {
    scoped.addHook<G>('preHandler', async (req, reply) => {
      const s = await auth.sessie(req);
      if (!s) {
        if (req.method === 'GET') return reply.redirect('/inloggen', 303);
        return reply.code(401).type('text/plain').send('');
      }
      // Not the user's gemeente: exactly what an unknown page gets.
      if (!s.sessie.gemeenten.includes(req.params.gemeente)) return notFound(reply);
      req.sessie = s;
      if (req.method === 'POST' && !req.isMultipart()) {
        const token = (req.body as { _csrf?: unknown } | undefined)?._csrf;
        if (!auth.csrfOk(s.sid, token)) return reply.code(403).type('text/plain').send('');
      }
    });

    scoped.get<G & { Querystring: Record<string, string> }>(
      '/g/:gemeente/werkvoorraad',
      async (req, reply) => {
        const g = req.params.gemeente;
        const f = parseFilters(req.query);
        const w = werkvoorraad(await store.open(g), f, now());
        await kafka.audit(
          'werkvoorraad',
          req.sessie!.sessie.door,
          g,
          w.rijen.map((d) => d.betrokkene),
          `/g/${g}/werkvoorraad`,
        );
        return send(reply, werkvoorraadPagina(ctxOf(req, g), w, f, now()));
      },
    );

    const signaalOf = async (g: string, id: string) =>
      SIGNAAL_ID.test(id) ? store.signaal(g, id) : undefined;

    scoped.get<GId & { Querystring: { wacht?: string } }>('/g/:gemeente/signalen/:id', async (req, reply) => {
      const g = req.params.gemeente;
      const doc = await signaalOf(g, req.params.id);
      if (!doc) return notFound(reply);
      await kafka.audit(
        'signaal',
        req.sessie!.sessie.door,
        g,
        [doc.betrokkene],
        `/g/${g}/signalen/${doc.id}`,
      );
      const bd = doc.huidig.beeindiging?.id;
      const wacht =
        req.query.wacht === 'bevestigen' || req.query.wacht === 'afwijzen' ? req.query.wacht : undefined;
      return send(
        reply,
        signaalPagina(ctxOf(req, g), {
          doc,
          uitleg: doc.huidig.regel ? regelUitleg(doc.huidig.regel.id) : null,
          weigeringen: bd ? await store.weigeringen(g, bd) : [],
          ...(wacht ? { wachtOp: wacht } : {}),
        }),
      );
    });

    scoped.get<GId>('/g/:gemeente/signalen/:id/status', async (req, reply) => {
      const g = req.params.gemeente;
      const doc = await signaalOf(g, req.params.id);
      if (!doc) return notFound(reply);
      const bd = doc.huidig.beeindiging;
      const weigeringen = bd ? (await store.weigeringen(g, bd.id)).length : 0;
      return reply.send({ klaar: (bd !== null && bd.status !== 'voorgesteld') || weigeringen > 0 });
    });

    scoped.post<GId & { Body: Record<string, unknown> }>(
      '/g/:gemeente/signalen/:id/besluit',
      async (req, reply) => {
        const g = req.params.gemeente;
        const doc = await signaalOf(g, req.params.id);
        if (!doc) return notFound(reply);
        const body = req.body ?? {};
        const bd = doc.huidig.beeindiging;
        const besluit =
          body.besluit === 'bevestigen' || body.besluit === 'afwijzen' ? body.besluit : undefined;
        const toelichting = typeof body.toelichting === 'string' ? body.toelichting.trim() : '';
        const fout = (tekst: string) =>
          send(
            reply,
            signaalPagina(ctxOf(req, g), {
              doc,
              uitleg: doc.huidig.regel ? regelUitleg(doc.huidig.regel.id) : null,
              weigeringen: [],
              fout: tekst,
            }),
            400,
          );
        if (!besluit) return fout('Kies bevestigen of afwijzen.');
        if (!bd || bd.status !== 'voorgesteld' || body.beeindigingId !== bd.id)
          return fout(
            'Over deze beëindiging is al besloten, of het voorstel is gewijzigd. Bekijk de actuele stand.',
          );
        if (toelichting.length > 1000) return fout('De toelichting is langer dan 1000 tekens.');
        const command = {
          type: besluit === 'bevestigen' ? 'beeindiging.bevestigen' : 'beeindiging.afwijzen',
          beeindigingId: bd.id,
          door: req.sessie!.sessie.door,
          ...(toelichting ? { toelichting } : {}),
        };
        const parsed = parseCommand(JSON.stringify(command));
        if (!parsed.ok) return fout('Het besluit kon niet worden verstuurd: de gegevens zijn ongeldig.');
        await kafka.besluit(g, command, doc.betrokkene);
        return reply.redirect(`/g/${g}/signalen/${doc.id}?wacht=${besluit}`, 303);
      },
    );

    // --- uploads -------------------------------------------------------------------------------------------
    scoped.get<G>('/g/:gemeente/uploaden', async (req, reply) =>
      send(reply, uploadenPagina(ctxOf(req, req.params.gemeente))),
    );

    scoped.post<G>('/g/:gemeente/uploaden', async (req, reply) => {
      const g = req.params.gemeente;
      if (!req.isMultipart()) return reply.code(400).type('text/plain').send('');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samenloop-upload-'));
      try {
        let csrf = false;
        let bestandsnaam = '';
        let file: string | undefined;
        let tooLarge = false;
        for await (const part of req.parts()) {
          if (part.type === 'field') {
            if (part.fieldname === '_csrf') csrf = auth.csrfOk(req.sessie!.sid, part.value);
            continue;
          }
          // The token comes before the file in the form: without it, the file is not read.
          if (!csrf) {
            part.file.resume();
            return reply.code(403).type('text/plain').send('');
          }
          bestandsnaam = part.filename.replace(/\p{Cc}/gu, '').slice(0, 200) || 'upload.csv';
          file = path.join(dir, 'upload.csv');
          await pipeline(part.file, fs.createWriteStream(file));
          tooLarge = part.file.truncated;
        }
        if (!csrf) return reply.code(403).type('text/plain').send('');
        const ctx = ctxOf(req, g);
        if (!file) return send(reply, uploadenPagina(ctx, 'Kies een CSV-bestand.'), 400);
        if (tooLarge)
          return send(
            reply,
            uploadenPagina(ctx, `Het bestand is groter dan ${cfg.console.CONSOLE_UPLOAD_MAX_BYTES} bytes.`),
            413,
          );
        const verslagPath = path.join(dir, 'verslag.csv');
        const sink = new PassThrough().resume();
        let result;
        try {
          result = await runImport(
            {
              io: { stdout: sink, stderr: sink, stdin: Readable.from([]), env: {} },
              config: () => cfg.base,
            },
            file,
            { gemeente: g, verslag: verslagPath },
          );
        } catch (err) {
          if (err instanceof CliError && err.exitCode === 2)
            return send(
              reply,
              uploadenPagina(ctx, `Het bestand is afgewezen; er is niets verwerkt. ${err.message}`),
              400,
            );
          throw err;
        }
        const csv = fs.readFileSync(verslagPath, 'utf8');
        const verslag: Verslag = {
          uploadId: result.uploadId,
          bestandsnaam,
          tijd: now().toISOString(),
          door: req.sessie!.sessie.door,
          ...parseVerslagCsv(csv),
        };
        await store.bewaarVerslag(g, verslag, csv);
        await kafka.audit('upload', req.sessie!.sessie.door, g, [null], result.uploadId);
        return reply.redirect(`/g/${g}/uploads/${result.uploadId}`, 303);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    const UPLOAD_ID = /^u-[0-9a-f]{16}$/;
    scoped.get<GId>('/g/:gemeente/uploads/:id', async (req, reply) => {
      const g = req.params.gemeente;
      const v = UPLOAD_ID.test(req.params.id) ? await store.verslag(g, req.params.id) : undefined;
      if (!v) return notFound(reply);
      return send(reply, verslagPagina(ctxOf(req, g), v.v));
    });
    scoped.get<GId>('/g/:gemeente/uploads/:id/verslag.csv', async (req, reply) => {
      const g = req.params.gemeente;
      const v = UPLOAD_ID.test(req.params.id) ? await store.verslag(g, req.params.id) : undefined;
      if (!v) return notFound(reply);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="verslag-${v.v.uploadId}.csv"`)
        .send(v.csv);
    });

    // --- the report ----------------------------------------------------------------------------------------
    scoped.get<G>('/g/:gemeente/rapport', async (req, reply) =>
      send(reply, rapportPagina(ctxOf(req, req.params.gemeente))),
    );
    scoped.get<G & { Querystring: { formaat?: string; sinds?: string } }>(
      '/g/:gemeente/rapport/bestand',
      async (req, reply) => {
        const g = req.params.gemeente;
        const formaat = req.query.formaat === 'xlsx' ? 'xlsx' : 'csv';
        const sinds = /^\d{4}-\d{2}-\d{2}$/.test(req.query.sinds ?? '') ? req.query.sinds : undefined;
        const { rows } = await collectReport(cfg.base, g, { sinds });
        await kafka.audit(
          'report',
          req.sessie!.sessie.door,
          g,
          reportBetrokkenen(cfg.base, rows),
          `/g/${g}/rapport`,
        );
        const day = cfg.base.SAMENLOOP_TODAY ?? now().toISOString().slice(0, 10);
        return reply
          .type(
            formaat === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .header('content-disposition', `attachment; filename="samenloop-${g}-${day}.${formaat}"`)
          .send(await renderReport(rows, formaat));
      },
    );
  });
}
