using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>Trees along streets and in parks, and land cover (green, paved, water, built) per block and buurt.</summary>
internal sealed partial class CityBuilder
{
    // Common Dutch street and park trees with a typical mature height in metres.
    private static readonly (string Species, double MaxHeight)[] s_species =
    [
        ("Tilia x europaea", 25), ("Platanus x hispanica", 30), ("Acer platanoides", 20), ("Acer pseudoplatanus", 25),
        ("Fraxinus excelsior", 25), ("Quercus robur", 25), ("Betula pendula", 18), ("Carpinus betulus", 15),
        ("Alnus glutinosa", 18), ("Salix alba", 20), ("Ulmus 'Columella'", 15), ("Prunus serrulata", 8),
        ("Gleditsia triacanthos", 15), ("Pyrus calleryana 'Chanticleer'", 12), ("Sorbus aucuparia", 10), ("Aesculus hippocastanum", 22),
    ];

    private void PlantTrees(Random random)
    {
        foreach (var link in _links)
        {
            if (link.Class is RoadClass.Fietspad or RoadClass.Stroomweg || link.IsBridge || !IsUrban(link.Zone) || random.NextDouble() > 0.55)
            {
                continue;
            }

            // One species per street side, trees every 10 m, 3 m from the centre line (the verge).
            var (species, maxHeight) = s_species[random.Next(s_species.Length)];
            var planted = random.Next(link.Zone == Zone.Buitenwijk ? 1985 : 1955, _referenceYear);
            var a = link.Geometry.GetCoordinateN(0);
            var b = link.Geometry.GetCoordinateN(1);
            var horizontal = a.Y == b.Y;
            for (var t = 0.125; t < 1; t += 0.25)
            {
                var x = a.X + ((b.X - a.X) * t) + (horizontal ? 0 : 3);
                var y = a.Y + ((b.Y - a.Y) * t) + (horizontal ? 3 : 0);
                AddTree(random, new Coordinate(x, y), species, maxHeight, planted);
            }
        }

        for (var c = 0; c < _cellUse.Length; c++)
        {
            if (_cellUse[c] != CellUse.Green)
            {
                continue;
            }

            var urban = IsUrban(_layout.CellBuurt[c].Wijk.Zone);
            var count = urban ? random.Next(2, 7) : (random.NextDouble() < 0.15 ? 2 : 0);
            var inner = Inner(c % _layout.Nx, c / _layout.Nx);
            for (var k = 0; k < count; k++)
            {
                var (species, maxHeight) = s_species[random.Next(s_species.Length)];
                var at = new Coordinate(
                    Math.Round(inner.MinX + (random.NextDouble() * inner.Width), 2),
                    Math.Round(inner.MinY + (random.NextDouble() * inner.Height), 2));
                AddTree(random, at, species, maxHeight, random.Next(1950, _referenceYear));
            }
        }
    }

    private void AddTree(Random random, Coordinate at, string species, double maxHeight, int planted)
    {
        var point = _factory.CreatePoint(at);
        var cell = _layout.CellAt(at);
        var buurt = _layout.CellBuurt[cell];
        if (!_layout.CellInsideBuurt[cell] || _layout.CellWater[cell] != 0)
        {
            if (_layout.TouchesWater(point) || _layout.BuurtAt(at) is not { } located)
            {
                return;
            }

            buurt = located;
        }

        // Height grows about 0.4 m a year towards the species' mature height; the crown is about 0.6 times the height.
        var age = _referenceYear - planted;
        var height = Math.Min(maxHeight, 2.5 + (0.4 * age)) * (0.85 + (random.NextDouble() * 0.3));
        _bomen.Add(NewFeature(TwinCollections.Bomen, Id("BM", _bomen.Count + 1), point, new()
        {
            ["soort"] = species,
            ["hoogte"] = Round1(height),
            ["kroondiameter"] = Round1(height * (0.5 + (random.NextDouble() * 0.2))),
            ["plantjaar"] = (long)planted,
            ["buurtcode"] = buurt.Code,
        }));
    }

    private void AddLandCover()
    {
        foreach (var buurt in _layout.Buurten)
        {
            if (_layout.TouchesWater(buurt.Geometry))
            {
                AddCover(buurt.Geometry.Intersection(_layout.Water), "water", buurt);
            }
        }

        for (var j = 0; j < _layout.Ny; j++)
        {
            for (var i = 0; i < _layout.Nx; i++)
            {
                var index = _layout.CellIndex(i, j);
                if (_cellUse[index] == CellUse.Water)
                {
                    continue;
                }

                double x0 = _layout.LineX(i), y0 = _layout.LineY(j), x1 = x0 + CityLayout.CellSize, y1 = y0 + CityLayout.CellSize;
                var inner = new Envelope(
                    x0 + (HasRoad(i, j, 3) ? RoadMargin : 0),
                    x1 - (HasRoad(i, j, 1) ? RoadMargin : 0),
                    y0 + (HasRoad(i, j, 0) ? RoadMargin : 0),
                    y1 - (HasRoad(i, j, 2) ? RoadMargin : 0));
                var plot = _layout.Rectangle(inner.MinX, inner.MinY, inner.MaxX, inner.MaxY);
                var use = _cellUse[index] is CellUse.Built or CellUse.Facility ? "bebouwd" : "groen";
                AddCellCover(index, plot, use);
                if (inner.Width < CityLayout.CellSize || inner.Height < CityLayout.CellSize)
                {
                    AddCellCover(index, Paved(new Envelope(x0, x1, y0, y1), inner, plot), "verhard");
                }
            }

            Report("groenvlakken", 0.65 + (0.25 * j / _layout.Ny));
        }
    }

