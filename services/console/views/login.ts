import { html, type Html } from '../html';
import { layout } from './layout';

export function loginPagina(melding?: string): Html {
  return layout(
    { titel: 'Inloggen' },
    html`<h1 class="utrecht-heading-1">Inloggen</h1>
      ${melding ? html`<div class="utrecht-alert utrecht-alert--info" role="status"><p class="utrecht-paragraph">${melding}</p></div>` : ''}
      <p class="utrecht-paragraph">
        Log in met uw account van de gemeente. U ziet alleen de signalen van uw eigen gemeente.
      </p>
      <p class="utrecht-paragraph">
        <a
          class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action"
          href="/auth/start"
          >Inloggen bij de gemeente</a
        >
      </p>`,
  );
}

export function geenToegangPagina(): Html {
  return layout(
    { titel: 'Geen toegang' },
    html`<h1 class="utrecht-heading-1">Geen toegang</h1>
      <p class="utrecht-paragraph">
        Uw account hoort niet bij een gemeente die deze console bedient. Neem contact op met uw beheerder.
      </p>
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/inloggen">Opnieuw inloggen</a></p>`,
  );
}
