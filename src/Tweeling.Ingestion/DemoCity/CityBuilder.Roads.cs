using Tweeling.Domain.Features;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>The road network: a 40 m street grid thinned out on industrial estates and in the polder, with arterials every 480 m, a ring road and a motorway.</summary>
internal sealed partial class CityBuilder
{
    /// <summary>Every twelfth grid line (480 m) is an arterial (gebiedsontsluitingsweg).</summary>
    private const int ArterialEvery = 12;

    /// <summary>Only every third street crosses the moat, on a bridge.</summary>
    private const int BridgeEvery = 3;

    private bool[] _hBridge = [];
    private bool[] _vBridge = [];

    /// <summary>The vertical grid line of the motorway, a fifth of the way in from the west edge.</summary>
    private int MotorwayI => (int)Math.Round(0.22 * _layout.Nx);

    /// <summary>The vertical leg of the ring road, halfway across.</summary>
    private int RingI => (int)Math.Round(0.5 * _layout.Nx);

    /// <summary>The horizontal leg of the ring road, 38% of the way down from the north edge.</summary>
    private int RingJ => (int)Math.Round(0.62 * _layout.Ny);

    private void PlanRoads()
    {
        int nx = _layout.Nx, ny = _layout.Ny;
        _hBridge = new bool[_hRoad.Length];
        _vBridge = new bool[_vRoad.Length];
        for (var j = 1; j < ny; j++)
        {
            for (var i = 0; i < nx; i++)
            {
                var index = (j * nx) + i;
                var isRing = j == RingJ && i >= MotorwayI;
                _hRoad[index] = PlanEdge(j, isRing, i, j - 1, i, j, _layout.LineX(i), _layout.LineY(j), _layout.LineX(i + 1), _layout.LineY(j), out _hBridge[index]);
            }
        }

        for (var j = 0; j < ny; j++)
        {
            for (var i = 1; i < nx; i++)
            {
                var index = (j * (nx + 1)) + i;
                var isStroomweg = i == MotorwayI || (i == RingI && j >= RingJ);
                _vRoad[index] = PlanEdge(i, isStroomweg, i - 1, j, i, j, _layout.LineX(i), _layout.LineY(j), _layout.LineX(i), _layout.LineY(j + 1), out _vBridge[index]);
            }
        }

        KeepLargestComponent();
    }

    private RoadClass PlanEdge(int line, bool isStroomweg, int ia, int ja, int ib, int jb, double x0, double y0, double x1, double y1, out bool isBridge)
    {
        isBridge = false;
        var zoneA = CellZone(ia, ja);
        var zoneB = CellZone(ib, jb);
        var roadClass = isStroomweg ? RoadClass.Stroomweg
            : line % ArterialEvery == 0 ? RoadClass.Gebiedsontsluitingsweg
            : KeepsStreet(zoneA, line) || KeepsStreet(zoneB, line) ? RoadClass.Erftoegangsweg
            : RoadClass.None;
        if (roadClass == RoadClass.None)
        {
            return roadClass;
        }

        if (_layout.CellWater[_layout.CellIndex(ia, ja)] != 0 || _layout.CellWater[_layout.CellIndex(ib, jb)] != 0)
        {
            var water = _layout.WaterKind(_factory.CreateLineString([new(x0, y0), new(x1, y1)]));
            if (water == true || (water == false && line % BridgeEvery != 0))
            {
                return RoadClass.None;
            }

            isBridge = water == false;
        }

        return roadClass;
    }

    private static bool KeepsStreet(Zone zone, int line) => zone switch
    {
        Zone.Bedrijventerrein => line % 2 == 0,
        Zone.Landelijk => line % 6 == 0,
        _ => true,
    };

    // Streets cut off by water or thinned-out polder roads would leave fragments no car can reach; drop them.
    private void KeepLargestComponent()
    {
        int nx = _layout.Nx, ny = _layout.Ny;
        var parent = new int[(nx + 1) * (ny + 1)];
        for (var k = 0; k < parent.Length; k++)
        {
            parent[k] = k;
        }

        int Find(int a)
        {
            while (parent[a] != a)
            {
                parent[a] = parent[parent[a]];
                a = parent[a];
            }

            return a;
        }

        int Node(int i, int j) => (j * (nx + 1)) + i;
        void Union(int a, int b) => parent[Find(a)] = Find(b);

        ForEachEdge((horizontal, i, j, _) => Union(Node(i, j), horizontal ? Node(i + 1, j) : Node(i, j + 1)));
        var sizes = new int[parent.Length];
        ForEachEdge((_, i, j, _) => sizes[Find(Node(i, j))]++);
        var largest = Array.IndexOf(sizes, sizes.Max());
        ForEachEdge((horizontal, i, j, index) =>
        {
            if (Find(Node(i, j)) != largest)
            {
                (horizontal ? _hRoad : _vRoad)[index] = RoadClass.None;
            }
        });
    }

    private void ForEachEdge(Action<bool, int, int, int> action)
    {
        int nx = _layout.Nx, ny = _layout.Ny;
        for (var j = 0; j <= ny; j++)
        {
            for (var i = 0; i < nx; i++)
            {
                var index = (j * nx) + i;
                if (_hRoad[index] != RoadClass.None)
                {
                    action(true, i, j, index);
                }
            }
        }

        for (var j = 0; j < ny; j++)
        {
            for (var i = 0; i <= nx; i++)
            {
                var index = (j * (nx + 1)) + i;
                if (_vRoad[index] != RoadClass.None)
                {
                    action(false, i, j, index);
                }
            }
        }
    }

