using Microsoft.AspNetCore.Http.HttpResults;

namespace Tweeling.Server.Features.Ogc;

/// <summary><c>GET /ogc/conformance</c>: the conformance classes this API implements.</summary>
internal static class Conformance
{
    public static IReadOnlyList<string> Classes { get; } =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
        .. Tiles.TileEndpoints.ConformanceClasses,
    ];

    public static Results<JsonHttpResult<object>, ProblemHttpResult> Handle(HttpRequest request) =>
        OgcFormat.CheckOnly(request.Query) is { } problem
            ? problem
            : TypedResults.Json<object>(new { conformsTo = Classes }, contentType: OgcFormat.Json);
}
