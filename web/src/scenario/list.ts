import type { Map as MapLibreMap } from 'maplibre-gl';
import type { App } from '../app';
import { Catalog } from '../catalog';
import { announce, h, replaceChildren } from '../dom';
import { formatDate } from '../i18n';
import type { View } from '../router';
import type { WebConfig } from '../twinmap';
import { deleteScenario, type ScenarioVersion } from './api';
import { ScenarioEditor } from './edit';
import { st, type ScenarioKey } from './messages';
import { scenarioIdOf, shortHash } from './model';

declare global {
  interface Window {
    tweelingScenario?: { readonly map: MapLibreMap | null };
  }
}

/**
 * `#/scenarios`: the scenarios (name, latest version, reference date, short content hash) with open and delete, a new
 * one, and the editor of the one opened (`#/scenarios?scenario=<id>`). The public sees that scenarios need sign-in.
 */
export function scenarioView(): View {
  let refresh: (() => Promise<void>) | null = null;
  return {
    route: '#/scenarios',
    titleKey: 'nav.scenarios',
    async render(container: HTMLElement, app: App) {
      const t = (key: ScenarioKey, params?: Record<string, string | number>) => st(app.language, key, params);
      const heading = h('h1', { class: 'utrecht-heading-1', tabindex: -1 });
      const intro = h('p', { class: 'scenario-intro' });
      const signIn = h('div', { id: 'scenario-inloggen', class: 'scenario-inloggen', hidden: true });
      const status = h('p', { id: 'scenarios-status', role: 'status' });
      const listTitle = h('h2', { class: 'utrecht-heading-2', id: 'scenarios-titel' });
      const table = h('table', { id: 'scenarios-tabel', class: 'utrecht-table' });
      const create = h('button', { type: 'button', id: 'scenario-nieuw', class: 'utrecht-button utrecht-button--primary-action' });
      const list = h('section', { id: 'scenarios-lijst', 'aria-labelledby': 'scenarios-titel', hidden: true }, listTitle, h('div', { class: 'tabel-rol' }, table), create);
      const dialog = h('dialog', { id: 'scenario-verwijderen', class: 'scenario-dialoog', 'aria-labelledby': 'scenario-verwijderen-titel', 'aria-describedby': 'scenario-verwijderen-vraag' });
      let scenarios: ScenarioVersion[] = [];

      // The map's settings and the role's catalog, asked for when the editor first needs its map.
      const mapSettings = async () => ({
        catalog: await Catalog.load(app.api),
        config: { basemap: null, basemapAttribution: null, ...((await app.api.find<WebConfig>('/config.json').catch(() => null)) ?? {}) },
      });
      const editor = new ScenarioEditor(app, mapSettings, () => void load(), () => {
        editor.hide();
        history.replaceState(null, '', '#/scenarios');
        heading.focus();
      });
      container.append(heading, intro, signIn, status, list, editor.element, dialog);
      // The test seam of the editor's map, as `window.tweeling` is the map view's (web/README.md).
      window.tweelingScenario = { get map() { return editor.map?.map ?? null; } };

      const canWrite = () => app.role === 'analist' || app.role === 'beheerder';

      const renderTexts = () => {
        heading.textContent = t('scenario.title');
        intro.textContent = t('scenario.intro');
        listTitle.textContent = t('scenario.list.title');
        create.textContent = t('scenario.new');
        replaceChildren(signIn,
          h('p', {}, t('scenario.signin')),
          h('a', { href: '#gebruikersnaam', class: 'utrecht-link utrecht-link--html-a', id: 'scenario-naar-inloggen' }, t('scenario.signin.link')),
        );
        renderList();
      };

      const renderList = () => {
        create.hidden = !canWrite();
        replaceChildren(
          table,
          h('caption', { class: 'utrecht-table__caption' }, t('scenario.list.caption')),
          h('thead', { class: 'utrecht-table__header' },
            h('tr', { class: 'utrecht-table__row' },
              (['scenario.list.name', 'scenario.list.version', 'scenario.list.date', 'scenario.list.hash', 'scenario.list.actions'] as const).map((key) =>
                h('th', { scope: 'col', class: 'utrecht-table__header-cell' }, t(key)),
              ),
            ),
          ),
          h('tbody', { class: 'utrecht-table__body' },
            scenarios.length === 0
              ? h('tr', { class: 'utrecht-table__row' }, h('td', { class: 'utrecht-table__cell', colspan: 5 }, t('scenario.list.empty')))
              : scenarios.map((s) =>
                  h('tr', { class: 'utrecht-table__row', 'data-scenario': s.id },
                    h('th', { scope: 'row', class: 'utrecht-table__header-cell' }, s.naam),
                    h('td', { class: 'utrecht-table__cell utrecht-table__cell--numeric' }, String(s.versie)),
                    h('td', { class: 'utrecht-table__cell' }, h('time', { datetime: s.peildatum }, formatDate(app.language, s.peildatum))),
                    h('td', { class: 'utrecht-table__cell' }, h('code', { title: s.inhoudshash }, shortHash(s.inhoudshash))),
                    h('td', { class: 'utrecht-table__cell' }, h('div', { class: 'ingreep-acties' },
                      h('a', { href: `#/scenarios?scenario=${s.id}`, class: 'utrecht-link utrecht-link--html-a', 'aria-label': t('scenario.open.label', { name: s.naam }) }, t('scenario.open')),
                      canWrite()
                        ? h('button', { type: 'button', class: 'utrecht-button utrecht-button--subtle', 'data-verwijder': s.id, 'aria-label': t('scenario.delete.label', { name: s.naam }) }, t('scenario.delete'))
                        : null,
                    )),
                  ),
                ),
          ),
        );
      };

      const load = async () => {
        const signedIn = app.role !== 'publiek';
        signIn.hidden = signedIn;
        list.hidden = !signedIn;
        if (!signedIn) {
          scenarios = [];
          status.textContent = '';
          editor.hide(true);
          return;
        }
        status.textContent = t('scenario.loading');
        try {
          scenarios = await app.api.get<ScenarioVersion[]>('/api/v1/scenarios?limit=1000');
          status.textContent = canWrite() ? '' : t('scenario.readonly');
          renderList();
        } catch (error) {
          status.textContent = t('scenario.failed', { detail: (error as Error).message });
        }
      };

      /** Opens the scenario the hash names (`?scenario=<id>`) in the editor, if it is not open already. */
      const openFromHash = async () => {
        const id = scenarioIdOf(location.hash);
        if (app.role === 'publiek' || id === null || id === editor.scenarioId) {
          return;
        }
        try {
          await editor.open(await app.api.get<ScenarioVersion>(`/api/v1/scenarios/${id}`));
        } catch (error) {
          status.textContent = t('scenario.failed', { detail: (error as Error).message });
        }
      };

      create.addEventListener('click', () => {
        history.replaceState(null, '', '#/scenarios');
        void editor.open(null);
      });

      table.addEventListener('click', (event) => {
        const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-verwijder]');
        const scenario = scenarios.find((s) => String(s.id) === button?.dataset['verwijder']);
        if (!button || !scenario) {
          return;
        }
        const confirm = h('button', { type: 'button', id: 'scenario-verwijderen-ja', class: 'utrecht-button utrecht-button--primary-action' }, t('scenario.delete.confirm'));
        const cancel = h('button', { type: 'button', id: 'scenario-verwijderen-nee', class: 'utrecht-button utrecht-button--secondary-action' }, t('scenario.delete.cancel'));
        replaceChildren(dialog,
          h('h2', { class: 'utrecht-heading-2', id: 'scenario-verwijderen-titel' }, t('scenario.delete.title')),
          h('p', { id: 'scenario-verwijderen-vraag' }, t('scenario.delete.question', { name: scenario.naam })),
          h('div', { class: 'scenario-knoppen' }, confirm, cancel),
        );
        cancel.addEventListener('click', () => {
          dialog.close();
          button.focus();
        });
        confirm.addEventListener('click', () => {
          void (async () => {
            try {
              await deleteScenario(app, scenario.id);
              dialog.close();
              if (editor.scenarioId === scenario.id) {
                editor.hide();
                history.replaceState(null, '', '#/scenarios');
              }
              announce(t('scenario.deleted', { name: scenario.naam }));
              await load();
              heading.focus();
            } catch (error) {
              dialog.close();
              status.textContent = t('scenario.failed', { detail: (error as Error).message });
            }
          })();
        });
        dialog.showModal();
        cancel.focus();
      });

      refresh = async () => {
        await load();
        await openFromHash();
      };
      app.on('language', renderTexts);
      app.on('role', () => {
        // Another role reads other things, and its map is made with its own catalog: start over.
        editor.hide(true);
        void refresh?.();
      });
      renderTexts();
      await refresh();
    },
    shown() {
      void refresh?.();
    },
  };
}
