using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>
/// Buildings, placed block by block inside the street grid so that no footprint overlaps another or a road.
/// Industrial estates and the polder are filled first; the residential wijken then share the remaining
/// dwellings in proportion to their land and density, filling outward from their core.
/// </summary>
internal sealed partial class CityBuilder
{
    private int _dwellingsPlaced;

    private void PlaceBuildings(Random random)
    {
        int nx = _layout.Nx, ny = _layout.Ny;
        var residentialCells = _layout.Wijken.ToDictionary(w => w, _ => new List<(int I, int J, double Priority)>());
        for (var j = 0; j < ny; j++)
        {
            for (var i = 0; i < nx; i++)
            {
                var index = _layout.CellIndex(i, j);
                if (_layout.CellWater[index] == 2)
                {
                    _cellUse[index] = CellUse.Water;
                    continue;
                }

                var wijk = _layout.CellBuurt[index].Wijk;
                var accessible = HasRoad(i, j, 0) || HasRoad(i, j, 1) || HasRoad(i, j, 2) || HasRoad(i, j, 3);
                var roll = random.NextDouble();
                switch (wijk.Zone)
                {
                    case Zone.Bedrijventerrein when accessible && roll < 0.8:
                        PlaceIndustry(random, i, j);
                        break;
                    case Zone.Landelijk when accessible && roll < 0.1:
                        PlaceFarm(random, i, j);
                        break;
                    case Zone.Landelijk when accessible && roll < 0.14:
                        PlaceDetached(random, i, j, random.Next(1900, 2011), 0.9, 0.02, pairs: 1);
                        break;
                    case Zone.Bedrijventerrein or Zone.Landelijk:
                        _cellUse[index] = CellUse.Green;
                        break;
                    default:
                        if (accessible)
                        {
                            var centre = new Coordinate(_layout.LineX(i) + 20, _layout.LineY(j) + 20);
                            residentialCells[wijk].Add((i, j, centre.Distance(wijk.Core) + (random.NextDouble() * 150)));
                        }

                        break;
                }
            }
        }

        var remaining = (DwellingsPerScale * _options.Scale) - _dwellingsPlaced;
        var weight = residentialCells.ToDictionary(p => p.Key, p => p.Value.Count * Density(p.Key.Zone));
        var totalWeight = weight.Values.Sum();
        var done = 0;
        foreach (var wijk in _layout.Wijken.Where(w => IsUrban(w.Zone)))
        {
            var target = remaining * weight[wijk] / totalWeight;
            var start = _dwellingsPlaced;
            foreach (var (i, j, _) in residentialCells[wijk].OrderBy(c => c.Priority).ThenBy(c => c.J).ThenBy(c => c.I))
            {
                if (_dwellingsPlaced - start >= target)
                {
                    break;
                }

                PlaceResidential(random, wijk, i, j);
            }

            Report("panden", 0.15 + (0.3 * ++done / 10.0));
        }
    }

    /// <summary>Relative dwelling density per cell of land: the old centre is about twice as dense as the suburbs.</summary>
    private static double Density(Zone zone) => zone switch
    {
        Zone.Centrum => 1.6,
        Zone.Naoorlogs => 1.0,
        Zone.Buitenwijk => 0.75,
        _ => 0,
    };

    private void PlaceResidential(Random random, WijkArea wijk, int i, int j)
    {
        var roll = random.NextDouble();
        switch (wijk.Zone)
        {
            case Zone.Centrum:
                if (roll < 0.85)
                {
                    PlaceCentreBlock(random, i, j);
                }
                else
                {
                    PlaceApartmentBlock(random, i, j, random.Next(1965, 2016), random.Next(5, 8), koop: 0.45, social: 0.25);
                }

                break;
            case Zone.Naoorlogs:
                var year = random.Next(1950, 1976);
                if (roll < 0.24)
                {
                    PlaceApartmentBlock(random, i, j, year, 4, koop: 0.15, social: 0.75);
                }
                else if (roll < 0.30)
                {
                    PlaceApartmentBlock(random, i, j, year, random.Next(9, 13), koop: 0.1, social: 0.8);
                }
                else if (roll < 0.85)
                {
                    PlaceRows(random, i, j, year, koop: 0.4, social: 0.5);
                }
                else if (roll < 0.95)
                {
                    PlaceSemis(random, i, j, year, koop: 0.8, social: 0.1);
                }
                else
                {
                    PlaceGarageBoxes(random, i, j, year);
                }

                break;
            default:
                var built = Math.Clamp(wijk.Era + random.Next(-5, 6), 1978, 2015);
                if (roll < 0.60)
                {
                    PlaceRows(random, i, j, built, koop: 0.62, social: 0.28);
                }
                else if (roll < 0.82)
                {
                    PlaceSemis(random, i, j, built, koop: 0.9, social: 0.02);
                }
                else if (roll < 0.94)
                {
                    PlaceDetached(random, i, j, built, 0.95, 0.0, pairs: 2);
                }
                else
                {
                    PlaceApartmentBlock(random, i, j, built, random.Next(4, 7), koop: 0.4, social: 0.3);
                }

                break;
        }
    }

