namespace Tweeling.Domain.Geo;

/// <summary>
/// The coordinate reference systems the twin knows. Geometry is stored in RD New (EPSG:28992), the
/// Dutch national grid in metres, so areas and distances are exact in the store; it is served in
/// CRS84 (longitude, latitude on WGS 84) by default, as OGC API – Features requires.
/// </summary>
public static class Crs
{
    /// <summary>OGC URI of CRS84: WGS 84 longitude/latitude, in that axis order.</summary>
    public const string Crs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    /// <summary>OGC URI of RD New (Amersfoort / RD New), x east and y north in metres.</summary>
    public const string RdNewUri = "http://www.opengis.net/def/crs/EPSG/0/28992";

    /// <summary>EPSG code of RD New, the storage CRS.</summary>
    public const int RdNewSrid = 28992;

    /// <summary>SRID used for CRS84 geometries (EPSG:4326 datum, lon/lat axis order).</summary>
    public const int Crs84Srid = 4326;

    /// <summary>The CRS URIs the platform can serve, storage CRS included.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Crs84Uri, RdNewUri];

    /// <summary>Maps a supported CRS URI to its SRID; <c>null</c> for a URI the platform does not serve.</summary>
    public static int? SridOf(string uri) => uri switch
    {
        Crs84Uri => Crs84Srid,
        RdNewUri => RdNewSrid,
        _ => null,
    };

    /// <summary>Maps an SRID back to its CRS URI.</summary>
    public static string UriOf(int srid) => srid switch
    {
        Crs84Srid => Crs84Uri,
        RdNewSrid => RdNewUri,
        _ => throw new ArgumentOutOfRangeException(nameof(srid), srid, "The platform serves CRS84 and EPSG:28992 only."),
    };
}