    /// <summary>
    /// The road surface of a cell: the cell minus its plot. The common shapes (a ring, an L on a street corner,
    /// a single strip) are built directly, which is much cheaper than a polygon overlay.
    /// </summary>
    private Geometry Paved(Envelope cell, Envelope inner, Polygon plot)
    {
        var south = inner.MinY > cell.MinY;
        var north = inner.MaxY < cell.MaxY;
        var west = inner.MinX > cell.MinX;
        var east = inner.MaxX < cell.MaxX;
        var sides = (south ? 1 : 0) + (north ? 1 : 0) + (west ? 1 : 0) + (east ? 1 : 0);
        var cellPolygon = _layout.Rectangle(cell.MinX, cell.MinY, cell.MaxX, cell.MaxY);
        if (sides == 4)
        {
            return _factory.CreatePolygon(cellPolygon.Shell, [plot.Shell]);
        }

        if (sides == 1)
        {
            return _layout.Rectangle(
                east ? inner.MaxX : cell.MinX,
                north ? inner.MaxY : cell.MinY,
                west ? inner.MinX : cell.MaxX,
                south ? inner.MinY : cell.MaxY);
        }

        if (sides == 2 && (south || north) && (west || east))
        {
            // An L along a horizontal and a vertical side: built for the south-west corner, then mirrored.
            var my = south ? inner.MinY - cell.MinY : cell.MaxY - inner.MaxY;
            var mx = west ? inner.MinX - cell.MinX : cell.MaxX - inner.MaxX;
            Coordinate At(double dx, double dy) => new(west ? cell.MinX + dx : cell.MaxX - dx, south ? cell.MinY + dy : cell.MaxY - dy);
            var w = cell.Width;
            var h = cell.Height;
            return _factory.CreatePolygon([At(0, 0), At(w, 0), At(w, my), At(mx, my), At(mx, h), At(0, h), At(0, 0)]);
        }

        return cellPolygon.Difference(plot);
    }

    // Cuts a block's cover by the water and by buurt borders, so every piece has one buurt and lies on land.
    private void AddCellCover(int index, Geometry geometry, string use)
    {
        if (_layout.CellWater[index] != 0)
        {
            foreach (var water in _layout.WaterNear(geometry.EnvelopeInternal))
            {
                geometry = geometry.Difference(water);
            }
        }

        if (_layout.CellInsideBuurt[index])
        {
            AddCover(geometry, use, _layout.CellBuurt[index]);
            return;
        }

        var candidates = _layout.BuurtenNear(geometry.EnvelopeInternal);
        foreach (var buurt in candidates)
        {
            // Buurten are convex (Voronoi cells clipped to convex wijken), so a polygon whose vertices all lie in one is inside it.
            if (buurt.Geometry.EnvelopeInternal.Covers(geometry.EnvelopeInternal)
                && Array.TrueForAll(geometry.Coordinates, c => buurt.Locator.Locate(c) != Location.Exterior))
            {
                AddCover(geometry, use, buurt);
                return;
            }
        }

        foreach (var buurt in candidates)
        {
            if (buurt.Prepared.Intersects(geometry))
            {
                AddCover(geometry.Intersection(buurt.Geometry), use, buurt);
            }
        }
    }

    private void AddCover(Geometry geometry, string use, BuurtArea buurt)
    {
        var polygons = new List<Polygon>();
        for (var k = 0; k < geometry.NumGeometries; k++)
        {
            if (geometry.GetGeometryN(k) is Polygon { Area: > 1 } polygon)
            {
                polygons.Add(polygon);
            }
        }

        if (polygons.Count == 0)
        {
            return;
        }

        Geometry cover = polygons.Count == 1 ? polygons[0] : _factory.CreateMultiPolygon([.. polygons]);
        _groenvlakken.Add(NewFeature(TwinCollections.Groenvlakken, Id("GV", _groenvlakken.Count + 1), cover, new()
        {
            ["bodemgebruik"] = use,
            ["oppervlakte"] = Math.Round(cover.Area, 2),
            ["buurtcode"] = buurt.Code,
        }));
    }
}
