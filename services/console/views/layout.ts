import { html, type Html } from '../html';

export interface Gebruiker {
  naam: string;
  gemeenten: readonly string[];
}

export interface PaginaContext {
  titel: string;
  gebruiker?: Gebruiker;
  gemeente?: string;
  csrf?: string;
  actief?: 'werkvoorraad' | 'uploaden' | 'rapport';
}

const NAV: Array<['werkvoorraad' | 'uploaden' | 'rapport', string]> = [
  ['werkvoorraad', 'Werkvoorraad'],
  ['uploaden', 'Uploaden'],
  ['rapport', 'Rapport'],
];

/** The page around every view: skip link, header with the gemeente and the medewerker, navigation, main. */
export function layout(ctx: PaginaContext, inhoud: Html): Html {
  const g = ctx.gemeente;
  return html`<!DOCTYPE html>
    <html lang="nl" class="utrecht-theme">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${ctx.titel} · Samenloop${g ? ` · gemeente ${g}` : ''}</title>
        <link rel="stylesheet" href="/static/design-tokens.css" />
        <link rel="stylesheet" href="/static/component-library.css" />
        <link rel="stylesheet" href="/static/console.css" />
        <script src="/static/console.js" defer></script>
      </head>
      <body class="utrecht-document utrecht-document--surface">
        <a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">Naar de inhoud</a>
        <div class="utrecht-page">
          <header class="utrecht-page-header console-header">
            <p class="console-merk">Samenloop Wlz–Wmo${g ? html` · <span>gemeente ${g}</span>` : ''}</p>
            ${
              ctx.gebruiker
                ? html`<div class="console-gebruiker">
                    <span>Ingelogd als ${ctx.gebruiker.naam}</span>
                    <form method="post" action="/uitloggen" class="console-inline">
                      <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
                      <button type="submit" class="utrecht-button utrecht-button--subtle">Uitloggen</button>
                    </form>
                    ${
                      ctx.gebruiker.gemeenten.length > 1
                        ? html`<nav aria-label="Gemeenten" class="console-gemeenten">
                            ${ctx.gebruiker.gemeenten.map(
                              (x) =>
                                html`<a
                                  class="utrecht-link"
                                  href="/g/${x}/werkvoorraad"
                                  ${x === g ? html` aria-current="page"` : ''}
                                  >gemeente ${x}</a
                                > `,
                            )}
                          </nav>`
                        : ''
                    }
                  </div>`
                : ''
            }
          </header>
          ${
            g
              ? html`<nav class="utrecht-nav-bar console-nav" aria-label="Hoofdmenu">
                  <ul class="utrecht-nav-list">
                    ${NAV.map(
                      ([k, label]) =>
                        html`<li class="utrecht-nav-list__item">
                          <a
                            class="utrecht-nav-list__link"
                            href="/g/${g}/${k}"
                            ${ctx.actief === k ? html` aria-current="page"` : ''}
                            >${label}</a
                          >
                        </li>`,
                    )}
                  </ul>
                </nav>`
              : ''
          }
          <main id="inhoud" class="utrecht-page-content console-main" tabindex="-1">${inhoud}</main>
          <footer class="utrecht-page-footer console-footer">
            <p class="utrecht-paragraph">Samenloop · elke inzage in cliëntgegevens wordt vastgelegd (AVG).</p>
          </footer>
        </div>
      </body>
    </html> `;
}

/** A date YYYY-MM-DD as 2 december 2026 (Dutch); anything else as it is. */
export function datum(d: string | null | undefined): string {
  if (!d) return '–';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  if (!m) return d;
  const maanden = [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ];
  return `${Number(m[3])} ${maanden[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** A time (ISO) as date and hh:mm in Europe/Amsterdam. */
export function tijdstip(t: string | null | undefined): string {
  if (!t) return '–';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return t;
  const f = new Intl.DateTimeFormat('nl-NL', {
    timeZone: 'Europe/Amsterdam',
    dateStyle: 'long',
    timeStyle: 'short',
  });
  return f.format(d);
}

export const STATUS_LABEL: Record<string, string> = {
  voorgesteld: 'Beëindiging voorgesteld',
  beoordelen: 'Beoordelen',
  'client-overleden': 'Cliënt overleden',
  'wlz-voorliggend': 'Wlz voorliggend (gemeld)',
};

export const BEOORDELING_LABEL: Record<string, string> = {
  'wlz-voorliggend': 'Wlz voorliggend',
  beoordelen: 'Beoordelen',
  'client-overleden': 'Cliënt overleden',
};

export const BEEINDIGING_STATUS_LABEL: Record<string, string> = {
  voorgesteld: 'voorgesteld',
  verzonden: 'bevestigd en verzonden naar de aanbieder',
  afgewezen: 'afgewezen',
  geannuleerd: 'geannuleerd',
  gecorrigeerd: 'gecorrigeerd',
};

export const REDEN_WIJZIGING_LABEL: Record<string, string> = {
  '06': '06 – uitstroom naar ander domein (Wlz)',
  '02': '02 – overlijden',
};

export const WOONSITUATIE_LABEL: Record<string, string> = {
  thuis: 'thuis',
  instelling: 'in een instelling (verblijf)',
  deeltijd: 'deeltijdverblijf',
  onbekend: 'onbekend',
};

export function label(map: Record<string, string>, v: string | null | undefined): string {
  if (v === null || v === undefined) return '–';
  return Object.hasOwn(map, v) ? map[v]! : v;
}
