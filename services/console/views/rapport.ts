import { html, type Html } from '../html';
import { layout, type PaginaContext } from './layout';

export function rapportPagina(ctx: PaginaContext): Html {
  const g = ctx.gemeente!;
  return layout(
    { ...ctx, titel: 'Rapport', actief: 'rapport' },
    html`<h1 class="utrecht-heading-1">Rapport</h1>
      <p class="utrecht-paragraph">
        Het dagelijkse bestand: één regel per signaal, wijziging of intrekking, met de dat-informatie, de
        Wmo-toewijzing, de beoordeling, de regel en een eventuele beëindiging. Dezelfde kolommen als
        <code>samenloop report</code>.
      </p>
      <form method="get" action="/g/${g}/rapport/bestand" class="console-rapport">
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="sinds">Vanaf datum (leeg: alles)</label>
          <input class="utrecht-textbox utrecht-textbox--html-input" id="sinds" name="sinds" type="date" />
        </div>
        <fieldset class="utrecht-form-fieldset">
          <legend class="utrecht-form-fieldset__legend">Formaat</legend>
          <div class="utrecht-form-field utrecht-form-field--radio">
            <input
              class="utrecht-radio-button"
              type="radio"
              id="formaat-csv"
              name="formaat"
              value="csv"
              checked
            />
            <label class="utrecht-form-label utrecht-form-label--radio" for="formaat-csv"
              >CSV (voor Excel: puntkomma, UTF-8)</label
            >
          </div>
          <div class="utrecht-form-field utrecht-form-field--radio">
            <input class="utrecht-radio-button" type="radio" id="formaat-xlsx" name="formaat" value="xlsx" />
            <label class="utrecht-form-label utrecht-form-label--radio" for="formaat-xlsx"
              >Excel-werkmap (xlsx)</label
            >
          </div>
        </fieldset>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">
          Rapport downloaden
        </button>
      </form>`,
  );
}