    private static int PickTenure(Random random, double koop, double social)
    {
        var roll = random.NextDouble();
        return roll < koop ? Tenures.Koop : roll < koop + social ? Tenures.SocialeHuur : Tenures.ParticuliereHuur;
    }

    /// <summary>Two rows of terraced houses back to back, facing the streets on either side.</summary>
    private void PlaceRows(Random random, int i, int j, int year, double koop, double social)
    {
        var inner = Inner(i, j);
        var alongX = random.NextDouble() < 0.5;
        var length = alongX ? inner.Width : inner.Height;
        var width = 5.1 + (random.Next(0, 4) * 0.3);
        var count = (int)(length / width);
        var start = (length - (count * width)) / 2;
        var depth = 9 + (random.Next(0, 3) * 0.5);
        for (var row = 0; row < 2; row++)
        {
            var tenure = PickTenure(random, koop, social);
            var storeys = random.NextDouble() < 0.8 ? 2 : 3;
            var height = Round1((storeys * 2.8) + 2.6 + (random.NextDouble() * 0.8));
            for (var k = 0; k < count; k++)
            {
                double a = start + (k * width), b = a + width;
                var rect = alongX
                    ? (row == 0 ? new Envelope(inner.MinX + a, inner.MinX + b, inner.MinY, inner.MinY + depth) : new Envelope(inner.MinX + a, inner.MinX + b, inner.MaxY - depth, inner.MaxY))
                    : (row == 0 ? new Envelope(inner.MinX, inner.MinX + depth, inner.MinY + a, inner.MinY + b) : new Envelope(inner.MaxX - depth, inner.MaxX, inner.MinY + a, inner.MinY + b));
                var type = k == 0 || k == count - 1 ? DwellingTypes.Hoekwoning : DwellingTypes.Tussenwoning;
                AddPand(i, j, rect, year, "wonen", height, storeys, 1, type, tenure);
            }
        }
    }

    /// <summary>Pairs of semi-detached houses, each with a garage at its side.</summary>
    private void PlaceSemis(Random random, int i, int j, int year, double koop, double social)
    {
        var inner = Inner(i, j);
        var width = 7.5;
        var depth = 10;
        var left = inner.MinX + ((inner.Width - 21) / 2);
        for (var row = 0; row < 2; row++)
        {
            double y0 = row == 0 ? inner.MinY : inner.MaxY - depth, y1 = y0 + depth;
            var height = Round1(8.5 + (random.NextDouble() * 1.5));
            for (var k = 0; k < 2; k++)
            {
                var x0 = left + 3 + (k * width);
                AddPand(i, j, new Envelope(x0, x0 + width, y0, y1), year, "wonen", height, 2, 1, DwellingTypes.TweeOnderEenKap, PickTenure(random, koop, social));
            }

            var gy0 = row == 0 ? y0 : y1 - 6;
            AddPand(i, j, new Envelope(left, left + 3, gy0, gy0 + 6), year, "overig", 2.8, 1, 0, -1, -1);
            AddPand(i, j, new Envelope(left + 18, left + 21, gy0, gy0 + 6), year, "overig", 2.8, 1, 0, -1, -1);
        }
    }

    /// <summary>Detached houses with a garage; <paramref name="pairs"/> is the number of rows (1 in the polder, 2 in suburbs).</summary>
    private void PlaceDetached(Random random, int i, int j, int year, double koop, double social, int pairs)
    {
        var inner = Inner(i, j);
        var left = inner.MinX + ((inner.Width - 15.5) / 2);
        for (var row = 0; row < pairs; row++)
        {
            var size = 9 + random.Next(0, 3);
            double y0 = row == 0 ? inner.MinY + 1 : inner.MaxY - 1 - size;
            var storeys = random.NextDouble() < 0.7 ? 2 : 1;
            var height = Round1((storeys * 3) + 3 + random.NextDouble());
            AddPand(i, j, new Envelope(left, left + size, y0, y0 + size), year, "wonen", height, storeys, 1, DwellingTypes.Vrijstaand, PickTenure(random, koop, social));
            AddPand(i, j, new Envelope(left + 12, left + 15.5, y0, y0 + 6), year, "overig", 3.0, 1, 0, -1, -1);
        }
    }

