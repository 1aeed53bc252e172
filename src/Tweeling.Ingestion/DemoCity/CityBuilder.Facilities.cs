using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// Facilities, spread over the wijken in proportion to their inhabitants, in free blocks near each wijk's
/// core. Capacities follow Dutch norms so that totals match the population.
/// </summary>
internal sealed partial class CityBuilder
{
    /// <summary>Patients per full-time GP (the LHV norm practice size is about 2,095).</summary>
    public const double PatientsPerGpFte = 2_095;

    private static readonly FacilityKind[] s_facilityKinds =
    [
        new("huisarts", "Huisartsenpraktijk", 30, "fte", "zorg", 20, 14, 2),
        new("apotheek", "Apotheek", 25, "patienten", "winkel", 14, 12, 1),
        new("basisschool", "Basisschool De", 40, "leerlingplaatsen", "onderwijs", 30, 16, 2),
        new("kinderopvang", "Kinderopvang", 50, "kindplaatsen", "bijeenkomst", 16, 12, 1),
        new("supermarkt", "Supermarkt", 50, "m2", "winkel", 28, 22, 1),
        new("verpleeghuis", "Zorgcentrum", 10, "bedden", "zorg", 28, 14, 4),
        new("sport", "Sporthal", 20, "m2", "sport", 28, 24, 1),
    ];

    private void PlaceFacilities(Random random)
    {
        var occupants = _layout.Wijken.ToDictionary(w => w, w => _layout.Buurten.Where(b => b.Wijk == w).Sum(b => b.Occupants));
        var inhabitants = occupants.Values.Sum();
        var freeCells = FreeCellsByWijk();
        var planned = new List<(FacilityKind Kind, WijkArea Wijk)>();
        foreach (var kind in s_facilityKinds)
        {
            var shares = LargestRemainder(kind.CountPerScale * _options.Scale, [.. _layout.Wijken.Select(w => occupants[w])]);
            for (var w = 0; w < shares.Length; w++)
            {
                planned.AddRange(Enumerable.Repeat((kind, _layout.Wijken[w]), shares[w]));
            }
        }

        var placed = new List<(FacilityKind Kind, Coordinate At, BuurtArea Buurt, double Floor)>();
        foreach (var (kind, wijk) in planned.OrderBy(p => random.Next()))
        {
            var cells = freeCells[wijk];
            while (cells.Count > 0)
            {
                var (i, j) = cells.Dequeue();
                var inner = Inner(i, j);
                var w = Math.Min(kind.Width, inner.Width - 2);
                var d = Math.Min(kind.Depth, inner.Height - 2);
                var rect = new Envelope(inner.Centre.X - (w / 2), inner.Centre.X + (w / 2), inner.Centre.Y - (d / 2), inner.Centre.Y + (d / 2));
                var year = wijk.Zone == Zone.Buitenwijk ? wijk.Era + random.Next(0, 6) : random.Next(1955, 2016);
                var count = _panden.Count;
                if (AddPand(i, j, rect, year, kind.Functie, Round1((kind.Storeys * 3.8) + 1), kind.Storeys, 0, -1, -1))
                {
                    _cellUse[_layout.CellIndex(i, j)] = CellUse.Facility;
                    var buurt = _layout.Buurten.First(b => b.Code == (string)_panden[count].Properties["buurtcode"]!);
                    placed.Add((kind, rect.Centre, buurt, w * d * kind.Storeys));
                    break;
                }
            }
        }

        foreach (var kind in s_facilityKinds)
        {
            var ofKind = placed.Where(p => p.Kind == kind).ToList();
            var weights = ofKind.Select(_ => 0.5 + random.NextDouble()).ToArray();
            var total = kind.Type switch
            {
                "huisarts" => inhabitants / PatientsPerGpFte,
                "apotheek" => inhabitants,
                "basisschool" => inhabitants * 0.10,
                "kinderopvang" => inhabitants * 0.028,
                "verpleeghuis" => inhabitants * 0.009,
                _ => 0,
            };
            for (var k = 0; k < ofKind.Count; k++)
            {
                var (_, at, buurt, floor) = ofKind[k];
                var capacity = kind.Type switch
                {
                    "huisarts" => Round1(total * weights[k] / weights.Sum()),
                    "supermarkt" => Math.Round(600 + (random.NextDouble() * 1200)),
                    "sport" => Math.Round(floor),
                    _ => Math.Round(total * weights[k] / weights.Sum()),
                };
                var stem = buurt.Wijk.Theme[random.Next(buurt.Wijk.Theme.Length)];
                AddFacility(kind.Type, $"{kind.Label} {stem}", at, buurt, Math.Max(capacity, 0.1), kind.Unit);
            }
        }

        for (var c = 0; c < _cellUse.Length; c++)
        {
            if (_cellUse[c] == CellUse.Free)
            {
                _cellUse[c] = CellUse.Green;
            }
        }

        AddParksAndPlaygrounds(random);
    }

