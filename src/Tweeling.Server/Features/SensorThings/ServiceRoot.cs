namespace Tweeling.Server.Features.SensorThings;

/// <summary><c>GET /sta/v1.1</c>: the entity sets and the conformance classes this server implements (OGC 18-088 §9.2.1).</summary>
internal static class ServiceRoot
{
    /// <summary>
    /// The conformance classes implemented in full: the data model classes (with entity control information:
    /// <c>@iot.id</c>, <c>@iot.selfLink</c>, navigation links), <c>resource-path</c> (every navigation path,
    /// properties, <c>$value</c>, <c>$ref</c>) and <c>request-data</c> (<c>$filter</c> with every operator and
    /// function, <c>$orderby</c>, <c>$expand</c>, <c>$select</c>, <c>$top</c>, <c>$skip</c>, <c>$count</c>).
    /// <c>create-update-delete</c> (POST with deep insert and links, PATCH, PUT, DELETE), <c>data-array</c>
    /// (<c>$resultFormat=dataArray</c> and CreateObservations) and <c>batch-request</c>. The MQTT classes are not
    /// claimed here yet: claiming them needs the broker's <c>mqtt://</c> endpoint in <c>serverSettings</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> Conformance =
    [
        .. new[] { "thing", "location", "historical-location", "datastream", "sensor", "observed-property", "observation", "feature-of-interest", "entity-control-information" }
            .Select(c => "http://www.opengis.net/spec/iot_sensing/1.1/conf/datamodel/" + c),
        "http://www.opengis.net/spec/iot_sensing/1.1/conf/resource-path",
        "http://www.opengis.net/spec/iot_sensing/1.1/conf/request-data",
        "http://www.opengis.net/spec/iot_sensing/1.1/conf/create-update-delete",
        "http://www.opengis.net/spec/iot_sensing/1.1/conf/data-array",
        "http://www.opengis.net/spec/iot_sensing/1.1/conf/batch-request",
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
