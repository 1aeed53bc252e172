using Tweeling.Server.Hosting;

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
    /// (<c>$resultFormat=dataArray</c> and CreateObservations) and <c>batch-request</c>, and <c>multi-datastream</c>
    /// (MultiDatastreams and their Observations in every class above; claimed with its requirements class URI too, which
    /// is what FROST-Server and clients written for it look for). The MQTT classes are in
    /// <see cref="MqttConformance"/>, claimed only when the server speaks MQTT.
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
        "http://www.opengis.net/spec/iot_sensing/1.1/conf/multi-datastream",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/multi-datastream",
    ];

    /// <summary>
    /// The requirements of the MQTT extension (OGC 18-088 §14), each with its <c>endpoints</c> in a <c>serverSettings</c>
    /// member named after it, as §14 asks; their conformance classes are claimed beside them, as the others are.
    /// </summary>
    public static readonly IReadOnlyList<(string Class, string Requirement)> MqttConformance =
    [
        ("http://www.opengis.net/spec/iot_sensing/1.1/conf/create-observations-via-mqtt", "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation"),
        ("http://www.opengis.net/spec/iot_sensing/1.1/conf/receive-updates-via-mqtt", "http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates"),
    ];

    public static StaJsonResult Handle(HttpContext http)
    {
        var root = StaApi.ServiceRoot(http.Request);

        // Registered only when MQTT is on (an embedded broker or an external one); otherwise nothing of it is claimed.
        var mqtt = http.RequestServices.GetService<MqttSettings>();
        var endpoint = mqtt?.Endpoint(http.Request);
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

            if (endpoint is not null)
            {
                foreach (var (conformanceClass, requirement) in MqttConformance)
                {
                    json.WriteStringValue(conformanceClass);
                    json.WriteStringValue(requirement);
                }
            }

            json.WriteEndArray();
            if (endpoint is not null)
            {
                foreach (var (_, requirement) in MqttConformance)
                {
                    json.WriteStartObject(requirement);
                    json.WriteStartArray("endpoints");
                    json.WriteStringValue(endpoint);
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        });
    }
}
