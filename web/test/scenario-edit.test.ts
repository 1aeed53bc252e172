import { describe, expect, it } from 'vitest';
import { scenarioMessages } from '../src/scenario/messages';
import {
  closedRing,
  fieldsOf,
  interventionBody,
  interventionFromBody,
  kindNames,
  missingOrOutOfRange,
  polygonOf,
  problemsByField,
  resultsRoute,
  scenarioBody,
  scenarioIdOf,
  type Intervention,
} from '../src/scenario/model';

const square = { type: 'Polygon' as const, coordinates: [[[4.67, 51.8], [4.68, 51.8], [4.68, 51.81], [4.67, 51.81], [4.67, 51.8]]] };

describe('intervention kinds', () => {
  it('are the eleven of docs/scenarios.md, each with its members', () => {
    expect(kindNames).toEqual([
      'woningen-toevoegen', 'woningen-slopen', 'voorziening-toevoegen', 'voorziening-opheffen', 'voorziening-wijzigen', 'wegen-afsluiten',
      'snelheid-wijzigen', 'verkeer-factor', 'groen-toevoegen', 'bevolking-vergrijzen', 'banen-verplaatsen',
    ]);
    expect(fieldsOf('banen-verplaatsen').map((f) => f.name)).toEqual(['van', 'naar', 'aantal']);
    expect(fieldsOf('snelheid-wijzigen').find((f) => f.name === 'snelheid')).toMatchObject({ min: 5, max: 130 });
    expect(fieldsOf('verkeer-factor').find((f) => f.name === 'factor')).toMatchObject({ min: 0, max: 5 });
  });

  it('have a name and field labels in both languages', () => {
    for (const kind of kindNames) {
      expect(scenarioMessages.nl[`kind.${kind}`]).toBeTruthy();
      for (const field of fieldsOf(kind)) {
        expect(Object.keys(scenarioMessages.en)).toContain(`field.${field.name}`);
      }
    }
    expect(Object.keys(scenarioMessages.en).sort()).toEqual(Object.keys(scenarioMessages.nl).sort());
  });
});

describe('geometry in CRS84', () => {
  it('closes an open ring and rounds to 7 decimals', () => {
    expect(closedRing([[4.700000000000001, 51.8], [4.71, 51.8], [4.71, 51.81]])).toEqual([[4.7, 51.8], [4.71, 51.8], [4.71, 51.81], [4.7, 51.8]]);
  });

  it('leaves a closed ring closed, without a second closing position', () => {
    expect(closedRing(square.coordinates[0]!)).toHaveLength(5);
  });

  it('takes the largest part of a MultiPolygon (a buurt may be one) as the Polygon', () => {
    const small = [[[4.6, 51.8], [4.601, 51.8], [4.601, 51.801], [4.6, 51.8]]];
    const polygon = polygonOf({ type: 'MultiPolygon', coordinates: [small, square.coordinates] });
    expect(polygon).toEqual(square);
    expect(polygonOf({ type: 'Point', coordinates: [4.6, 51.8] })).toBeNull();
  });
});

describe('intervention ⇄ request body', () => {
  it('writes soort and the members, geometry rings closed', () => {
    const open = { type: 'Polygon' as const, coordinates: [square.coordinates[0]!.slice(0, 4)] };
    const body = interventionBody({ soort: 'woningen-toevoegen', values: { gebied: open, aantal: 2000, woningtype: 'appartement', eigendom: 'sociale-huur' } });
    expect(body).toEqual({ soort: 'woningen-toevoegen', gebied: square, aantal: 2000, woningtype: 'appartement', eigendom: 'sociale-huur' });
  });

  it('leaves out members not set, so the server names them as required', () => {
    expect(interventionBody({ soort: 'snelheid-wijzigen', values: { wegvakken: ['WV1'], snelheid: Number.NaN } })).toEqual({ soort: 'snelheid-wijzigen', wegvakken: ['WV1'] });
  });

  it('reads back every kind the way it was written', () => {
    const all: Intervention[] = [
      { soort: 'woningen-toevoegen', values: { gebied: square, aantal: 10, woningtype: 'vrijstaand', eigendom: 'koop' } },
      { soort: 'woningen-slopen', values: { gebied: square } },
      { soort: 'voorziening-toevoegen', values: { voorzieningtype: 'huisarts', locatie: { type: 'Point', coordinates: [4.675, 51.805] }, capaciteit: 2.5 } },
      { soort: 'voorziening-opheffen', values: { voorziening: 'VZ12' } },
      { soort: 'voorziening-wijzigen', values: { voorziening: 'VZ12', capaciteit: 4 } },
      { soort: 'wegen-afsluiten', values: { wegvakken: ['WV1', 'WV2'] } },
      { soort: 'snelheid-wijzigen', values: { wegvakken: ['WV3'], snelheid: 30 } },
      { soort: 'verkeer-factor', values: { zone: square, factor: 0.5 } },
      { soort: 'groen-toevoegen', values: { gebied: square, groensoort: 'bomen' } },
      { soort: 'bevolking-vergrijzen', values: { jaren: 10 } },
      { soort: 'banen-verplaatsen', values: { van: square, naar: square, aantal: 300 } },
    ];
    expect(all.map((i) => i.soort).sort()).toEqual([...kindNames].sort());
    for (const intervention of all) {
      const body = JSON.parse(JSON.stringify(interventionBody(intervention))) as Record<string, unknown>;
      expect(interventionFromBody(body), intervention.soort).toEqual(intervention);
    }
    expect(interventionFromBody({ soort: 'iets-anders' })).toBeNull();
  });

  it('writes the scenario body with the trimmed name and no empty description', () => {
    expect(scenarioBody({ naam: ' Station ', beschrijving: ' ', peildatum: '2025-01-01', ingrepen: [{ soort: 'bevolking-vergrijzen', values: { jaren: 5 } }] })).toEqual({
      naam: 'Station',
      peildatum: '2025-01-01',
      ingrepen: [{ soort: 'bevolking-vergrijzen', jaren: 5 }],
    });
  });
});

