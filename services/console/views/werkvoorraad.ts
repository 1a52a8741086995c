import { categorieNaam } from '../../rules';
import { leeftijdDagen, type Filters, type Werkvoorraad } from '../filters';
import { html, type Html } from '../html';
import { WERK_STATUSSEN } from '../model';
import { STATUS_LABEL, datum, label, layout, type PaginaContext } from './layout';

const dagen = (n: number) => (n === 1 ? '1 dag' : `${n} dagen`);

export function werkvoorraadPagina(ctx: PaginaContext, w: Werkvoorraad, f: Filters, now: Date): Html {
  const g = ctx.gemeente!;
  const optie = (value: string, text: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html` selected` : ''}>${text}</option>`;
  return layout(
    { ...ctx, titel: 'Werkvoorraad', actief: 'werkvoorraad' },
    html`<h1 class="utrecht-heading-1">Werkvoorraad</h1>
      <section aria-labelledby="kop-overzicht">
        <h2 class="utrecht-heading-2" id="kop-overzicht">Overzicht</h2>
        <dl class="console-tellers">
          <div>
            <dt>Open signalen</dt>
            <dd data-teller="totaal">${w.totaal}</dd>
          </div>
          ${WERK_STATUSSEN.map(
            (s) =>
              html`<div>
                <dt>${STATUS_LABEL[s]}</dt>
                <dd data-teller="${s}">${w.aantallen[s]}</dd>
              </div>`,
          )}
          <div>
            <dt>Oudste open signaal</dt>
            <dd data-teller="oudste">${w.oudsteDagen === null ? 'geen' : dagen(w.oudsteDagen)}</dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="kop-filters">
        <h2 class="utrecht-heading-2" id="kop-filters">Filteren</h2>
        <form method="get" action="/g/${g}/werkvoorraad" class="console-filters">
          <div class="utrecht-form-field">
            <label class="utrecht-form-label" for="f-beoordeling">Beoordeling</label>
            <select class="utrecht-select utrecht-select--html-select" id="f-beoordeling" name="beoordeling">
              ${optie('', 'Alle', f.beoordeling === undefined)}
              ${WERK_STATUSSEN.map((s) => optie(s, STATUS_LABEL[s]!, f.beoordeling === s))}
            </select>
          </div>
          <div class="utrecht-form-field">
            <label class="utrecht-form-label" for="f-categorie">Productcategorie</label>
            <select class="utrecht-select utrecht-select--html-select" id="f-categorie" name="categorie">
              ${optie('', 'Alle', f.categorie === undefined)}
              ${w.categorieen.map((c) => optie(c, `${c} ${categorieNaam(c)}`, f.categorie === c))}
            </select>
          </div>
          <div class="utrecht-form-field">
            <label class="utrecht-form-label" for="f-aanbieder">Aanbieder (AGB-code)</label>
            <select class="utrecht-select utrecht-select--html-select" id="f-aanbieder" name="aanbieder">
              ${optie('', 'Alle', f.aanbieder === undefined)}
              ${w.aanbieders.map((a) => optie(a, a, f.aanbieder === a))}
            </select>
          </div>
          <div class="utrecht-form-field">
            <label class="utrecht-form-label" for="f-dagen">Minimaal aantal dagen oud</label>
            <input
              class="utrecht-textbox utrecht-textbox--html-input"
              id="f-dagen"
              name="minDagen"
              type="number"
              min="0"
              max="9999"
              inputmode="numeric"
              value="${f.minDagen ?? ''}"
            />
          </div>
          <button type="submit" class="utrecht-button utrecht-button--secondary-action">
            Filter toepassen
          </button>
        </form>
      </section>
      <section aria-labelledby="kop-signalen">
        <h2 class="utrecht-heading-2" id="kop-signalen">Signalen (${w.gefilterd} van ${w.totaal})</h2>
        ${
          w.rijen.length === 0
            ? html`<p class="utrecht-paragraph">
                Er zijn geen open signalen${w.gefilterd < w.totaal ? ' met deze filters' : ''}.
              </p>`
            : html`<table class="utrecht-table console-signalen">
                <caption class="utrecht-table__caption">
                  Open signalen, oudste eerst
                </caption>
                <thead class="utrecht-table__header">
                  <tr class="utrecht-table__row">
                    <th class="utrecht-table__header-cell" scope="col">Cliënt</th>
                    <th class="utrecht-table__header-cell" scope="col">Geboortedatum</th>
                    <th class="utrecht-table__header-cell" scope="col">Beoordeling</th>
                    <th class="utrecht-table__header-cell" scope="col">Wmo-voorziening</th>
                    <th class="utrecht-table__header-cell" scope="col">Aanbieder</th>
                    <th class="utrecht-table__header-cell" scope="col">Leeftijd</th>
                  </tr>
                </thead>
                <tbody class="utrecht-table__body">
                  ${w.rijen.map((d) => {
                    const m = d.huidig;
                    const wmo = m.wmo;
                    return html`<tr class="utrecht-table__row">
                      <td class="utrecht-table__cell">
                        <a class="utrecht-link" href="/g/${g}/signalen/${d.id}"
                          >${m.client?.naam ?? 'onbekende cliënt'}</a
                        >
                      </td>
                      <td class="utrecht-table__cell">${datum(m.client?.geboortedatum)}</td>
                      <td class="utrecht-table__cell">${label(STATUS_LABEL, d.status)}</td>
                      <td class="utrecht-table__cell">
                        ${wmo?.productcategorie ? `${wmo.productcategorie} ${categorieNaam(wmo.productcategorie)}` : '–'}${wmo?.productcode ? ` (${wmo.productcode})` : ''}
                      </td>
                      <td class="utrecht-table__cell">${wmo?.aanbieder ?? '–'}</td>
                      <td class="utrecht-table__cell">${dagen(leeftijdDagen(d.eerst, now))}</td>
                    </tr>`;
                  })}
                </tbody>
              </table>`
        }
      </section>`,
  );
}
