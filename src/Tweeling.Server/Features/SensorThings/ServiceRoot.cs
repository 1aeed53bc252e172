namespace Tweeling.Server.Features.SensorThings;

/// <summary><c>GET /sta/v1.1</c>: the entity sets and the conformance classes this server implements (OGC 18-088 §9.2.1).</summary>
internal static class ServiceRoot
{
    /// <summary>
    /// The conformance classes implemented in full. The data model classes (with entity control information:
    /// <c>@iot.id</c>, <c>@iot.selfLink</c>, navigation links) are; <c>resource-path</c> is not yet
    /// (no <c>$ref</c>, no nested paths), nor are <c>request-data</c> (no <c>$filter</c>, <c>$expand</c>),
    /// <c>create-update-delete</c> (only Observations can be created) and the rest.
    /// </summary>
    public static readonly IReadOnlyList<string> Conformance =
    [
        .. new[] { "thing", "location", "historical-location", "datastream", "sensor", "observed-property", "observation", "feature-of-interest", "entity-control-information" }
            .Select(c => "http://www.opengis.net/spec/iot_sensing/1.1/conf/datamodel/" + c),
    ];

    public static StaJsonResult Handle(HttpContext http)
    {
        var root = StaApi.ServiceRoot(http.Request);
        return StaApi.Json(json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("value");
            foreach (var set in EntitySet.All)
            {
                json.WriteStartObject();
                json.WriteString("name", set.Name);
                json.WriteString("url", $"{root}/{set.Name}");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("serverSettings");
            json.WriteStartArray("conformance");
            foreach (var uri in Conformance)
            {
                json.WriteStringValue(uri);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }
}