    /// <summary>A slab of flats across the block: portiek/galerij flats (4 storeys) or a tower, about 7 m of frontage per flat.</summary>
    private void PlaceApartmentBlock(Random random, int i, int j, int year, int storeys, double koop, double social)
    {
        var inner = Inner(i, j);
        var length = inner.Width - 2;
        var depth = storeys >= 9 ? 14 : 11;
        var y0 = inner.Centre.Y - (depth / 2.0);
        var perFloor = Math.Max(2, (int)(length / 7));
        var height = Round1((storeys * 2.9) + 1.2 + random.NextDouble());
        AddPand(i, j, new Envelope(inner.MinX + 1, inner.MaxX - 1, y0, y0 + depth), year, "wonen", height, storeys, storeys * perFloor, DwellingTypes.Appartement, PickTenure(random, koop, social));
    }

    /// <summary>Garage boxes, a post-war staple: two rows of 3 × 6 m boxes.</summary>
    private void PlaceGarageBoxes(Random random, int i, int j, int year)
    {
        var inner = Inner(i, j);
        var count = (int)(inner.Width / 3);
        for (var row = 0; row < 2; row++)
        {
            var y0 = row == 0 ? inner.MinY + 2 : inner.MaxY - 8;
            for (var k = 0; k < count; k++)
            {
                var x0 = inner.MinX + (k * 3);
                AddPand(i, j, new Envelope(x0, x0 + 3, y0, y0 + 6), year + random.Next(0, 5), "overig", 2.6, 1, 0, -1, -1);
            }
        }
    }

    /// <summary>A perimeter block of narrow old-town houses: shops with flats above, town houses, a few offices and cafés.</summary>
    private void PlaceCentreBlock(Random random, int i, int j)
    {
        var inner = Inner(i, j);
        const double depth = 11;
        for (var row = 0; row < 2; row++)
        {
            var x = inner.MinX;
            while (inner.MaxX - x >= 4.5)
            {
                var width = Math.Min(inner.MaxX - x, 4.5 + (random.NextDouble() * 4));
                if (inner.MaxX - x - width < 4.5)
                {
                    width = inner.MaxX - x;
                }

                var rect = row == 0 ? new Envelope(x, x + width, inner.MinY, inner.MinY + depth) : new Envelope(x, x + width, inner.MaxY - depth, inner.MaxY);
                AddCentreBuilding(random, i, j, rect);
                x += width;
            }
        }

        var gap = inner.Height - (2 * depth);
        if (gap >= 5)
        {
            AddCentreBuilding(random, i, j, new Envelope(inner.MinX, inner.MinX + 9, inner.MinY + depth, inner.MaxY - depth));
            AddCentreBuilding(random, i, j, new Envelope(inner.MaxX - 9, inner.MaxX, inner.MinY + depth, inner.MaxY - depth));
        }
    }

    private void AddCentreBuilding(Random random, int i, int j, Envelope rect)
    {
        var era = random.NextDouble();
        var year = era < 0.55 ? 1600 + (int)(299 * Math.Sqrt(random.NextDouble()))
            : era < 0.9 ? random.Next(1900, 1940)
            : random.Next(1950, 2016);
        var storeys = random.Next(3, 6);
        var height = Round1((storeys * 3.3) + 1.5 + (random.NextDouble() * 2));
        var tenure = PickTenure(random, 0.4, 0.2);
        var use = random.NextDouble();
        if (use < 0.35)
        {
            AddPand(i, j, rect, year, "winkel", height, storeys, storeys - 1, DwellingTypes.Appartement, tenure);
        }
        else if (use < 0.65)
        {
            AddPand(i, j, rect, year, "wonen", height, storeys, 1, DwellingTypes.Tussenwoning, tenure);
        }
        else if (use < 0.9)
        {
            AddPand(i, j, rect, year, "wonen", height, storeys, storeys, DwellingTypes.Appartement, tenure);
        }
        else
        {
            AddPand(i, j, rect, year, use < 0.95 ? "kantoor" : "bijeenkomst", height, storeys, 0, -1, -1);
        }
    }