    private Dictionary<WijkArea, Queue<(int I, int J)>> FreeCellsByWijk()
    {
        var result = _layout.Wijken.ToDictionary(w => w, _ => new List<(int I, int J, double Distance)>());
        for (var j = 0; j < _layout.Ny; j++)
        {
            for (var i = 0; i < _layout.Nx; i++)
            {
                var index = _layout.CellIndex(i, j);
                if (_cellUse[index] == CellUse.Free && _layout.CellWater[index] == 0 && _layout.CellInsideBuurt[index])
                {
                    var wijk = _layout.CellBuurt[index].Wijk;
                    result[wijk].Add((i, j, new Coordinate(_layout.LineX(i), _layout.LineY(j)).Distance(wijk.Core)));
                }
            }
        }

        return result.ToDictionary(p => p.Key, p => new Queue<(int, int)>(p.Value.OrderBy(c => c.Distance).Select(c => (c.I, c.J))));
    }

    private void AddParksAndPlaygrounds(Random random)
    {
        var greenByBuurt = _layout.Buurten.ToDictionary(b => b, _ => new List<int>());
        for (var c = 0; c < _cellUse.Length; c++)
        {
            if (_cellUse[c] == CellUse.Green && _layout.CellWater[c] == 0 && _layout.CellInsideBuurt[c])
            {
                greenByBuurt[_layout.CellBuurt[c]].Add(c);
            }
        }

        foreach (var buurt in _layout.Buurten.Where(b => IsUrban(b.Wijk.Zone)))
        {
            var green = greenByBuurt[buurt];
            if (green.Count >= 3)
            {
                var at = CellCentre(green[green.Count / 2]);
                var area = green.Count * CityLayout.CellSize * CityLayout.CellSize;
                AddFacility("park", buurt.Wijk.Theme[random.Next(buurt.Wijk.Theme.Length)] + "park", at, buurt, area, "m2");
            }

            if (green.Count >= 1 && buurt.Occupants > 250)
            {
                var at = CellCentre(green[0]);
                AddFacility("speeltuin", "Speeltuin " + buurt.Name, new Coordinate(at.X + 5, at.Y + 5), buurt, Math.Round(200 + (random.NextDouble() * 1300)), "m2");
            }
        }
    }

    private Coordinate CellCentre(int cell) =>
        new(_layout.LineX(cell % _layout.Nx) + (CityLayout.CellSize / 2), _layout.LineY(cell / _layout.Nx) + (CityLayout.CellSize / 2));

    private void AddFacility(string type, string name, Coordinate at, BuurtArea buurt, double capacity, string unit) =>
        _voorzieningen.Add(NewFeature(TwinCollections.Voorzieningen, Id("VZ", _voorzieningen.Count + 1), _factory.CreatePoint(at), new()
        {
            ["type"] = type,
            ["naam"] = name,
            ["capaciteit"] = capacity,
            ["capaciteitseenheid"] = unit,
            ["buurtcode"] = buurt.Code,
        }));

    /// <summary>Splits <paramref name="total"/> into whole parts proportional to <paramref name="weights"/> (largest remainder method).</summary>
    internal static int[] LargestRemainder(int total, double[] weights)
    {
        var sum = weights.Sum();
        var result = new int[weights.Length];
        if (sum <= 0 || total <= 0)
        {
            return result;
        }

        var exact = weights.Select(w => total * w / sum).ToArray();
        for (var k = 0; k < weights.Length; k++)
        {
            result[k] = (int)Math.Floor(exact[k]);
        }

        var order = Enumerable.Range(0, weights.Length).OrderByDescending(k => exact[k] - result[k]).ThenBy(k => k).ToArray();
        var missing = total - result.Sum();
        for (var k = 0; k < missing; k++)
        {
            result[order[k]]++;
        }

        return result;
    }
}

/// <summary>A facility type with its count at scale 1, capacity unit and the building that houses it.</summary>
internal sealed record FacilityKind(string Type, string Label, int CountPerScale, string Unit, string Functie, double Width, double Depth, int Storeys);
