using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Tweeling.Models.City;

/// <summary>
/// Finds the buurt a point lies in: the buurt whose polygon contains it, or, for a point outside every buurt (in the
/// river, beyond the border), the nearest buurt. Buurten partition the municipality, so the answer is unique inside it.
/// </summary>
internal sealed class BuurtLocator
{
    private readonly STRtree<(string Code, Geometry Area, IPointOnGeometryLocator Locator)> _index = new();
    private readonly HashSet<string> _codes = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<BuurtArea> _buurten;

    public BuurtLocator(IReadOnlyList<BuurtArea> buurten)
    {
        _buurten = buurten;
        foreach (var b in buurten)
        {
            _index.Insert(b.Area.EnvelopeInternal, (b.Code, b.Area, new IndexedPointInAreaLocator(b.Area)));
            _codes.Add(b.Code);
        }

        _index.Build();
    }

    /// <summary>Whether <paramref name="code"/> is one of the buurten.</summary>
    public bool Has(string code) => _codes.Contains(code);

    /// <summary>The code of the buurt containing <paramref name="point"/>, else of the nearest buurt.</summary>
    public string Find(Point point) => FindInside(point.Coordinate) ?? _buurten.MinBy(b => b.Area.Distance(point))!.Code;

    /// <summary>The code of the buurt containing <paramref name="coordinate"/> (the lowest code on a shared border), or <c>null</c> outside every buurt.</summary>
    public string? FindInside(Coordinate coordinate) =>
        _index.Query(new Envelope(coordinate))
            .Where(c => c.Locator.Locate(coordinate) != Location.Exterior)
            .Select(c => c.Code)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
}
