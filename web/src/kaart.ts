import type { App, Selection } from './app';
import { Catalog } from './catalog';
import { choiceOptions, parseChoice } from './colouring';
import { DetailsPanel } from './details';
import { announce, h, replaceChildren } from './dom';
import { renderLegend } from './legend';
import { areaTable, featureTable, renderTable, showsAreas, tableLayers } from './maptable';
import { afterFirstView, domains, layerDefinition, layers } from './layers';
import type { MessageKey } from './i18n';
import type { View } from './router';
import { SearchBox } from './searchbox';
import type { SearchItem } from './search';
import { formatHash, parseHash } from './state';
import { TwinMap, type WebConfig } from './twinmap';

/** The test and benchmark hook of the contract (web/README.md). */
export interface TweelingHook {
  readonly map: TwinMap['map'];
  recolour(indicatorId: string): Promise<number>;
  selectFeature(collectionId: string, featureId: string): Promise<void>;
  /** The object a click at this point of the map's canvas (CSS pixels) selects, or `null`. */
  featureAt(point: [number, number]): Selection | null;
}

declare global {
  interface Window {
    tweeling?: TweelingHook;
  }
}

/** The map view `#/kaart`: search, layers by domain, colouring, legend, the 3D map, the click panel and the table. */
export function mapView(config: WebConfig): View {
  return {
    route: '#/kaart',
    titleKey: 'nav.kaart',
    render: (container, app) => renderMapView(container, app, config),
  };
}