describe('checks before saving', () => {
  it('name a parameter that is missing, out of the server range, or not whole', () => {
    const problems = missingOrOutOfRange({ soort: 'woningen-toevoegen', values: { aantal: 2.5, woningtype: 'koop' } });
    expect(Object.fromEntries(problems)).toEqual({ gebied: 'required', aantal: 'whole', eigendom: 'required' });
    expect(Object.fromEntries(missingOrOutOfRange({ soort: 'snelheid-wijzigen', values: { wegvakken: [], snelheid: 200 } }))).toEqual({ wegvakken: 'required', snelheid: 'range' });
    expect(missingOrOutOfRange({ soort: 'verkeer-factor', values: { zone: square, factor: 0 } }).size).toBe(0);
  });
});

describe('the server problems by field', () => {
  // As Scenarios.ReadDraftAsync and ScenarioContent.Member write them (one detail names every problem).
  const detail =
    "Scenario 3 cannot get a new version: 'naam' is required: a text of 1 to 200 characters. " +
    "ingrepen[0]: 'locatie' lies outside the Netherlands (the RD New area); coordinates are longitude, latitude in CRS84. " +
    "ingrepen[0]: 'voorzieningtype' must be a facility type as in voorzieningen.type: lowercase letters and '-' (e.g. huisarts). " +
    "ingrepen[2] (wegen-afsluiten): unknown member 'snelheid'. " +
    "ingrepen[3]: 'snelheid' must be a number from 5 to 130 km/h. Nothing was stored.";

  it('puts each problem under its scenario member or intervention member, whole', () => {
    const { fields, general } = problemsByField(detail);
    expect(general).toEqual([]);
    expect(fields.get('naam')).toEqual(["'naam' is required: a text of 1 to 200 characters."]);
    expect(fields.get('ingrepen[0].locatie')).toEqual(["ingrepen[0]: 'locatie' lies outside the Netherlands (the RD New area); coordinates are longitude, latitude in CRS84."]);
    expect(fields.get('ingrepen[0].voorzieningtype')?.[0]).toMatch(/\(e\.g\. huisarts\)\.$/);
    expect(fields.get('ingrepen[2]')).toEqual(["ingrepen[2] (wegen-afsluiten): unknown member 'snelheid'."]);
    expect(fields.get('ingrepen[3].snelheid')).toEqual(["ingrepen[3]: 'snelheid' must be a number from 5 to 130 km/h."]);
  });

  it('keeps a problem about no field as a general one', () => {
    expect(problemsByField("The body is not valid JSON: 'x' is an invalid start of a value. Nothing was stored.").general).toEqual([
      "The body is not valid JSON: 'x' is an invalid start of a value.",
    ]);
  });
});

describe('routes', () => {
  it('name the results of a version and read the scenario of the editor', () => {
    expect(resultsRoute(7, 2)).toBe('#/scenarios/resultaat?scenario=7:2');
    expect(scenarioIdOf('#/scenarios?scenario=12')).toBe(12);
    expect(scenarioIdOf('#/scenarios')).toBeNull();
    expect(scenarioIdOf('#/scenarios?scenario=x')).toBeNull();
  });
});
