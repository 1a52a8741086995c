import { html, type Html } from '../html';
import { layout, tijdstip, type PaginaContext } from './layout';

/** The verwerkingsverslag of one upload, as the console keeps it. */
export interface Verslag {
  uploadId: string;
  bestandsnaam: string;
  tijd: string;
  door: string;
  samenvatting: Array<[string, string]>;
  fouten: Array<{ regel: string; veld: string; code: string; reden: string }>;
}

/** What a rejection code means, in Dutch, for the consulent (the reason beside it is the parser's own). */
export const CODE_BETEKENIS: Readonly<Record<string, string>> = {
  INVALID_BSN: 'Het BSN is ongeldig (9 cijfers, elfproef).',
  INVALID_DATE: 'Een datum is ongeldig of buiten het toegestane bereik.',
  INVALID_PERIOD: 'De einddatum ligt vóór de ingangsdatum.',
  INVALID_CODE: 'Een code staat niet in de codelijst.',
  INVALID_GEMEENTECODE: 'De gemeentecode is geen 4 cijfers.',
  INVALID_AGB: 'De AGB-code van de aanbieder is geen 8 cijfers.',
  INVALID_CSV:
    'De regel past niet in het CSV-formaat (kolommen, aanhalingstekens, lengte of een verplicht veld).',
  INVALID_CHARACTER: 'Een waarde bevat een niet-toegestaan teken.',
  SCHEMA: 'Een waarde past niet in het iWmo-formaat (lengte of patroon).',
  TOO_LARGE: 'De regel of een waarde is te lang.',
  EMPTY: 'De regel is leeg.',
};

export function uploadenPagina(ctx: PaginaContext, fout?: string): Html {
  const g = ctx.gemeente!;
  return layout(
    { ...ctx, titel: 'Uploaden', actief: 'uploaden' },
    html`<h1 class="utrecht-heading-1">Uploaden</h1>
      <p class="utrecht-paragraph">
        Een CSV-bestand met Wmo-voorzieningen en aanvragen (zie de README, "CSV upload"). Elke goede regel
        gaat naar de verwerking; afgekeurde regels staan in het verwerkingsverslag.
      </p>
      ${fout ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><p class="utrecht-paragraph">${fout}</p></div>` : ''}
      <form method="post" action="/g/${g}/uploaden" enctype="multipart/form-data" class="console-upload">
        <input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="bestand">CSV-bestand</label>
          <input
            class="utrecht-textbox"
            id="bestand"
            name="bestand"
            type="file"
            accept=".csv,text/csv"
            required
          />
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Uploaden</button>
      </form>`,
  );
}

export function verslagPagina(ctx: PaginaContext, v: Verslag): Html {
  const g = ctx.gemeente!;
  return layout(
    { ...ctx, titel: 'Verwerkingsverslag', actief: 'uploaden' },
    html`<h1 class="utrecht-heading-1">Verwerkingsverslag</h1>
      <p class="utrecht-paragraph">
        Upload ${v.uploadId} (${v.bestandsnaam}), ${tijdstip(v.tijd)}, door ${v.door}.
      </p>
      <dl class="console-tellers">
        ${v.samenvatting.map(
          ([k, n]) =>
            html`<div>
              <dt>${k}</dt>
              <dd data-verslag="${k}">${n}</dd>
            </div>`,
        )}
      </dl>
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="/g/${g}/uploads/${v.uploadId}/verslag.csv" download
          >Verslag downloaden (CSV)</a
        >
      </p>
      <h2 class="utrecht-heading-2">Afgekeurde regels</h2>
      ${
        v.fouten.length === 0
          ? html`<p class="utrecht-paragraph">Geen: elke regel is goedgekeurd.</p>`
          : html`<table class="utrecht-table console-verslag">
              <caption class="utrecht-table__caption">
                Regels die niet zijn verwerkt
              </caption>
              <thead class="utrecht-table__header">
                <tr class="utrecht-table__row">
                  <th class="utrecht-table__header-cell" scope="col">Regel</th>
                  <th class="utrecht-table__header-cell" scope="col">Veld</th>
                  <th class="utrecht-table__header-cell" scope="col">Betekenis</th>
                  <th class="utrecht-table__header-cell" scope="col">Code en reden (technisch)</th>
                </tr>
              </thead>
              <tbody class="utrecht-table__body">
                ${v.fouten.map(
                  (f) =>
                    html`<tr class="utrecht-table__row">
                      <td class="utrecht-table__cell">${f.regel}</td>
                      <td class="utrecht-table__cell">${f.veld || '–'}</td>
                      <td class="utrecht-table__cell">
                        ${Object.hasOwn(CODE_BETEKENIS, f.code) ? CODE_BETEKENIS[f.code] : f.code}
                      </td>
                      <td class="utrecht-table__cell">${f.code}: ${f.reden}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="/g/${g}/uploaden">Nog een bestand uploaden</a>
      </p>`,
  );
}

/** Reads the verslag CSV that `samenloop import` writes (';', quotes, BOM, CRLF). Pure. */
export function parseVerslagCsv(text: string): Pick<Verslag, 'samenvatting' | 'fouten'> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  const fouten: Verslag['fouten'] = [];
  const samenvatting: Verslag['samenvatting'] = [];
  for (const r of rows.slice(1)) {
    if (r.length < 4 || r.every((x) => x === '')) continue;
    const [regel, veld, code, reden] = r as [string, string, string, string];
    if (regel === '' && code === '') samenvatting.push([veld, reden]);
    else fouten.push({ regel, veld, code, reden });
  }
  return { samenvatting, fouten };
}