async function renderMapView(container: HTMLElement, app: App, config: WebConfig): Promise<void> {
  const initial = parseHash(location.hash);
  let catalog = await Catalog.load(app.api);
  performance.mark('tweeling:catalogus');
  const t = app.t.bind(app);

  const searchInput = h('input', { type: 'search', id: 'zoeken', class: 'utrecht-textbox utrecht-textbox--html-input', 'aria-describedby': 'zoeken-status' });
  const searchList = h('ul', { id: 'zoekresultaten', class: 'zoekresultaten', hidden: true });
  const searchStatus = h('p', { id: 'zoeken-status', class: 'zoeken-status', 'aria-live': 'polite' });
  const searchLabel = h('label', { for: 'zoeken', class: 'utrecht-form-label' });
  const layerForm = h('form', { class: 'lagen', 'aria-labelledby': 'lagen-titel' });
  const colourSelect = h('select', { id: 'kleur-indicator', class: 'utrecht-select utrecht-select--html-select' });
  const colourLabel = h('label', { for: 'kleur-indicator', class: 'utrecht-form-label' });
  const legend = h('section', { id: 'legenda', class: 'legenda', 'aria-labelledby': 'legenda-titel' });
  const mapElement = h('div', { id: 'kaart', class: 'kaart', role: 'region' });
  const mapDescription = h('p', { id: 'kaart-uitleg', class: 'visueel-verborgen' });
  const details = h('aside', { id: 'details', class: 'details', 'aria-labelledby': 'details-titel' });
  const tableTitle = h('h2', { class: 'utrecht-heading-2', id: 'tabel-titel' });
  const tableLayerLabel = h('label', { for: 'tabel-laag', class: 'utrecht-form-label' });
  const tableLayer = h('select', { id: 'tabel-laag', class: 'utrecht-select utrecht-select--html-select' });
  const table = h('table', { id: 'tabel', class: 'utrecht-table' });
  const tableNote = h('p', { class: 'tabel-noot' });
  const modules = h('div', { id: 'kaart-modules', class: 'kaart-modules' });
  const synthetic = h('p', { class: 'utrecht-data-badge synthetisch', hidden: !catalog.synthetic() });

  replaceChildren(
    container,
    h(
      'div',
      { class: 'kaart-indeling' },
      h(
        'div',
        { class: 'zijpaneel' },
        synthetic,
        h('div', { class: 'zoeken utrecht-form-field' }, searchLabel, searchInput, searchStatus, searchList),
        layerForm,
        h('div', { class: 'utrecht-form-field kleur' }, colourLabel, colourSelect),
        legend,
        modules,
      ),
      h('div', { class: 'kaart-vak' }, mapDescription, mapElement),
      details,
    ),
    h('section', { class: 'tabel-sectie', 'aria-labelledby': 'tabel-titel' }, tableTitle, h('div', { class: 'utrecht-form-field' }, tableLayerLabel, tableLayer), tableNote, h('div', { class: 'tabel-rol' }, table)),
  );
  mapElement.setAttribute('aria-describedby', 'kaart-uitleg');

  const twin = new TwinMap(
    app,
    mapElement,
    catalog,
    config,
    initial.layers,
    (collection) => {
      announce(t('map.failed', { detail: t(`layer.${collection}` as MessageKey) }));
    },
    afterFirstView,
  );
  performance.mark('tweeling:kaart-gemaakt');
  app.setMap(twin.map);

  const panel = new DetailsPanel(details, app, () => catalog, (feature) => twin.showFeature(feature));
  const searchBox = new SearchBox(searchInput, searchList, searchStatus, app, (item: SearchItem) => void select({ collection: item.collection, id: item.featureId }, true));

  const writeState = () => {
    const state = parseHash(location.hash);
    const hash = formatHash({
      ...state,
      route: '#/kaart',
      layers: layers.filter((l) => twin.visible.has(l.id)).map((l) => l.id),
      ...(twin.colour ? { colour: `${twin.colour.target}:${twin.colour.key}` } : { colour: undefined }),
      ...(app.selection ? { selected: app.selection } : { selected: undefined }),
      language: app.language,
    });
    if (location.hash.startsWith('#/kaart') || location.hash === '') {
      history.replaceState(null, '', hash);
    }
  };

  const select = async (selection: Selection | null, move = false) => {
    app.setSelection(selection);
    twin.highlight(selection);
    await panel.show(selection, move);
    writeState();
    if (move) {
      panel.focus();
    }
  };

  const renderLayers = () => {
    const available = catalog.available();
    replaceChildren(
      layerForm,
      h('h2', { class: 'utrecht-heading-2', id: 'lagen-titel' }, t('layers.title')),
      domains.map((domain) =>
        h(
          'fieldset',
          { class: 'utrecht-form-fieldset utrecht-form-fieldset--html-fieldset', 'data-domein': domain },
          h('legend', { class: 'utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend' }, t(`domain.${domain}` as MessageKey)),
          layers
            .filter((l) => l.domain === domain)
            .map((l) => {
              const input = h('input', {
                type: 'checkbox',
                id: `laag-${l.id}`,
                class: 'utrecht-checkbox utrecht-checkbox--html-input',
                'data-laag': l.id,
                checked: twin.visible.has(l.id),
                disabled: !available.has(l.id),
              });
              input.addEventListener('change', () => {
                twin.setVisible(l.id, input.checked);
                renderAll();
                writeState();
              });
              return h(
                'div',
                { class: 'utrecht-form-field utrecht-form-field--checkbox' },
                input,
                h('label', { for: `laag-${l.id}`, class: 'utrecht-form-label utrecht-form-label--checkbox' }, t(`layer.${l.id}` as MessageKey), available.has(l.id) ? null : ` (${t('layer.unavailable')})`),
              );
            }),
        ),
      ),
    );
  };

  const renderColourOptions = () => {
    const options = choiceOptions(catalog.indicators);
    const group = (target: string, key: MessageKey) =>
      h(
        'optgroup',
        { label: t(key) },
        options
          .filter((o) => o.group === target)
          .map((o) => h('option', { value: o.value }, o.indicator ? `${o.indicator.naam} (${o.indicator.eenheid})` : t(`colour.attr.${o.attribute}` as MessageKey))),
      );
    replaceChildren(
      colourSelect,
      h('option', { value: '' }, t('colour.none')),
      group('panden', 'colour.group.panden'),
      group('buurten', 'colour.group.buurten'),
      group('panden-buurt', 'colour.group.pandenbuurt'),
    );
    colourSelect.value = twin.colour ? `${twin.colour.target}:${twin.colour.key}` : '';
  };

  let tableTimer: ReturnType<typeof setTimeout> | undefined;
  const renderTableSoon = () => {
    clearTimeout(tableTimer);
    tableTimer = setTimeout(() => void renderMapTable(), 250);
  };
  const renderMapTable = async () => {
    const choices = tableLayers(twin.visible);
    const current = choices.includes(tableLayer.value) ? tableLayer.value : (choices.find((c) => c === 'buurten') ?? choices[0] ?? '');
    replaceChildren(
      tableLayer,
      choices.map((id) => h('option', { value: id, selected: id === current }, t(`layer.${id}` as MessageKey))),
    );
    tableLayer.value = current;
    const selectRow = (id: string) => void select({ collection: current, id }, true);
    if (!current) {
      renderTable(table, tableNote, { caption: t('table.empty'), columns: [t('table.name')], rows: [], count: 0 }, app, selectRow);
      return;
    }
    const indicator = twin.colour && showsAreas(current, twin.colour) ? catalog.indicator(twin.colour.key) : undefined;
    if (indicator && twin.paint) {
      renderTable(table, tableNote, areaTable(await twin.areas(), indicator, twin.paint.classes, t, app.language), app, selectRow);
      return;
    }
    const byAttribute = twin.colour?.target === 'panden' && current === 'panden' ? twin.colour.key : undefined;
    renderTable(table, tableNote, featureTable(current, twin.renderedFeatures(current), t, app.language, byAttribute ? twin.paint?.classes : undefined, byAttribute), app, selectRow);
  };

  const renderStatic = () => {
    synthetic.textContent = t('app.synthetic');
    searchLabel.textContent = t('search.label');
    searchInput.placeholder = t('search.placeholder');
    colourLabel.textContent = t('colour.label');
    mapElement.setAttribute('aria-label', t('map.label'));
    mapDescription.textContent = t('map.description');
    tableTitle.textContent = t('table.title');
    tableLayerLabel.textContent = t('table.layer');
    twin.map.getCanvas().setAttribute('aria-label', t('map.label'));
  };

  const renderAll = () => {
    renderLegend(legend, app, catalog, twin.visible, twin.colour, twin.paint);
    renderTableSoon();
  };

  const recolour = async (value: string) => {
    announce(t('colour.busy'));
    const ms = await twin.recolour(value);
    colourSelect.value = value && parseChoice(value) ? `${twin.colour!.target}:${twin.colour!.key}` : '';
    for (const input of layerForm.querySelectorAll<HTMLInputElement>('input[data-laag]')) {
      input.checked = twin.visible.has(input.dataset['laag']!);
    }
    renderAll();
    writeState();
    const name = twin.colour ? (twin.colour.target === 'panden' ? t(`colour.attr.${twin.colour.key}` as MessageKey) : (catalog.indicator(twin.colour.key)?.naam ?? twin.colour.key)) : t('colour.none');
    announce(t('colour.done', { name }));
    return ms;
  };

  colourSelect.addEventListener('change', () => void recolour(colourSelect.value));
  tableLayer.addEventListener('change', () => void renderMapTable());
  twin.map.on('click', (event) => {
    const hit = twin.featureAt([event.point.x, event.point.y]);
    void select(hit);
  });
  // A pointer over something clickable; looked up at most once per frame, as hit-testing 3D buildings is not free.
  let hover: [number, number] | null = null;
  twin.map.on('mousemove', (event) => {
    if (hover === null) {
      requestAnimationFrame(() => {
        twin.map.getCanvas().style.cursor = hover && twin.featureAt(hover) ? 'pointer' : '';
        hover = null;
      });
    }
    hover = [event.point.x, event.point.y];
  });
  twin.map.on('moveend', renderTableSoon);

  app.on('language', () => {
    renderStatic();
    renderLayers();
    renderColourOptions();
    renderAll();
    panel.render(app.selection ?? undefined);
    writeState();
  });
  app.on('role', () => {
    void (async () => {
      catalog = await Catalog.load(app.api);
      synthetic.hidden = !catalog.synthetic();
      await twin.reload(catalog);
      searchBox.invalidate();
      renderLayers();
      renderColourOptions();
      renderAll();
      await panel.show(app.selection);
      await twin.idle();
      renderTableSoon();
    })();
  });
  app.on('peildatum', () => {
    void (async () => {
      await twin.setPeildatum(app.peildatum);
      searchBox.invalidate();
      renderAll();
      await panel.show(app.selection);
    })();
  });

  renderStatic();
  renderLayers();
  renderColourOptions();
  renderAll();

  window.tweeling = {
    map: twin.map,
    recolour,
    selectFeature: (collectionId, featureId) => select({ collection: collectionId, id: featureId }, true),
    featureAt: (point) => twin.featureAt(point),
  };

  await twin.ready();
  if (initial.colour && parseChoice(initial.colour)) {
    await recolour(initial.colour).catch(() => undefined);
  }
  if (initial.selected && layerDefinition(initial.selected.collection)) {
    await select(initial.selected, false);
  }
  mapElement.dataset['ready'] = 'true';
  performance.mark('tweeling:data-ready');
  twin.showWithheld();
  announce(t('map.ready'));
  renderTableSoon();
  // The buurten's indicator values (0.5 MB, seconds of server work on a busy machine), fetched once the first view is
  // drawn and the page is idle rather than when the first colouring by a buurt indicator asks for them: that recolour
  // then only paints. (Within 2 s at the latest: a map that keeps drawing is never idle.)
  if (catalog.indicators.length > 0) {
    requestIdleCallback(() => void twin.areas().catch(() => undefined), { timeout: 2_000 });
  }
}
