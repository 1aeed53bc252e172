using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using Tweeling.Domain.Features;

namespace Tweeling.Ingestion.DemoCity;

/// <summary>Municipal assets: bridges over the moat, quay walls in the old town, pumping stations along the river, street lights.</summary>
internal sealed partial class CityBuilder
{
    /// <summary>Quay walls are managed in sections of at most this length, metres.</summary>
    private const double QuaySection = 150;

    private readonly Dictionary<string, int> _assetNumbers = new(StringComparer.Ordinal);

    private void AddAssets(Random random)
    {
        foreach (var link in _links.Where(l => l.IsBridge))
        {
            var over = link.Geometry.Intersection(_layout.Moat).EnvelopeInternal;
            if (over.IsNull)
            {
                continue;
            }

            var deck = _factory.CreateLineString([new(over.MinX, over.MinY), new(over.MaxX, over.MaxY)]);
            AddAsset(random, "brug", "BR", deck, "Brug " + link.Name, random.Next(1880, 2011));
        }

        var bank = _layout.Land.Boundary.Intersection(_layout.Gemeente.Buffer(-1));
        var centre = _layout.Wijken.First(w => w.Zone == Zone.Centrum);
        var quays = bank.Intersection(centre.Geometry);
        for (var k = 0; k < quays.NumGeometries; k++)
        {
            if (quays.GetGeometryN(k) is not LineString line)
            {
                continue;
            }

            var indexed = new LengthIndexedLine(line);
            var sections = (int)Math.Ceiling(line.Length / QuaySection);
            for (var s = 0; s < sections; s++)
            {
                var section = indexed.ExtractLine(line.Length * s / sections, line.Length * (s + 1) / sections);
                if (section is LineString { Length: > 1 } quay)
                {
                    AddAsset(random, "kademuur", "KM", quay, "Kademuur", random.Next(1850, 1951));
                }
            }
        }

        var pumps = Math.Max(4, (int)Math.Round(10 * Math.Sqrt(_options.Scale)));
        var banks = Enumerable.Range(0, bank.NumGeometries).Select(bank.GetGeometryN).OfType<LineString>().ToList();
        var bankLength = banks.Sum(b => b.Length);
        for (var p = 0; p < pumps; p++)
        {
            var along = bankLength * (p + 0.5) / pumps;
            foreach (var line in banks)
            {
                if (along <= line.Length)
                {
                    var at = new LengthIndexedLine(line).ExtractPoint(along);
                    AddAsset(random, "gemaal", "GL", _factory.CreatePoint(at), "Gemaal", random.Next(1920, 2016));
                    break;
                }

                along -= line.Length;
            }
        }

        foreach (var link in _links)
        {
            if (link.Class == RoadClass.Fietspad || (!IsUrban(link.Zone) && link.Class == RoadClass.Erftoegangsweg))
            {
                continue;
            }

            // One light per link, 4 m from the centre line on the side opposite the street trees.
            var a = link.Geometry.GetCoordinateN(0);
            var b = link.Geometry.GetCoordinateN(1);
            var horizontal = a.Y == b.Y;
            var at = new Coordinate(((a.X + b.X) / 2) - (horizontal ? 0 : 4), ((a.Y + b.Y) / 2) - (horizontal ? 4 : 0));
            AddAsset(random, "lichtmast", "LM", _factory.CreatePoint(at), "Lichtmast " + link.Name, random.Next(1975, _referenceYear));
        }
    }

    private void AddAsset(Random random, string type, string prefix, Geometry geometry, string name, int built)
    {
        var at = geometry is LineString line ? new LengthIndexedLine(line).ExtractPoint(line.Length / 2) : geometry.Coordinate;
        if (_layout.BuurtAt(at) is not { } buurt)
        {
            return;
        }

        var number = _assetNumbers[type] = _assetNumbers.GetValueOrDefault(type) + 1;
        _beheerobjecten.Add(NewFeature(TwinCollections.Beheerobjecten, Id(prefix, number), geometry, new()
        {
            ["type"] = type,
            ["naam"] = type == "lichtmast" ? name : $"{name} {buurt.Name}",
            ["bouwjaar"] = (long)Math.Min(built, _referenceYear - 1),
            ["conditie"] = (long)Condition(random, built),
            ["buurtcode"] = buurt.Code,
        }));
    }
}
