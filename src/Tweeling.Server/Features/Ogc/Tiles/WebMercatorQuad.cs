using NetTopologySuite.Geometries;

namespace Tweeling.Server.Features.Ogc.Tiles;

/// <summary>
/// The WebMercatorQuad tile matrix set of OGC Two Dimensional Tile Matrix Set 2.0 (the tiling of
/// Google Maps, OSM and MapLibre): EPSG:3857, 256-pixel tiles, tile matrix <c>z</c> holding 2^z × 2^z
/// tiles, row 0 at the top (north).
/// </summary>
internal static class WebMercatorQuad
{
    /// <summary>The tile matrix set's id in URLs and metadata.</summary>
    public const string Id = "WebMercatorQuad";

    /// <summary>Where the OGC registry defines it.</summary>
    public const string Uri = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";

    /// <summary>Web Mercator's CRS.</summary>
    public const string CrsUri = "http://www.opengis.net/def/crs/EPSG/0/3857";

    /// <summary>Web Mercator's EPSG code, the SRID of geometries in its metres.</summary>
    public const int Srid = 3857;

    /// <summary>The deepest tile matrix served (about 0.6 m a pixel, 15 cm a tile unit at 52° N).</summary>
    public const int MaximumZoom = 22;

    /// <summary>The sphere radius of EPSG:3857 (WGS 84's semi-major axis), metres.</summary>
    private const double Radius = 6378137.0;

    /// <summary>Half the width of the world in Web Mercator, metres: the tile matrix set's origin is (−this, +this).</summary>
    public const double HalfWorld = Math.PI * Radius;

    /// <summary>The latitude where Web Mercator's square world ends (±85.05°).</summary>
    private const double MaximumLatitude = 85.0511287798066;

    /// <summary>The width of one tile of tile matrix <paramref name="zoom"/>, Web Mercator metres.</summary>
    public static double TileSize(int zoom) => 2 * HalfWorld / (1L << zoom);

    /// <summary>The bounds of tile (<paramref name="zoom"/>, <paramref name="row"/>, <paramref name="column"/>) in Web Mercator metres.</summary>
    public static Envelope Bounds(int zoom, long row, long column)
    {
        var size = TileSize(zoom);
        var minX = -HalfWorld + (column * size);
        var maxY = HalfWorld - (row * size);
        return new Envelope(minX, minX + size, maxY - size, maxY);
    }

    /// <summary>
    /// The tiles of tile matrix <paramref name="zoom"/> that cover <paramref name="extent"/> (Web Mercator metres), at most
    /// <paramref name="across"/> a side around the tile of its centre.
    /// </summary>
    public static ((long First, long Last) Rows, (long First, long Last) Columns) TilesAround(int zoom, Envelope extent, int across)
    {
        var size = TileSize(zoom);
        var last = (1L << zoom) - 1;
        long Column(double x) => Math.Clamp((long)Math.Floor((x + HalfWorld) / size), 0, last);
        long Row(double y) => Math.Clamp((long)Math.Floor((HalfWorld - y) / size), 0, last);
        (long, long) Around(long first, long end, long centre)
        {
            var from = Math.Max(first, centre - ((across - 1) / 2));
            return (from, Math.Min(end, from + across - 1));
        }

        var centre = extent.Centre;
        return (Around(Row(extent.MaxY), Row(extent.MinY), Row(centre.Y)), Around(Column(extent.MinX), Column(extent.MaxX), Column(centre.X)));
    }

    /// <summary>Projects CRS84 <paramref name="longitude"/>, <paramref name="latitude"/> (degrees) to Web Mercator metres, in place.</summary>
    public static void FromCrs84(ref double longitude, ref double latitude)
    {
        var phi = Math.Clamp(latitude, -MaximumLatitude, MaximumLatitude) * Math.PI / 180;
        longitude = Radius * longitude * Math.PI / 180;
        latitude = Radius * Math.Log(Math.Tan((Math.PI / 4) + (phi / 2)));
    }

    /// <summary>The CRS84 longitude and latitude (degrees) of Web Mercator <paramref name="x"/>, <paramref name="y"/> (metres), in place.</summary>
    public static void ToCrs84(ref double x, ref double y)
    {
        x = x / Radius * 180 / Math.PI;
        y = ((2 * Math.Atan(Math.Exp(y / Radius))) - (Math.PI / 2)) * 180 / Math.PI;
    }

    /// <summary>
    /// The tile matrix set document of OGC API – Tiles (<c>/tileMatrixSets/WebMercatorQuad</c>), in the
    /// JSON encoding of OGC 17-083r4 (2-D Tile Matrix Set 2.0).
    /// </summary>
    public static object Definition(string root) => new
    {
        id = Id,
        title = "Google Maps Compatible for the World",
        uri = Uri,
        crs = CrsUri,
        orderedAxes = new[] { "X", "Y" },
        wellKnownScaleSet = "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        tileMatrices = Enumerable.Range(0, MaximumZoom + 1).Select(z => new
        {
            id = z.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // 0.28 mm a pixel is the standardised rendering pixel size of OGC WMTS and the 2-D TMS standard.
            scaleDenominator = TileSize(z) / 256 / 0.00028,
            cellSize = TileSize(z) / 256,
            cornerOfOrigin = "topLeft",
            pointOfOrigin = new[] { -HalfWorld, HalfWorld },
            tileWidth = 256,
            tileHeight = 256,
            matrixWidth = 1L << z,
            matrixHeight = 1L << z,
        }),
        links = new[]
        {
            OgcLinks.Link($"{root}/tileMatrixSets/{Id}", "self", OgcFormat.Json, "WebMercatorQuad"),
        },
    };
}
