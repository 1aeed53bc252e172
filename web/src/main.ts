import '@utrecht/component-library-css/dist/index.css';
import './styles/theme.css';
import './styles/app.css';
import { ProblemError } from './api';
import { App } from './app';
import { Catalog } from './catalog';
import { announce, byId, h, replaceChildren } from './dom';
import { otherLanguage, type MessageKey } from './i18n';
import { mountTimeAndLive, registerDashboardViews, registerScenarioResultsView } from './modules';
import { registeredViews, registerView, startRouter } from './router';
import { parseHash } from './state';
import type { WebConfig } from './twinmap';

/**
 * Starts the UI: the page frame (skip link, navigation, sign-in, language), then the view of the hash route.
 * Modules with views of their own (dashboards) register them here, before the router starts.
 *
 * This entry is small on purpose: the map (MapLibre, about 1 MB of script) is a chunk of its own, so the catalog and
 * the settings are asked for while that chunk downloads and compiles, not after (issue 5 item 10, the first view's
 * critical path; docs/benchmarks.md "Web first view, start-up path (web-firstview3)").
 */
async function start(): Promise<void> {
  // User Timing marks (`tweeling:*`) of the start-up, which the web benchmark's profile reports (web/e2e/bench.mjs).
  performance.mark('tweeling:start');
  const app = new App();
  const initial = parseHash(location.hash);
  if (initial.route === '#/kaart') {
    Catalog.prefetch(app.api);
  }
  const kaart = import('./kaart');
  const config = await app.api.find<WebConfig>('/config.json').catch(() => null);
  const webConfig: WebConfig = { basemap: config?.basemap ?? null, basemapAttribution: config?.basemapAttribution ?? null };
  registerView((await kaart).mapView(webConfig));
  registerDashboardViews();
  registerScenarioResultsView(webConfig);

  setUpLanguage(app);
  setUpSignIn(app);
  mountTimeAndLive(app);
  if (initial.language) {
    app.setLanguage(initial.language);
  }
  const main = byId('inhoud');
  startRouter(main, app, (view) => {
    renderNavigation(app);
    document.title = view ? `${app.t(view.titleKey)} – ${app.t('app.title')}` : app.t('app.title');
    if (!view) {
      replaceChildren(byId('melding'), h('a', { href: '#/kaart' }, app.t('view.notfound')));
    } else {
      replaceChildren(byId('melding'));
    }
  });
  app.on('language', () => renderNavigation(app));
}

function renderNavigation(app: App): void {
  const current = location.hash.split('?')[0] || '#/kaart';
  replaceChildren(
    byId('navigatie-lijst'),
    registeredViews().map((view) =>
      h('li', {}, h('a', { href: view.route, class: 'utrecht-link utrecht-link--html-a', 'aria-current': view.route === current ? 'page' : undefined }, app.t(view.titleKey))),
    ),
  );
  byId('navigatie').setAttribute('aria-label', app.t('nav.label'));
}

/** Texts of the page frame, in the current language. */
function renderFrame(app: App): void {
  document.documentElement.lang = app.language;
  for (const element of document.querySelectorAll<HTMLElement>('[data-tekst]')) {
    element.textContent = app.t(element.dataset['tekst'] as MessageKey);
  }
  const button = byId('taal');
  const other = otherLanguage(app.language);
  button.textContent = app.t('app.language.switch');
  button.setAttribute('lang', other);
  button.setAttribute('aria-label', app.t('app.language.switch.label'));
  renderRole(app);
}

function setUpLanguage(app: App): void {
  byId('taal').addEventListener('click', () => app.setLanguage(otherLanguage(app.language)));
  app.on('language', () => renderFrame(app));
  renderFrame(app);
}

function renderRole(app: App): void {
  byId('rol').textContent = app.t('login.role', { role: app.t(`role.${app.role}` as MessageKey) });
  byId('rol').dataset['rol'] = app.role;
}

/**
 * `form#inloggen`: the user name and password are checked against `/api/v1/ik` with HTTP Basic, and kept in
 * memory only (a reload signs out). The role shown is the one the platform reports.
 */
function setUpSignIn(app: App): void {
  const form = byId<HTMLFormElement>('inloggen');
  const userName = byId<HTMLInputElement>('gebruikersnaam');
  const password = byId<HTMLInputElement>('wachtwoord');
  const purpose = byId<HTMLInputElement>('doel');
  const fields = byId('inloggen-velden');
  const signOut = byId<HTMLButtonElement>('uitloggen');
  const message = byId('inloggen-melding');
  let user = '';
  /** The purpose the platform received at sign-in (`/api/v1/ik`), named in the message so the caller sees what is in force. */
  let statedPurpose: string | null = null;
  const signedInText = () => {
    const role = app.t(`role.${app.role}` as MessageKey);
    return statedPurpose ? app.t('login.signedin.purpose', { user, role, purpose: statedPurpose }) : app.t('login.signedin', { user, role });
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      message.textContent = app.t('login.busy');
      try {
        const me = await app.api.signIn({ userName: userName.value.trim(), password: password.value }, purpose.value);
        user = userName.value.trim();
        statedPurpose = me.doel;
        password.value = '';
        fields.hidden = true;
        signOut.hidden = false;
        app.setRole(me.rol);
        message.textContent = signedInText();
        signOut.focus();
      } catch (error) {
        message.textContent =
          error instanceof ProblemError && error.status === 401 ? app.t('login.failed') : app.t('login.unavailable', { detail: (error as Error).message });
        password.focus();
      }
      renderRole(app);
    })();
  });
  signOut.addEventListener('click', () => {
    app.api.signOut();
    fields.hidden = false;
    signOut.hidden = true;
    user = '';
    statedPurpose = null;
    app.setRole('publiek');
    message.textContent = app.t('login.signedout');
    renderRole(app);
    userName.focus();
  });
  app.on('language', () => {
    if (user) {
      message.textContent = signedInText();
    } else {
      message.textContent = '';
    }
  });
  app.on('role', () => announce(app.t('login.role', { role: app.t(`role.${app.role}` as MessageKey) })));
}

void start().catch((error: unknown) => {
  const detail = error instanceof Error ? error.message : String(error);
  document.getElementById('melding')?.replaceChildren(document.createTextNode(`Er ging iets mis / Something went wrong: ${detail}`));
});
