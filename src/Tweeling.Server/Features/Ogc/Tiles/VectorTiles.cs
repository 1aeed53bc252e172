using System.Security.Cryptography;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Simplify;
using Tweeling.Domain.Features;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;

namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>One encoded tile.</summary>
/// <param name="Body">The Mapbox Vector Tile, or empty when nothing of the layer lies in the tile.</param>
/// <param name="ETag">A strong entity tag of the body (quoted).</param>
/// <param name="FeatureCount">How many features the tile holds.</param>
internal sealed record EncodedTile(byte[] Body, string ETag, int FeatureCount);

/// <summary>
/// Makes the Mapbox Vector Tiles of the feature store's collections, and keeps them.
/// </summary>
/// <remarks>
/// <para>
/// Per collection it holds a snapshot of every stored version, projected once to Web Mercator and
/// indexed in an STR-tree, tied to the collection's revision: the store moves the revision with every
/// committed write, so a request that reads another revision than the snapshot's builds a new snapshot
/// and the old one (and every tile made from it) is dropped. A tile is then a tree query, a filter on
/// validity and readable datasets, and the encoding — no database read, WKB decoding or reprojection.
/// </para>
/// <para>
/// Encoded tiles are kept per snapshot under (zoom, row, column, validity epoch, readable datasets):
/// which versions are valid changes only at the instants where a version begins or ends, so the
/// sorted list of those instants cuts time into epochs within which a tile cannot change; and callers
/// who may read the same datasets of the collection see the same tile. Memory for tiles is bounded by
/// <see cref="MaximumBytes"/>; past it, tiles are served without being kept.
/// </para>
/// </remarks>
internal sealed class VectorTiles(IFeatureStore features, CrsTransformer crs)
{
    /// <summary>Grid units across a tile, as in most MVT producers (PostGIS <c>ST_AsMVT</c>'s default too).</summary>
    public const uint Extent = 4096;

    /// <summary>Grid units kept beyond each tile edge (1/64 of the tile), so outlines join without seams.</summary>
    public const int Buffer = 64;

    /// <summary>At most this many bytes of encoded tiles are kept in all; the demo city's panden at z13–z16 take about 60 MB.</summary>
    public const long MaximumBytes = 256L * 1024 * 1024;

    /// <summary>
    /// Geometries with more positions than this are simplified (Douglas–Peucker, one grid unit) before they are
    /// encoded: area boundaries and long roads; a building footprint has a handful of positions and is left as is.
    /// </summary>
    private const int SimplifyAbove = 32;

    /// <summary>
    /// Buildings closer than this (Web Mercator metres, about 6 mm on the ground at 52° N) are attached for the merging of
    /// terraced rows: the demo city's row houses share their walls up to rounding in the last bits of a coordinate.
    /// </summary>
    private const double AttachedWithin = 0.01;

