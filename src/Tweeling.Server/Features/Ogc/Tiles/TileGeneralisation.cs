using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;

namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>
/// How much of a collection a tile holds at a tile matrix (zoom): every feature, attribute and position from
/// <see cref="TileGeneralisation.FullDetailFrom"/> on, and a generalised overview below it, where MapLibre draws a
/// whole district from a few tiles and its worker's parsing of them is what the first view waits for (issue 5:
/// the four z13 tiles of panden, groenvlakken and wegvakken held 5.2 MB).
/// </summary>
/// <param name="Attributes">
/// The properties each feature carries besides <c>id</c>. Every feature keeps its string <c>id</c> at every zoom, except
/// where <paramref name="IntegerIdsOnly"/> says otherwise.
/// </param>
/// <param name="MinimumAreaPixels">Polygons whose area is below this many pixels of a 512-pixel tile are left out (0: none).</param>
/// <param name="ClassAttribute">With <paramref name="KeptClasses"/>: the attribute whose value decides whether a feature is in the tile.</param>
/// <param name="KeptClasses">The values of <paramref name="ClassAttribute"/> the tile holds; <c>null</c>: every feature.</param>
/// <param name="MergesAttached">
/// Whether attached features with the same <paramref name="Attributes"/>, dataset and validity (a terraced row) are one
/// feature, with the id and attributes of the row's first (<see cref="VectorTiles"/>).
/// </param>
/// <param name="IntegerIdsOnly">
/// Whether a feature whose string id follows from its integer feature id (<see cref="PandTileIds"/>) carries only the integer.
/// </param>
internal sealed record TileDetail(
    IReadOnlyList<string> Attributes,
    double MinimumAreaPixels,
    string? ClassAttribute = null,
    IReadOnlySet<string>? KeptClasses = null,
    bool MergesAttached = false,
    bool IntegerIdsOnly = false);

/// <summary>
/// The generalisation policy of the tiles below <see cref="FullDetailFrom"/> (docs/tiles.md): attributes are only those
/// the web map draws, colours by or lists in its table; polygons smaller than a pixel or two are left out; roads below
/// the district roads, and land cover other than green and water, are drawn from z14 on.
/// </summary>
/// <remarks>
/// A pixel here is one of the 512 of a tile's width, as MapLibre draws vector tiles: 4096 / 512 = 8 grid units, which
/// at z13 is 9.6 m of Web Mercator, 5.9 m on the ground at 52° N (so a pixel is about 35 m² there).
/// </remarks>
internal static class TileGeneralisation
{
    /// <summary>The first tile matrix with every feature, attribute and position: z14 tiles are 1.5 km wide at 52° N.</summary>
    public const int FullDetailFrom = 14;

    /// <summary>
    /// The collection whose tile features have integer feature ids at every zoom (<see cref="PandTileIds"/>): buildings,
    /// the only layer with tens of thousands of features in the first view, which the map recolours by feature state.
    /// </summary>
    public const string IntegerIdCollection = TwinCollections.Panden;

    /// <summary>Pixels across a tile as MapLibre draws vector tiles.</summary>
    public const int TilePixels = 512;

    /// <summary>
    /// Buildings whose footprint covers less than one pixel (about 35 m² on the ground at z13) are left out below z14:
    /// sheds and garages, which the 3D overview cannot show as more than a speck. In the demo city that is a quarter of
    /// the z13 features (19,834 over the city instead of 26,022 with half a pixel as the bound), whose every wall
    /// MapLibre's worker extrudes before the first view is drawn (docs/benchmarks.md "Web first view, lighter tiles
    /// (web-firstview5)").
    /// </summary>
    public const double MinimumBuildingPixels = 1;

    /// <summary>Land-cover polygons smaller than two pixels (about 70 m² at z13) are left out below z14: slivers and verges.</summary>
    public const double MinimumLandCoverPixels = 2;

    /// <summary>The road classes drawn below z14: the through and district roads (CROW's stroomweg and gebiedsontsluitingsweg).</summary>
    public static IReadOnlySet<string> OverviewRoadClasses { get; } = new HashSet<string>(StringComparer.Ordinal) { "stroomweg", "gebiedsontsluitingsweg" };

    /// <summary>
    /// The land-cover classes drawn below z14: green and water. Paved and built surfaces (in the demo city 33,000 of
    /// 46,000 polygons) are drawn from z14 on: their colours are close to the map's background, and roads and
    /// buildings cover them.
    /// </summary>
    public static IReadOnlySet<string> OverviewLandCoverClasses { get; } = new HashSet<string>(StringComparer.Ordinal) { "groen", "water" };

    /// <summary>
    /// Per collection, the attributes its overview tiles keep: those the map's style draws with (hoogte, wegklasse,
    /// bodemgebruik), colours by (hoogte, bouwjaar, buurtcode) or shows in its table (web/src/layers.ts).
    /// </summary>
    private static readonly Dictionary<string, string[]> s_overviewAttributes = new(StringComparer.Ordinal)
    {
        [TwinCollections.Panden] = ["bouwjaar", "functie", "hoogte", "buurtcode"],
        [TwinCollections.Groenvlakken] = ["bodemgebruik", "buurtcode"],
        [TwinCollections.Wegvakken] = ["wegklasse", "maximumsnelheid", "naam"],
    };

    /// <summary>What the tiles of <paramref name="layer"/> at <paramref name="zoom"/> hold.</summary>
    public static TileDetail At(TileLayer layer, int zoom)
    {
        var id = layer.Collection.Id;
        if (zoom >= FullDetailFrom || !s_overviewAttributes.TryGetValue(id, out var attributes))
        {
            return new TileDetail(layer.Attributes, 0);
        }

        return id switch
        {
            TwinCollections.Panden => new TileDetail(attributes, MinimumBuildingPixels, MergesAttached: true, IntegerIdsOnly: true),
            TwinCollections.Groenvlakken => new TileDetail(attributes, MinimumLandCoverPixels, "bodemgebruik", OverviewLandCoverClasses),
            _ => new TileDetail(attributes, 0, "wegklasse", OverviewRoadClasses),
        };
    }

    /// <summary>The area in Web Mercator square metres of one pixel of a tile at <paramref name="zoom"/>.</summary>
    public static double PixelArea(int zoom)
    {
        var pixel = WebMercatorQuad.TileSize(zoom) / TilePixels;
        return pixel * pixel;
    }

    /// <summary>Whether <paramref name="geometry"/> (Web Mercator) is a polygon too small for <paramref name="detail"/> at <paramref name="zoom"/>.</summary>
    public static bool TooSmall(Geometry geometry, TileDetail detail, int zoom) =>
        detail.MinimumAreaPixels > 0 && geometry.Dimension == Dimension.Surface && geometry.Area < detail.MinimumAreaPixels * PixelArea(zoom);
}
