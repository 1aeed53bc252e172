using NetTopologySuite.Geometries;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// The buurt outlines the result endpoints draw, read once per (reference date, revision of the <c>buurten</c>
/// collection, datasets the caller may read) and kept with their WebMercator projection: a map view asks a dozen delta
/// tiles at once, and each tile used to read every buurt from the store and project all of them again.
/// </summary>
/// <remarks>
/// The revision is read before the buurten: a write in between leaves a set that is newer than its key, never older,
/// and the next request's newer revision reads again. Access stays per request: the key holds the readable datasets.
/// </remarks>
internal sealed class ScenarioResultsBuurten(IFeatureStore features, CrsTransformer crs)
{
    /// <summary>Sets kept at most, the oldest dropped first: reference dates × role classes in use, a few each.</summary>
    public const int Capacity = 8;

    /// <summary>Far more buurten than any municipality has (Amsterdam has about 480): every buurt in one read.</summary>
    private const int AllBuurten = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<BuurtOutlines>> _sets = new(StringComparer.Ordinal);
    private readonly Queue<string> _age = new();

    /// <summary>
    /// The buurten as they were on <paramref name="date"/> (the scenario's reference date), of the datasets the caller
    /// may read: the geometries come through the same access seam as <c>/ogc/collections/buurten</c>.
    /// </summary>
    public async Task<BuurtOutlines> ReadAsync(HttpContext http, ReadAccess access, DateOnly date, CancellationToken cancellationToken)
    {
        var readable = await access.ReadableDatasetsAsync(http, cancellationToken);
        // The cheapest read that returns the collection's revision: an empty box far from any feature.
        var probe = await features.QueryVersionsAsync(
            new FeatureQuery(TwinCollections.Buurten, TemporalFilter.Between(null, null), new Envelope(-1, -1, -1, -1), Limit: 1), cancellationToken);
        var key = $"{date:yyyy-MM-dd}|{probe.Revision}|{string.Join(',', readable.Order(StringComparer.Ordinal))}";
        Task<BuurtOutlines> loading;
        lock (_gate)
        {
            if (!_sets.TryGetValue(key, out loading!) || loading.IsFaulted || loading.IsCanceled)
            {
                // Shared by every request for this key, so no single request's cancellation may stop it.
                loading = Task.Run(() => LoadAsync(date, readable), CancellationToken.None);
                if (!_sets.ContainsKey(key))
                {
                    _age.Enqueue(key);
                }

                _sets[key] = loading;
                while (_sets.Count > Capacity && _age.TryDequeue(out var oldest))
                {
                    _sets.Remove(oldest);
                }
            }
        }

        return await loading.WaitAsync(cancellationToken);
    }

    private async Task<BuurtOutlines> LoadAsync(DateOnly date, IReadOnlySet<string> readable)
    {
        var at = new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
        var page = await features.QueryAsync(new FeatureQuery(TwinCollections.Buurten, TemporalFilter.At(at), Limit: AllBuurten, DatasetIds: readable), CancellationToken.None);
        return BuurtOutlines.Project([.. page.Items.OrderBy(b => b.Id, StringComparer.Ordinal)], crs);
    }
}

/// <summary>The buurten by id, and each one's outline in WebMercator (EPSG:3857 metres) at the same index.</summary>
internal sealed record BuurtOutlines(IReadOnlyList<Feature> Buurten, IReadOnlyList<Geometry> WebMercator)
{
    /// <summary>The outlines of <paramref name="buurten"/> (RD New) projected to WebMercator with <paramref name="crs"/>.</summary>
    public static BuurtOutlines Project(IReadOnlyList<Feature> buurten, CrsTransformer crs) => new(buurten, [.. buurten.Select(b =>
    {
        var mercator = crs.Transform(b.Geometry, Crs.Crs84Srid);
        mercator.Apply(Ogc.Tiles.VectorTiles.ToWebMercator.Instance);
        mercator.GeometryChanged();
        return mercator;
    })]);
}