    /// <summary>
    /// The snapshots' geometries, in Web Mercator metres, keep their positions packed (x and y as doubles side by side, 16
    /// bytes a position) rather than one <see cref="Coordinate"/> object each (40 bytes with its reference): the snapshots
    /// hold every version of every tiled feature of the city for as long as the server runs (docs/benchmarks.md *Server
    /// memory of the demo city*). The tile encoder reads them through their <see cref="CoordinateSequence"/>.
    /// </summary>
    private static readonly GeometryFactory s_mercatorFactory = new(PrecisionModel.Floating.Value, WebMercatorQuad.Srid, PackedCoordinateSequenceFactory.DoubleFactory);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Revision, Task<Snapshot> Loading)> _snapshots = new(StringComparer.Ordinal);
    private long _bytes;

    /// <summary>
    /// The tile matrix the web map's first view draws from: it opens on the city at zoom 13.5 or deeper
    /// (web/src/twinmap.ts, firstViewMinZoom), where MapLibre draws its 512-pixel vector tiles from tile matrix 13.
    /// </summary>
    public const int FirstViewZoom = 13;

    /// <summary>
    /// Tiles a side warmed around the city's centre (<see cref="WarmFirstViewAsync"/>): a z13 tile is about 3 km wide at
    /// 52° N, and the demo city's first view (1280 × 800 pixels, pitched 50°) draws 2 × 2 of them.
    /// </summary>
    public const int FirstViewTilesAcross = 6;

    /// <summary>The bytes of encoded tiles held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// The tile (<paramref name="zoom"/>, <paramref name="row"/>, <paramref name="column"/>) of <paramref name="layer"/> as it
    /// stood at <paramref name="at"/>, with only the versions of <paramref name="readableDatasets"/>.
    /// </summary>
    public async Task<EncodedTile> TileAsync(
        TileLayer layer, int zoom, long row, long column, DateTimeOffset at, IReadOnlySet<string> readableDatasets, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(layer, await RevisionAsync(layer, cancellationToken)).WaitAsync(cancellationToken);
        var datasets = string.Join('\n', snapshot.DatasetIds.Where(readableDatasets.Contains));
        var key = new TileKey(zoom, row, column, snapshot.EpochAt(at), datasets);
        if (snapshot.Tiles.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var tile = snapshot.Encode(zoom, row, column, at, readableDatasets);
        snapshot.Keep(key, tile);
        return tile;
    }

    /// <summary>
    /// Builds the snapshot of every tiled collection as the store stands now, one collection after the other, so that
    /// the first map after a start does not wait for them: building the demo city's takes seconds, a tile from a built
    /// snapshot milliseconds. A write before the first tile request still makes that request build a new snapshot.
    /// </summary>
    /// <returns>How many collections have a snapshot built.</returns>
    /// <remarks>
    /// Cancelling stops before the next collection, but waits for the one being built: that build reads the store,
    /// so the host must not close the store under it (it stops its hosted services before it disposes the store).
    /// </remarks>
    public async Task<int> WarmAsync(CancellationToken cancellationToken)
    {
        foreach (var layer in TileLayers.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await SnapshotAsync(layer, await RevisionAsync(layer, cancellationToken));
        }

        return TileLayers.All.Count;
    }

    /// <summary>
    /// Encodes and keeps, for callers who may read <paramref name="readableDatasets"/> at <paramref name="at"/>, the tiles
    /// of the web map's first view (<see cref="FirstViewZoom"/>, at most <see cref="FirstViewTilesAcross"/> a side
    /// around the city's centre) of every collection served at that zoom, so the first visitor's tiles are served from
    /// the cache instead of being encoded by a runtime that has never run the encoder (issue 5: in the first
    /// benchmark run after a start the four panden tiles of the first view took 3.0 s of server time, in later runs
    /// 20–40 ms).
    /// </summary>
    /// <returns>How many tiles were encoded (empty ones included).</returns>
    public async Task<int> WarmFirstViewAsync(DateTimeOffset at, IReadOnlySet<string> readableDatasets, CancellationToken cancellationToken)
    {
        var served = TileLayers.All.Where(l => l.MinZoom <= FirstViewZoom && FirstViewZoom <= l.MaxZoom).ToList();
        var snapshots = new List<(TileLayer Layer, Snapshot Snapshot)>(served.Count);
        foreach (var layer in served)
        {
            snapshots.Add((layer, await SnapshotAsync(layer, await RevisionAsync(layer, cancellationToken)).WaitAsync(cancellationToken)));
        }

        // The web map opens on the municipality's extent (web/src/catalog.ts, cityExtent), else on all of the data.
        var city = snapshots.FirstOrDefault(s => s.Layer.Collection.Id == TwinCollections.Gemeenten && !s.Snapshot.FeatureExtent.IsNull).Snapshot?.FeatureExtent;
        if (city is null)
        {
            city = new Envelope();
            foreach (var (_, snapshot) in snapshots)
            {
                city.ExpandToInclude(snapshot.FeatureExtent);
            }
        }

        if (city.IsNull)
        {
            return 0;
        }

        var (rows, columns) = WebMercatorQuad.TilesAround(FirstViewZoom, city, FirstViewTilesAcross);
        var count = 0;
        foreach (var (layer, _) in snapshots)
        {
            for (var row = rows.First; row <= rows.Last; row++)
            {
                for (var column = columns.First; column <= columns.Last; column++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await TileAsync(layer, FirstViewZoom, row, column, at, readableDatasets, cancellationToken);
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Whether the snapshot of <paramref name="collectionId"/> at the store's current revision is built.</summary>
    public async Task<bool> IsWarmAsync(string collectionId, CancellationToken cancellationToken)
    {
        if (TileLayers.Find(collectionId) is not { } layer)
        {
            return false;
        }

        var revision = await RevisionAsync(layer, cancellationToken);
        lock (_gate)
        {
            return _snapshots.TryGetValue(collectionId, out var current) && current.Revision == revision && current.Loading.IsCompletedSuccessfully;
        }
    }

    /// <summary>The collection's revision in the store, which every committed write moves.</summary>
    private async Task<long> RevisionAsync(TileLayer layer, CancellationToken cancellationToken)
    {
        // The cheapest read that returns the revision: an empty box far from any feature, one id at most.
        var probe = await features.QueryVersionsAsync(
            new FeatureQuery(layer.Collection.Id, TemporalFilter.Between(null, null), new Envelope(-1, -1, -1, -1), Limit: 1), cancellationToken);
        return probe.Revision;
    }

    private Task<Snapshot> SnapshotAsync(TileLayer layer, long revision)
    {
        lock (_gate)
        {
            if (_snapshots.TryGetValue(layer.Collection.Id, out var current) && current.Revision == revision && !current.Loading.IsFaulted)
            {
                return current.Loading;
            }

            if (current.Loading is { IsCompletedSuccessfully: true })
            {
                current.Loading.Result.Retire();
            }

            // Shared by every request for this revision, so no single request's cancellation may stop it.
            var loading = Task.Run(() => LoadAsync(layer, revision), CancellationToken.None);
            _snapshots[layer.Collection.Id] = (revision, loading);
            return loading;
        }
    }

    private async Task<Snapshot> LoadAsync(TileLayer layer, long revision)
    {
        var all = new FeatureQuery(layer.Collection.Id, TemporalFilter.Between(null, null), Limit: int.MaxValue);
        var versions = await features.QueryVersionsAsync(all, CancellationToken.None);
        var stored = await features.LoadVersionsAsync(versions.VersionIds, CancellationToken.None);
        var entries = new TileFeature[stored.Count];
        var index = new STRtree<int>();
        var boundaries = new SortedSet<long>();
        var extent = new Envelope();
        var integerIds = layer.Collection.Id == TileGeneralisation.IntegerIdCollection;
        for (var i = 0; i < stored.Count; i++)
        {
            var feature = stored[i].Feature;
            var mercator = s_mercatorFactory.CreateGeometry(feature.Geometry);
            mercator.Apply(new ToWebMercatorFrom(crs, feature.Geometry.SRID));
            mercator.GeometryChanged();
            var properties = new KeyValuePair<string, object?>[layer.Attributes.Count + 1];
            properties[0] = new("id", feature.Id);
            for (var a = 0; a < layer.Attributes.Count; a++)
            {
                properties[a + 1] = new(layer.Attributes[a], feature.Properties.GetValueOrDefault(layer.Attributes[a]));
            }

            var featureId = integerIds ? PandTileIds.FromBagId(feature.Id) ?? (PandTileIds.UnmappedFrom + (ulong)i) : (ulong?)null;
            entries[i] = new TileFeature(mercator, properties, feature.Validity, feature.DatasetId, featureId);
            index.Insert(mercator.EnvelopeInternal, i);
            extent.ExpandToInclude(mercator.EnvelopeInternal);
            boundaries.Add(feature.Validity.From.ToUnixTimeMilliseconds());
            if (feature.Validity.To is { } to)
            {
                boundaries.Add(to.ToUnixTimeMilliseconds());
            }
        }

        // Queries of an STR-tree are safe from many threads once it is built; building is not, so it happens here.
        index.Build();
        var datasets = entries.Select(e => e.DatasetId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var overview = TileGeneralisation.At(layer, layer.MinZoom);
        var merged = overview.MergesAttached ? MergeAttached(layer, entries, index, overview) : null;
        return new Snapshot(this, layer, revision, new Indexed(entries, index), merged, [.. boundaries], datasets, extent);
    }

    /// <summary>
    /// The features of an overview that merges attached features (<see cref="TileDetail.MergesAttached"/>): each group of
    /// features that touch one another, one after the other, and agree in the overview's attributes, dataset and
    /// validity becomes one feature with the union of their footprints and the first one's id and properties. A terraced
    /// row is then one extrusion instead of ten to twenty, without the walls between the houses.
    /// </summary>
    private static Indexed MergeAttached(TileLayer layer, TileFeature[] entries, STRtree<int> index, TileDetail overview)
    {
        int[] compared = [.. overview.Attributes.Select(a => 1 + layer.Attributes.ToList().IndexOf(a))];
        // Union–find whose root is the group's lowest store index, so the group takes its first feature's id.
        var root = new int[entries.Length];
        for (var i = 0; i < root.Length; i++)
        {
            root[i] = i;
        }

        int Find(int i)
        {
            while (root[i] != i)
            {
                root[i] = root[root[i]];
                i = root[i];
            }

            return i;
        }

        for (var i = 0; i < entries.Length; i++)
        {
            var near = entries[i].Mercator.EnvelopeInternal.Copy();
            near.ExpandBy(AttachedWithin);
            foreach (var j in index.Query(near))
            {
                if (j > i && SameDrawing(entries[i], entries[j], compared) && entries[i].Mercator.IsWithinDistance(entries[j].Mercator, AttachedWithin))
                {
                    var (a, b) = (Find(i), Find(j));
                    root[Math.Max(a, b)] = Math.Min(a, b);
                }
            }
        }

        var groups = new SortedDictionary<int, List<int>>();
        for (var i = 0; i < entries.Length; i++)
        {
            var first = Find(i);
            if (!groups.TryGetValue(first, out var members))
            {
                groups[first] = members = [];
            }

            members.Add(i);
        }

        // Unioned on a grid of AttachedWithin, so walls a few bits apart become one; the simplification then drops the
        // positions where two houses met along the row's straight front (collinear within a centimetre).
        var grid = new PrecisionModel(1 / AttachedWithin);
        var merged = new TileFeature[groups.Count];
        var mergedIndex = new STRtree<int>();
        var n = 0;
        foreach (var (first, members) in groups)
        {
            var feature = entries[first];
            if (members.Count > 1)
            {
                var union = UnaryUnionNG.Union(feature.Mercator.Factory.BuildGeometry(members.Select(m => entries[m].Mercator)), grid);
                feature = feature with { Mercator = DouglasPeuckerSimplifier.Simplify(union, AttachedWithin) };
            }

            merged[n] = feature;
            mergedIndex.Insert(feature.Mercator.EnvelopeInternal, n++);
        }

        mergedIndex.Build();
        return new Indexed(merged, mergedIndex);
    }

    /// <summary>Whether two features would be drawn alike in the overview: same attributes compared, dataset and validity.</summary>
    private static bool SameDrawing(TileFeature a, TileFeature b, int[] compared)
    {
        if (a.Validity != b.Validity || !string.Equals(a.DatasetId, b.DatasetId, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var p in compared)
        {
            if (!Equals(a.Properties[p].Value, b.Properties[p].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What a cached tile is kept under within one snapshot.</summary>
    private readonly record struct TileKey(int Zoom, long Row, long Column, int Epoch, string Datasets);

    /// <summary>
    /// A version as the tiles need it: Web Mercator geometry, tile properties (<c>id</c> first), validity, dataset and, for
    /// <see cref="TileGeneralisation.IntegerIdCollection"/>, the integer feature id (<see cref="PandTileIds"/>).
    /// </summary>
    private sealed record TileFeature(Geometry Mercator, KeyValuePair<string, object?>[] Properties, ValidityInterval Validity, string DatasetId, ulong? FeatureId);

    /// <summary>Tile features and their STR-tree (values are positions in <see cref="Features"/>, in store order).</summary>
    private sealed record Indexed(TileFeature[] Features, STRtree<int> Index);

    /// <summary>
    /// Every version of one collection at one revision, indexed (<c>all</c>), with the tiles made from it; <c>merged</c>:
    /// the features of the overview tiles where they merge attached features, else <c>null</c>.
    /// </summary>
    private sealed class Snapshot(
        VectorTiles owner, TileLayer layer, long revision, Indexed all, Indexed? merged, long[] boundaries, string[] datasetIds, Envelope extent)
    {
        private long _bytes;
        private bool _retired;

        public long Revision { get; } = revision;

        /// <summary>The Web Mercator extent of every version (null when there is none).</summary>
        public Envelope FeatureExtent { get; } = extent;

        /// <summary>The datasets the versions come from, ordered.</summary>
        public string[] DatasetIds { get; } = datasetIds;

        public System.Collections.Concurrent.ConcurrentDictionary<TileKey, EncodedTile> Tiles { get; } = new();

        /// <summary>How many validity boundaries lie at or before <paramref name="at"/>: equal for instants that see the same versions.</summary>
        public int EpochAt(DateTimeOffset at)
        {
            var position = Array.BinarySearch(boundaries, at.ToUnixTimeMilliseconds());
            return position >= 0 ? position + 1 : ~position;
        }

        public EncodedTile Encode(int zoom, long row, long column, DateTimeOffset at, IReadOnlySet<string> readableDatasets)
        {
            var bounds = WebMercatorQuad.Bounds(zoom, row, column);
            var encoder = new TileGeometryEncoder(bounds, Extent, Buffer);
            var detail = TileGeneralisation.At(layer, zoom);
            var (features, index) = detail.MergesAttached && merged is not null ? merged : all;
            var candidates = index.Query(encoder.ClipBounds);
            // Tree order depends on how the tree was packed; store order keeps tiles byte-for-byte stable.
            var ordered = candidates is List<int> list ? list : [.. candidates];
            ordered.Sort();
            var writer = new MvtLayerWriter(layer.Collection.Id, Extent);
            var commands = new List<uint>(256);
            var tolerance = bounds.Width / Extent;
            // Positions in a feature's property array (id first, then the layer's attributes) that this zoom's tiles carry.
            int[] carried = [0, .. detail.Attributes.Select(a => 1 + IndexOf(layer.Attributes, a))];
            var classIndex = detail.ClassAttribute is null ? -1 : 1 + IndexOf(layer.Attributes, detail.ClassAttribute);
            var properties = new KeyValuePair<string, object?>[carried.Length];
            foreach (var i in ordered)
            {
                var feature = features[i];
                if (!feature.Validity.Contains(at) || !readableDatasets.Contains(feature.DatasetId)
                    || (detail.KeptClasses is { } kept && !(feature.Properties[classIndex].Value is string value && kept.Contains(value))))
                {
                    continue;
                }

                var geometry = feature.Mercator;
                if (TileGeneralisation.TooSmall(geometry, detail, zoom))
                {
                    continue;
                }

                if (geometry.NumPoints > SimplifyAbove && geometry.Dimension > Dimension.Point)
                {
                    geometry = new DouglasPeuckerSimplifier(geometry) { DistanceTolerance = tolerance, EnsureValidTopology = false }.GetResultGeometry();
                }

                commands.Clear();
                if (encoder.Encode(geometry, commands) is { } type)
                {
                    for (var p = 0; p < carried.Length; p++)
                    {
                        properties[p] = feature.Properties[carried[p]];
                    }

                    if (detail.IntegerIdsOnly && feature.FeatureId < PandTileIds.UnmappedFrom)
                    {
                        // The client reads the string id from the integer; a null property is left out of the tile.
                        properties[0] = new("id", null);
                    }

                    writer.AddFeature(type, commands, properties, feature.FeatureId);
                }
            }

            var body = writer.FeatureCount == 0 ? [] : writer.ToTile();
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12))}\"";
            return new EncodedTile(body, etag, writer.FeatureCount);
        }

        private int IndexOf(IReadOnlyList<string> attributes, string name)
        {
            for (var a = 0; a < attributes.Count; a++)
            {
                if (attributes[a] == name)
                {
                    return a;
                }
            }

            throw new InvalidOperationException($"The tile generalisation names '{name}', which is not an attribute of the layer '{layer.Collection.Id}'.");
        }

        /// <summary>Keeps <paramref name="tile"/> unless the budget is spent or this snapshot has been replaced.</summary>
        public void Keep(TileKey key, EncodedTile tile)
        {
            var size = tile.Body.Length + 64;
            if (Volatile.Read(ref _retired) || Interlocked.Read(ref owner._bytes) + size > MaximumBytes || !Tiles.TryAdd(key, tile))
            {
                return;
            }

            Interlocked.Add(ref _bytes, size);
            Interlocked.Add(ref owner._bytes, size);
            if (Volatile.Read(ref _retired))
            {
                // Retired while adding: give back whatever Retire did not see.
                Interlocked.Add(ref owner._bytes, -Interlocked.Exchange(ref _bytes, 0));
            }
        }

        /// <summary>Gives this snapshot's tile bytes back to the budget; its tiles go with it.</summary>
        public void Retire()
        {
            Volatile.Write(ref _retired, true);
            Interlocked.Add(ref owner._bytes, -Interlocked.Exchange(ref _bytes, 0));
        }
    }

    /// <summary>Projects positions in the CRS of <paramref name="sourceSrid"/> (RD New or CRS84) to Web Mercator in place.</summary>
    private sealed class ToWebMercatorFrom(CrsTransformer crs, int sourceSrid) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var x = seq.GetX(i);
            var y = seq.GetY(i);
            crs.Transform(sourceSrid, Crs.Crs84Srid, ref x, ref y);
            WebMercatorQuad.FromCrs84(ref x, ref y);
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }

    /// <summary>Projects CRS84 positions to Web Mercator in place.</summary>
    internal sealed class ToWebMercator : ICoordinateSequenceFilter
    {
        public static readonly ToWebMercator Instance = new();

        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var x = seq.GetX(i);
            var y = seq.GetY(i);
            WebMercatorQuad.FromCrs84(ref x, ref y);
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
