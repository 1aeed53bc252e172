using Tweeling.Domain.Features;

namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>A collection served as vector tiles, and the tile matrices (zoom levels) it is served at.</summary>
/// <param name="Collection">The collection; its tiles hold one layer named after its id.</param>
/// <param name="MinZoom">The shallowest tile matrix served: below it the layer would be too dense to draw.</param>
/// <param name="MaxZoom">The deepest tile matrix served; clients draw deeper zooms from it (over-zooming).</param>
internal sealed record TileLayer(CollectionDefinition Collection, int MinZoom, int MaxZoom)
{
    /// <summary>
    /// The properties each tile feature carries besides <c>id</c> at full detail: the collection's queryables, which are
    /// its main attributes (for panden: hoogte in metres, bouwjaar, functie, woningen, buurtcode, …), so the
    /// map can colour and extrude by them and filter by what the items endpoint filters on. Below z14 some collections
    /// carry fewer (<see cref="TileGeneralisation"/>).
    /// </summary>
    public IReadOnlyList<string> Attributes { get; } = [.. Collection.Queryables.Select(q => q.Name)];
}

/// <summary>The collections served as vector tiles (every collection of the feature store) with their zoom ranges.</summary>
internal static class TileLayers
{
    /// <summary>The deepest tile matrix any layer is served at: at z16 a grid unit is about 9 cm on the ground at 52° N, finer than the sources.</summary>
    public const int MaxZoom = 16;

    private static readonly Dictionary<string, int> s_minZoom = new(StringComparer.Ordinal)
    {
        // Boundaries of areas are few and large: a whole region fits in a tile.
        [TwinCollections.Gemeenten] = 6,
        [TwinCollections.Wijken] = 8,
        [TwinCollections.Buurten] = 10,
        // Buildings only from a district's scale: a z13 tile is about 3 km wide at 52° N.
        [TwinCollections.Panden] = 13,
        [TwinCollections.Voorzieningen] = 11,
        [TwinCollections.Wegvakken] = 11,
        [TwinCollections.Groenvlakken] = 12,
        [TwinCollections.Bomen] = 14,
        [TwinCollections.Beheerobjecten] = 13,
    };

    /// <summary>Every tiled layer, in the order of <see cref="TwinCollections.All"/>.</summary>
    public static IReadOnlyList<TileLayer> All { get; } =
        [.. TwinCollections.All.Where(c => s_minZoom.ContainsKey(c.Id)).Select(c => new TileLayer(c, s_minZoom[c.Id], MaxZoom))];

    /// <summary>The tiled layer of collection <paramref name="collectionId"/>, or <c>null</c> when it is not served as tiles.</summary>
    public static TileLayer? Find(string collectionId) => All.FirstOrDefault(l => l.Collection.Id == collectionId);
}
