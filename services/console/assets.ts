/**
 * The console's own static files: a little CSS on top of the NL Design System (Utrecht) components, and
 * the progressive enhancement script (every page works without it). Served from /static/.
 */
export const CONSOLE_CSS = `
.console-header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 1rem; padding: 1rem 1.5rem; border-block-end: 4px solid #cc0000; }
.console-merk { font-weight: bold; margin: 0; font-size: 1.25rem; }
.console-gebruiker { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
.console-inline { display: inline; margin: 0; }
.console-nav { padding: 0 1.5rem; }
.console-main { padding: 1rem 1.5rem 2rem; max-inline-size: 80rem; }
.console-main:focus { outline: none; }
.console-main h2 { margin-block-start: 1.75rem; }
.console-main h1 + p, .console-main h1 + section h2 { margin-block-start: 0.5rem; }
.console-main form, .console-main table, .console-main dl { margin-block-end: 1rem; }
.console-footer { padding: 1rem 1.5rem; }
.console-tellers { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0 0 1rem; }
.console-tellers > div { border: 1px solid #666; border-radius: 4px; padding: 0.5rem 1rem; min-inline-size: 9rem; }
.console-tellers dt { font-size: 0.9rem; }
.console-tellers dd { margin: 0; font-size: 1.5rem; font-weight: bold; }
.console-filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; }
.console-filters .utrecht-form-field { margin: 0; }
.console-gegevens { display: grid; grid-template-columns: minmax(12rem, max-content) 1fr; gap: 0.25rem 1.5rem; }
.console-rij { display: contents; }
.console-rij dt { font-weight: bold; }
.console-rij dd { margin: 0; }
.console-besluit { margin-block-start: 1rem; max-inline-size: 40rem; }
.console-besluit textarea { inline-size: 100%; }
.console-gemeenten a[aria-current] { font-weight: bold; }
.utrecht-nav-list__link[aria-current] { font-weight: bold; text-decoration: underline; }
`;

export const CONSOLE_JS = `'use strict';
// Progressive enhancement: after a besluit the page asks for the processor's answer and reloads when it came;
// without this script the page has a link to reload it.
(function () {
  var box = document.getElementById('uitkomst');
  if (box && box.getAttribute('data-wacht') === '1') {
    var url = box.getAttribute('data-status-url');
    var tries = 0;
    var poll = function () {
      tries++;
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (s && s.klaar) { window.location.replace(window.location.pathname); return; }
          if (tries < 120) setTimeout(poll, 1000);
        })
        .catch(function () { if (tries < 120) setTimeout(poll, 2000); });
    };
    setTimeout(poll, 500);
  }
  var forms = document.querySelectorAll('form.console-upload, form.console-besluit');
  Array.prototype.forEach.call(forms, function (f) {
    f.addEventListener('submit', function () {
      f.setAttribute('aria-busy', 'true');
    });
  });
})();
`;
