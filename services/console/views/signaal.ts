import { categorieNaam } from '../../rules';
import { html, safeHref, type Html } from '../html';
import type { SignaalDoc, Weigering } from '../model';
import type { RegelUitleg } from '../rule-text';
import {
  BEEINDIGING_STATUS_LABEL,
  BEOORDELING_LABEL,
  REDEN_WIJZIGING_LABEL,
  STATUS_LABEL,
  WOONSITUATIE_LABEL,
  datum,
  label,
  layout,
  tijdstip,
  type PaginaContext,
} from './layout';

export interface SignaalData {
  doc: SignaalDoc;
  uitleg: RegelUitleg | null;
  weigeringen: Weigering[];
  /** Just sent a besluit (the page waits for the processor's answer). */
  wachtOp?: 'bevestigen' | 'afwijzen';
  fout?: string;
}

const rij = (k: string, v: Html | string | null | undefined) =>
  html`<div class="console-rij">
    <dt>${k}</dt>
    <dd>${v ?? '–'}</dd>
  </div>`;

const TYPE_LABEL: Record<string, string> = {
  'nl.samenloop.signaal': 'Signaal',
  'nl.samenloop.vervallen': 'Vervallen',
  'nl.samenloop.opdracht.afgewezen': 'Opdracht geweigerd',
};