    private void AddRoadLinks(Random random)
    {
        int nx = _layout.Nx, ny = _layout.Ny;
        var offsets = _layout.Wijken.Select(_ => random.Next(1000)).ToArray();
        var wijkIndex = _layout.Wijken.Select((w, k) => (w, k)).ToDictionary(p => p.w, p => p.k);
        _hName = new string[_hRoad.Length];
        _vName = new string[_vRoad.Length];
        var degree = new int[(nx + 1) * (ny + 1)];
        ForEachEdge((horizontal, i, j, _) =>
        {
            degree[(j * (nx + 1)) + i]++;
            degree[horizontal ? (j * (nx + 1)) + i + 1 : ((j + 1) * (nx + 1)) + i]++;
        });
        ForEachEdge((horizontal, i, j, index) =>
        {
            var roadClass = (horizontal ? _hRoad : _vRoad)[index];
            var isBridge = (horizontal ? _hBridge : _vBridge)[index];
            var (x1, y1) = horizontal ? (i + 1, j) : (i, j + 1);
            var cell = _layout.CellBuurt[_layout.CellIndex(Math.Min(i, nx - 1), Math.Min(j, ny - 1))];
            var line = horizontal ? j : i;
            var zone = cell.Wijk.Zone;
            var name = StreetName(cell.Wijk, offsets[wijkIndex[cell.Wijk]], horizontal, line, roadClass);
            var geometry = _factory.CreateLineString([new(_layout.LineX(i), _layout.LineY(j)), new(_layout.LineX(x1), _layout.LineY(y1))]);
            var richting = "beide";
            var fromJunction = degree[(j * (nx + 1)) + i] >= 3;
            var toJunction = degree[(y1 * (nx + 1)) + x1] >= 3;
            if (roadClass == RoadClass.Erftoegangsweg && zone == Zone.Centrum && line % 2 == 1 && fromJunction && toJunction)
            {
                // One-way streets alternate in direction, as in a real old town, and run only between junctions
                // (never into a dead end), so every junction stays reachable from every other.
                richting = line % 4 == 1 ? "heen" : "terug";
            }

            (horizontal ? _hName : _vName)[index] = name;
            AddLink(new RoadLink(geometry, roadClass, zone, isBridge, name), SpeedLimit(roadClass, zone, !horizontal && i == MotorwayI), richting);
        });

        // Cycle paths cut diagonally through some of the parks.
        for (var j = 0; j < ny; j++)
        {
            for (var i = 0; i < nx; i++)
            {
                var index = _layout.CellIndex(i, j);
                var buurt = _layout.CellBuurt[index];
                if (_cellUse[index] == CellUse.Green && _layout.CellWater[index] == 0 && IsUrban(buurt.Wijk.Zone) && random.NextDouble() < 0.35)
                {
                    var geometry = _factory.CreateLineString(
                        [new(_layout.LineX(i), _layout.LineY(j)), new(_layout.LineX(i + 1), _layout.LineY(j + 1))]);
                    var name = buurt.Wijk.Theme[(i + j + offsets[wijkIndex[buurt.Wijk]]) % buurt.Wijk.Theme.Length] + "pad";
                    AddLink(new RoadLink(geometry, RoadClass.Fietspad, buurt.Wijk.Zone, false, name), null, "beide");
                }
            }
        }
    }

    private void AddLink(RoadLink link, int? speed, string richting)
    {
        _links.Add(link);
        _wegvakken.Add(NewFeature(TwinCollections.Wegvakken, Id("WV", _wegvakken.Count + 1), link.Geometry, new()
        {
            ["wegklasse"] = link.Class switch
            {
                RoadClass.Stroomweg => "stroomweg",
                RoadClass.Gebiedsontsluitingsweg => "gebiedsontsluitingsweg",
                RoadClass.Erftoegangsweg => "erftoegangsweg",
                _ => "fietspad",
            },
            ["maximumsnelheid"] = speed is { } s ? (long)s : null,
            ["richting"] = richting,
            ["naam"] = link.Name,
            ["lengte"] = Math.Round(link.Geometry.Length, 2),
        }));
    }

    private static int SpeedLimit(RoadClass roadClass, Zone zone, bool isMotorway) => roadClass switch
    {
        RoadClass.Stroomweg => isMotorway ? 100 : 80,
        RoadClass.Gebiedsontsluitingsweg => zone == Zone.Landelijk ? 60 : 50,
        _ => zone switch
        {
            Zone.Landelijk => 60,
            Zone.Bedrijventerrein => 50,
            _ => 30,
        },
    };

    private string StreetName(WijkArea wijk, int offset, bool horizontal, int line, RoadClass roadClass)
    {
        if (roadClass == RoadClass.Stroomweg)
        {
            return horizontal || line != MotorwayI ? "Ringweg" : "Rijksweg A99";
        }

        var stem = wijk.Theme[((line * 7) + (horizontal ? 3 : 0) + offset) % wijk.Theme.Length];
        var suffixes = roadClass == RoadClass.Gebiedsontsluitingsweg ? DutchNames.ArterialSuffixes
            : wijk.Zone == Zone.Landelijk ? DutchNames.RuralSuffixes
            : DutchNames.StreetSuffixes;
        return stem + suffixes[((line * 3) + offset + (horizontal ? 1 : 0)) % suffixes.Length];
    }
}