    /// <summary>One or two large low halls, or a small office building.</summary>
    private void PlaceIndustry(Random random, int i, int j)
    {
        var inner = Inner(i, j);
        var year = random.Next(1960, 2016);
        if (random.NextDouble() < 0.1)
        {
            var storeys = random.Next(2, 6);
            AddPand(i, j, new Envelope(inner.MinX + 2, inner.MinX + 2 + Math.Min(22, inner.Width - 4), inner.MinY + 2, inner.MinY + 16), year, "kantoor", Round1((storeys * 3.5) + 1), storeys, 0, -1, -1);
            return;
        }

        var height = Round1(6 + (random.NextDouble() * 6));
        if (inner.Width > 30 && random.NextDouble() < 0.5)
        {
            var half = (inner.Width - 6) / 2;
            AddPand(i, j, new Envelope(inner.MinX + 2, inner.MinX + 2 + half, inner.MinY + 3, inner.MaxY - 3), year, "industrie", height, 1, 0, -1, -1);
            AddPand(i, j, new Envelope(inner.MaxX - 2 - half, inner.MaxX - 2, inner.MinY + 3, inner.MaxY - 3), random.Next(1960, 2016), "industrie", Round1(6 + (random.NextDouble() * 6)), 1, 0, -1, -1);
        }
        else
        {
            AddPand(i, j, new Envelope(inner.MinX + 2, inner.MaxX - 2, inner.MinY + 3, inner.MaxY - 3 - (random.NextDouble() * 8)), year, "industrie", height, 1, 0, -1, -1);
        }
    }

    /// <summary>A farm: farmhouse (one dwelling) with one or two barns.</summary>
    private void PlaceFarm(Random random, int i, int j)
    {
        var inner = Inner(i, j);
        var house = random.Next(1850, 1966);
        AddPand(i, j, new Envelope(inner.MinX + 1, inner.MinX + 10, inner.MinY + 1, inner.MinY + 14), house, "wonen", Round1(7.5 + (random.NextDouble() * 2)), 2, 1, DwellingTypes.Vrijstaand, Tenures.Koop);
        AddPand(i, j, new Envelope(inner.MinX + 12, inner.MinX + 26, inner.MinY + 1, Math.Min(inner.MaxY - 1, inner.MinY + 29)), random.Next(1950, 2011), "overig", Round1(8 + (random.NextDouble() * 4)), 1, 0, -1, -1);
        if (random.NextDouble() < 0.5)
        {
            AddPand(i, j, new Envelope(inner.MinX + 1, inner.MinX + 10, inner.MinY + 17, Math.Min(inner.MaxY - 1, inner.MinY + 29)), random.Next(1960, 2016), "overig", Round1(5 + (random.NextDouble() * 3)), 1, 0, -1, -1);
        }
    }

    /// <summary>
    /// Adds a building if it lies wholly on land inside one buurt (blocks on a buurt border or the waterside lose
    /// the buildings that would straddle it). Returns whether it was placed.
    /// </summary>
    private bool AddPand(int i, int j, Envelope rect, int year, string functie, double height, int storeys, int dwellings, int type, int tenure)
    {
        var cell = _layout.CellIndex(i, j);
        var footprint = _layout.Rectangle(rect.MinX, rect.MinY, rect.MaxX, rect.MaxY);
        var buurt = _layout.CellBuurt[cell];
        if (!_layout.CellInsideBuurt[cell] || _layout.CellWater[cell] != 0)
        {
            if (_layout.TouchesWater(footprint))
            {
                return false;
            }

            buurt = _layout.BuurtAt(rect.Centre) ?? buurt;
            if (!buurt.Prepared.Covers(footprint))
            {
                return false;
            }
        }

        _cellUse[cell] = CellUse.Built;
        if (dwellings > 0)
        {
            buurt.Dwellings[type, tenure] += dwellings;
            buurt.Occupants += dwellings * DwellingTypes.Occupancy[type] * Tenures.OccupancyFactor[tenure];
            _dwellingsPlaced += dwellings;
        }

        if (functie != "overig")
        {
            _addressable.Add(new AddressablePand(_panden.Count, i, j, rect, buurt.Wijk));
        }

        _panden.Add(NewFeature(TwinCollections.Panden, PandId(_panden.Count + 1), footprint, new()
        {
            ["bouwjaar"] = (long)Math.Min(year, _referenceYear - 1),
            ["functie"] = functie,
            ["hoogte"] = height,
            ["bouwlagen"] = (long)storeys,
            ["woningen"] = (long)dwellings,
            ["woningtype"] = dwellings > 0 ? DwellingTypes.Names[type] : null,
            ["eigendom"] = dwellings > 0 ? Tenures.Names[tenure] : null,
            ["buurtcode"] = buurt.Code,
        }));
        return true;
    }

    /// <summary>A BAG-shaped pand id: municipality 9999 (none real), object type 10 (pand), ten-digit serial.</summary>
    private static string PandId(int number) => "999910" + number.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
}