export function signaalPagina(ctx: PaginaContext, s: SignaalData): Html {
  const { doc } = s;
  const m = doc.huidig;
  const g = ctx.gemeente!;
  const b = m.beeindiging;
  const naam = m.client?.naam ?? 'onbekende cliënt';
  const beslisbaar = b?.status === 'voorgesteld';
  const antwoord =
    b && b.status !== 'voorgesteld'
      ? html`<div class="utrecht-alert utrecht-alert--ok" role="status">
          <p class="utrecht-paragraph" data-uitkomst="${b.status}">
            De beëindiging is
            ${label(BEEINDIGING_STATUS_LABEL, b.status)}${b.besluit ? html` door ${b.besluit.door}` : ''}.
          </p>
        </div>`
      : '';
  const weigering = s.weigeringen.at(-1);
  return layout(
    { ...ctx, titel: `Signaal ${naam}`, actief: 'werkvoorraad' },
    html`<p class="utrecht-paragraph">
        <a class="utrecht-link" href="/g/${g}/werkvoorraad">Terug naar de werkvoorraad</a>
      </p>
      <h1 class="utrecht-heading-1">Signaal: ${naam}</h1>
      <p class="utrecht-paragraph">
        ${m.type === 'nl.samenloop.vervallen' ? html`<strong>Dit signaal is vervallen</strong> (${m.reden ?? ''}).` : html`Status: <strong data-status="${doc.status ?? 'afgehandeld'}">${doc.status ? label(STATUS_LABEL, doc.status) : 'afgehandeld'}</strong>.`}
        Eerst gemeld ${tijdstip(doc.eerst)}, laatst gewijzigd ${tijdstip(doc.laatst)}.
      </p>
      ${s.fout ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><p class="utrecht-paragraph">${s.fout}</p></div>` : ''}
      <div
        id="uitkomst"
        aria-live="polite"
        data-wacht="${s.wachtOp && beslisbaar && !weigering ? '1' : ''}"
        data-status-url="/g/${g}/signalen/${doc.id}/status"
      >
        ${antwoord}
        ${weigering ? html`<div class="utrecht-alert utrecht-alert--error" role="status"><p class="utrecht-paragraph" data-uitkomst="geweigerd">De verwerking weigerde het besluit${weigering.door ? html` van ${weigering.door}` : ''}: ${weigering.reden}</p></div>` : ''}
        ${
          s.wachtOp && beslisbaar && !weigering
            ? html`<div class="utrecht-alert utrecht-alert--info">
                <p class="utrecht-paragraph">
                  Uw besluit (${s.wachtOp}) is verstuurd. De verwerking antwoordt binnen enkele seconden.
                  <a class="utrecht-link" href="/g/${g}/signalen/${doc.id}?wacht=${s.wachtOp}"
                    >Pagina vernieuwen</a
                  >
                </p>
              </div>`
            : ''
        }
      </div>
      <section aria-labelledby="kop-client">
        <h2 class="utrecht-heading-2" id="kop-client">Cliënt</h2>
        <dl class="console-gegevens">
          ${rij('Naam', naam)} ${rij('BSN', m.client?.bsn)}
          ${rij('Geboortedatum', datum(m.client?.geboortedatum))}
          ${m.overlijdensdatum ? rij('Overlijdensdatum', datum(m.overlijdensdatum)) : ''}
        </dl>
      </section>
      <section aria-labelledby="kop-wlz">
        <h2 class="utrecht-heading-2" id="kop-wlz">Wlz (dat-informatie)</h2>
        <dl class="console-gegevens">
          ${rij('Afgiftedatum indicatie', datum(m.wlz?.afgiftedatum))}
          ${rij('Ingangsdatum indicatie', datum(m.wlz?.ingangsdatum))}
          ${rij('Einddatum indicatie', datum(m.wlz?.einddatum))}
          ${rij('Woonsituatie', label(WOONSITUATIE_LABEL, m.wlz?.woonsituatie))}
          ${rij('Ingangsdatum zorgtoewijzing', m.wlz?.zorgtoewijzingIngangsdatum ? datum(m.wlz.zorgtoewijzingIngangsdatum) : 'nog geen zorgtoewijzing')}
        </dl>
      </section>
      <section aria-labelledby="kop-wmo">
        <h2 class="utrecht-heading-2" id="kop-wmo">
          Wmo-${m.wmo?.soort === 'aanvraag' ? 'aanvraag' : 'toewijzing'}
        </h2>
        <dl class="console-gegevens">
          ${m.wmo?.soort === 'aanvraag' ? rij('Aanvraag', m.wmo?.aanvraagId) : rij('Toewijzingnummer', m.wmo?.toewijzingnummer)}
          ${rij('Productcategorie', m.wmo?.productcategorie ? `${m.wmo.productcategorie} ${categorieNaam(m.wmo.productcategorie)}` : null)}
          ${rij('Productcode', m.wmo?.productcode)} ${rij('Aanbieder (AGB-code)', m.wmo?.aanbieder)}
          ${rij('Ingangsdatum', datum(m.wmo?.ingangsdatum))} ${rij('Einddatum', datum(m.wmo?.einddatum))}
        </dl>
      </section>
      <section aria-labelledby="kop-regel">
        <h2 class="utrecht-heading-2" id="kop-regel">Regel</h2>
        <dl class="console-gegevens">
          ${rij('Beoordeling', label(BEOORDELING_LABEL, m.beoordeling))} ${rij('Regel', m.regel?.id)}
          ${rij('Omschrijving', s.uitleg?.titel ?? m.regel?.omschrijving)}
          ${rij('Grond', s.uitleg?.grond ?? m.regel?.omschrijving)}
        </dl>
        ${
          s.uitleg && s.uitleg.bronnen.length > 0
            ? html`<h3 class="utrecht-heading-3">Bronnen</h3>
                <ul class="utrecht-unordered-list">
                  ${s.uitleg.bronnen.map(
                    (x) =>
                      html`<li class="utrecht-unordered-list__item">
                        ${x.url ? html`<a class="utrecht-link" href="${safeHref(x.url)}" rel="noopener noreferrer">${x.titel}</a>` : x.titel}
                      </li>`,
                  )}
                </ul>`
            : m.regel?.bron
              ? html`<p class="utrecht-paragraph">Bron: ${m.regel.bron}</p>`
              : ''
        }
      </section>
      ${
        b
          ? html`<section aria-labelledby="kop-beeindiging">
              <h2 class="utrecht-heading-2" id="kop-beeindiging">Beëindiging</h2>
              <dl class="console-gegevens">
                ${rij('Kenmerk', b.id)} ${rij('Einddatum', datum(b.einddatum))}
                ${rij('Reden wijziging', label(REDEN_WIJZIGING_LABEL, b.redenWijziging))}
                ${rij('Status', label(BEEINDIGING_STATUS_LABEL, b.status))}
                ${b.besluit ? rij('Besloten door', b.besluit.door) : ''}
                ${b.besluit?.toelichting ? rij('Toelichting', b.besluit.toelichting) : ''}
              </dl>
              ${
                beslisbaar && !s.wachtOp
                  ? html`<form
                      method="post"
                      action="/g/${g}/signalen/${doc.id}/besluit"
                      class="console-besluit"
                    >
                      <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
                      <input type="hidden" name="beeindigingId" value="${b.id}" />
                      <div class="utrecht-form-field">
                        <label class="utrecht-form-label" for="toelichting"
                          >Toelichting (optioneel, ten hoogste 1000 tekens)</label
                        >
                        <textarea
                          class="utrecht-textarea utrecht-textarea--html-textarea"
                          id="toelichting"
                          name="toelichting"
                          maxlength="1000"
                          rows="3"
                        ></textarea>
                      </div>
                      <div class="utrecht-button-group">
                        <button
                          type="submit"
                          name="besluit"
                          value="bevestigen"
                          class="utrecht-button utrecht-button--primary-action"
                        >
                          Beëindiging bevestigen
                        </button>
                        <button
                          type="submit"
                          name="besluit"
                          value="afwijzen"
                          class="utrecht-button utrecht-button--secondary-action"
                        >
                          Beëindiging afwijzen
                        </button>
                      </div>
                      <p class="utrecht-paragraph">
                        Bevestigen stuurt een WMO301 met de einddatum naar de aanbieder. Afwijzen stuurt
                        niets.
                      </p>
                    </form>`
                  : ''
              }
            </section>`
          : ''
      }
      <section aria-labelledby="kop-geschiedenis">
        <h2 class="utrecht-heading-2" id="kop-geschiedenis">Geschiedenis</h2>
        <table class="utrecht-table">
          <caption class="utrecht-table__caption">
            Meldingen over dit signaal, oudste eerst
          </caption>
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">Tijdstip</th>
              <th class="utrecht-table__header-cell" scope="col">Soort</th>
              <th class="utrecht-table__header-cell" scope="col">Beoordeling</th>
              <th class="utrecht-table__header-cell" scope="col">Beëindiging</th>
              <th class="utrecht-table__header-cell" scope="col">Door</th>
              <th class="utrecht-table__header-cell" scope="col">Toelichting of reden</th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            ${[
              ...doc.geschiedenis.map((h) => ({ ...h, soort: TYPE_LABEL[h.type] ?? h.type })),
              ...s.weigeringen.map((w) => ({
                time: w.time,
                soort: TYPE_LABEL['nl.samenloop.opdracht.afgewezen']!,
                beoordeling: null,
                beeindigingStatus: null,
                door: w.door,
                toelichting: null,
                reden: w.reden,
              })),
            ]
              .sort((a, c) => a.time.localeCompare(c.time))
              .map(
                (h) =>
                  html`<tr class="utrecht-table__row">
                    <td class="utrecht-table__cell">${tijdstip(h.time)}</td>
                    <td class="utrecht-table__cell">${h.soort}</td>
                    <td class="utrecht-table__cell">${label(BEOORDELING_LABEL, h.beoordeling)}</td>
                    <td class="utrecht-table__cell">
                      ${h.beeindigingStatus ? label(BEEINDIGING_STATUS_LABEL, h.beeindigingStatus) : '–'}
                    </td>
                    <td class="utrecht-table__cell">${h.door ?? '–'}</td>
                    <td class="utrecht-table__cell">${h.toelichting ?? h.reden ?? '–'}</td>
                  </tr>`,
              )}
          </tbody>
        </table>
      </section>`,
  );
}
