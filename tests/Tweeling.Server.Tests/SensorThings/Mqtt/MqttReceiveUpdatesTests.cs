using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.SensorThings.Mqtt;

/// <summary>
/// SensorThings "receive updates via MQTT" (OGC 18-088 §14.2) through the embedded broker, with Debian's
/// mosquitto_sub as the subscriber (MQTT 3.1.1 with a client id, MQTT 5 with one the broker assigns): each
/// message is the entity, property or selection exactly as the HTTP API answers for it.
/// </summary>
public sealed class MqttReceiveUpdatesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly List<Subscriber> _subscribers = [];
    private readonly FakeTimeProvider _time = new(s_t0);
    private MqttTwin? _twin;
    private HttpClient? _http;
    private int _mqttPort;
    private string _url = string.Empty;
    private string[] _signIn = [];
    private long _thing;
    private long[] _datastreams = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => _http ?? throw new InvalidOperationException("not started");

    private MqttTwin Twin => _twin ?? throw new InvalidOperationException("not started");

    private ISensorStore Sensors => Twin.Services.GetRequiredService<ISensorStore>();

    public async ValueTask InitializeAsync()
    {
        _twin = await MqttTwin.OpenAsync(Ct);
        var inserted = await _twin.Store.Sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Weerstation Kade", "temperature"),
                [],
                [.. Enumerable.Range(0, 2).Select(i => new DatastreamInsert(
                    new Datastream(0, $"temperatuur {i}", "air temperature", new UnitOfMeasurement("degree Celsius", "°C", "http://qudt.org/vocab/unit/DEG_C"),
                        "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement", 0, 0, 0),
                    Link<Sensor>.Create(new Sensor(0, $"sensor {i}", "a thermometer", "text/html", "https://example.org/sensor")),
                    Link<ObservedProperty>.Create(new ObservedProperty(0, $"temperature {i}", "https://example.org/def/temperature", "air temperature"))))],
                s_t0),
            Ct);
        (_thing, _datastreams) = (inserted.ThingId, [.. inserted.DatastreamIds]);

        var port = FreePorts.Next();
        _mqttPort = FreePorts.Next();
        var url = _url = $"http://127.0.0.1:{port}";
        await _twin.StartAsync(url, _time, MqttBrokerSettings.Beside(new Uri(url), _mqttPort), settings: null, Ct);
        _http = await TwinServer.SignedInClientAsync(_twin.Store, new Uri(url), "medewerker");
        var (user, token) = await TwinServer.AccountWithTokenAsync(_twin.Store, "medewerker");
        _signIn = ["-u", user, "-P", token];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Dispose();
        }

        _http?.Dispose();
        if (_twin is not null)
        {
            await _twin.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_new_observation_reaches_its_entity_set_its_datastream_and_a_selection_as_the_http_api_writes_it()
    {
        var (d1, d2) = (_datastreams[0], _datastreams[1]);
        var all = await SubscribeAsync("v1.1/Observations", "mqttv5");
        var mine = await SubscribeAsync($"v1.1/Datastreams({d1})/Observations", "mqttv311", "sub-datastream");
        var selected = await SubscribeAsync($"v1.1/Datastreams({d1})/Observations?$select=result,phenomenonTime", "mqttv311", "sub-select");
        var other = await SubscribeAsync($"v1.1/Datastreams({d2})/Observations", "mqttv5");

        var id = await PostObservationAsync(d1, 21.5, "2026-01-01T10:00:00Z");
        var expected = await GetAsync($"/sta/v1.1/Observations({id})");
        Assert.Equal(expected, await all.NextAsync());
        Assert.Equal(expected, await mine.NextAsync());
        var selection = await selected.NextAsync();
        Assert.Equal("""{"phenomenonTime":"2026-01-01T10:00:00.000Z","result":21.5}""", selection);
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({id})?$select=result,phenomenonTime"), selection);

        // The other Datastream's subscriber did not get the first: its first message is its own Observation.
        var second = await PostObservationAsync(d2, 3, "2026-01-01T10:05:00Z");
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({second})"), await other.NextAsync());
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({second})"), await all.NextAsync());
    }

    [Fact]
    public async Task An_observation_published_over_mqtt_reaches_subscribers_as_the_stored_entity_not_as_sent()
    {
        var d1 = _datastreams[0];
        var subscriber = await SubscribeAsync($"v1.1/Datastreams({d1})/Observations", "mqttv311", "sub-stored");
        using var publisher = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{_mqttPort}", "-V", "mqttv5", .. _signIn, "-q", "1", "-t", $"v1.1/Datastreams({d1})/Observations", "-m", """{"result": 7, "phenomenonTime": "2026-01-01T11:00:00Z"}"""])!;
        await publisher.WaitForExitAsync(Ct);
        Assert.Equal(0, publisher.ExitCode);

        var message = await subscriber.NextAsync();
        var id = await LatestObservationIdAsync(d1);
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({id})"), message);
        Assert.Contains("\"@iot.id\":", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_reaches_the_entity_topic_and_the_topics_of_the_properties_that_changed_only()
    {
        var entity = await SubscribeAsync($"v1.1/Things({_thing})", "mqttv5");
        var name = await SubscribeAsync($"v1.1/Things({_thing})/name", "mqttv311", "sub-name");
        var description = await SubscribeAsync($"v1.1/Things({_thing})/description", "mqttv311", "sub-description");

        // A client cannot pass its own message off as an update: the broker refuses PUBLISHes to the update topics.
        foreach (var (version, topic) in new[] { ("mqttv5", $"v1.1/Things({_thing})"), ("mqttv311", $"v1.1/Things({_thing})/name") })
        {
            using var forger = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{_mqttPort}", "-V", version, .. _signIn, "-i", "forger", "-q", "1", "-t", topic, "-m", """{"name":"forged"}"""])!;
            await forger.WaitForExitAsync(Ct);
        }

        await Sensors.UpdateAsync<Thing>(_thing, t => t with { Name = "Weerstation Haven" }, Ct);
        Assert.Equal(await GetAsync($"/sta/v1.1/Things({_thing})"), await entity.NextAsync());
        Assert.Equal("""{"name":"Weerstation Haven"}""", await name.NextAsync());

        // The name update did not reach the description topic: its first message is the description's own change.
        await Sensors.UpdateAsync<Thing>(_thing, t => t with { Description = "temperatuur en wind" }, Ct);
        Assert.Equal("""{"description":"temperatuur en wind"}""", await description.NextAsync());
        Assert.Equal(await GetAsync($"/sta/v1.1/Things({_thing})"), await entity.NextAsync());
    }

    [Fact]
    public async Task An_observation_update_published_over_mqtt_is_refused_as_the_extension_creates_only()
    {
        // SensorThings MQTT extension (OGC 18-088 §14.2): a client PUBLISH creates an Observation on a Datastream's
        // Observations topic; there is no update by MQTT. A PUBLISH to an Observation's own topic, or to one of its
        // properties, is refused (PUBACK "not authorized"): it changes nothing and creates nothing.
        var d1 = _datastreams[0];
        var id = await PostObservationAsync(d1, 21.5, "2026-01-01T12:00:00Z");
        var before = await GetAsync($"/sta/v1.1/Observations({id})");

        foreach (var (version, topic, body) in new[]
        {
            ("mqttv5", $"v1.1/Observations({id})", """{"result": 99}"""),
            ("mqttv311", $"v1.1/Observations({id})/result", "99"),
        })
        {
            using var updater = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{_mqttPort}", "-V", version, .. _signIn, "-i", "updater", "-q", "1", "-t", topic, "-m", body])!;
            await updater.WaitForExitAsync(Ct);
        }

        Assert.Equal(before, await GetAsync($"/sta/v1.1/Observations({id})"));
        Assert.Equal(id, await LatestObservationIdAsync(d1));
    }

    [Fact]
    public async Task A_patch_or_put_reaches_the_entity_set_and_the_navigation_sets_the_entity_is_in()
    {
        var things = await SubscribeAsync("v1.1/Things", "mqttv5");
        var names = await SubscribeAsync("v1.1/Things?$select=id,name", "mqttv311", "sub-thing-names");
        var datastreams = await SubscribeAsync("v1.1/Datastreams", "mqttv311", "sub-changed-datastreams");
        var ofThing = await SubscribeAsync($"v1.1/Things({_thing})/Datastreams", "mqttv5");

        await PatchAsync($"/sta/v1.1/Things({_thing})", """{"name":"Weerstation Sluis"}""");
        var patched = await GetAsync($"/sta/v1.1/Things({_thing})");
        Assert.Contains("Weerstation Sluis", patched, StringComparison.Ordinal);
        Assert.Equal(patched, await things.NextAsync());
        Assert.Equal($$"""{"@iot.id":{{_thing}},"name":"Weerstation Sluis"}""", await names.NextAsync());

        await SendAsync(HttpMethod.Put, $"/sta/v1.1/Things({_thing})", """{"name":"Weerstation Dijk","description":"temperatuur"}""");
        Assert.Equal(await GetAsync($"/sta/v1.1/Things({_thing})"), await things.NextAsync());
        Assert.Equal($$"""{"@iot.id":{{_thing}},"name":"Weerstation Dijk"}""", await names.NextAsync());

        var d1 = _datastreams[0];
        await PatchAsync($"/sta/v1.1/Datastreams({d1})", """{"description":"luchttemperatuur op 1,5 m"}""");
        var datastream = await GetAsync($"/sta/v1.1/Datastreams({d1})");
        Assert.Equal(datastream, await datastreams.NextAsync());
        Assert.Equal(datastream, await ofThing.NextAsync());
    }

    /// <summary>
    /// OGC 18-088 §14.2: an entity set and a navigation set notify of a new or an updated entity, an entity topic
    /// and a property topic of an update; an Observation is no exception. A delete has no notification in §14.2.
    /// </summary>
    [Fact]
    public async Task A_patched_or_put_observation_reaches_its_entity_topic_its_entity_set_and_its_datastreams_observations_and_a_delete_sends_nothing()
    {
        var (d1, d2) = (_datastreams[0], _datastreams[1]);
        var id = await PostObservationAsync(d1, 21.5, "2026-01-01T10:00:00Z");
        var entity = await SubscribeAsync($"v1.1/Observations({id})", "mqttv5");
        var result = await SubscribeAsync($"v1.1/Observations({id})/result", "mqttv311", "sub-observation-result");
        var set = await SubscribeAsync("v1.1/Observations", "mqttv311", "sub-observation-set");
        var ofDatastream = await SubscribeAsync($"v1.1/Datastreams({d1})/Observations", "mqttv5");
        var selected = await SubscribeAsync($"v1.1/Datastreams({d1})/Observations?$select=result", "mqttv311", "sub-observation-select");
        var ofOther = await SubscribeAsync($"v1.1/Datastreams({d2})/Observations", "mqttv5");

        // Each update reaches the entity, its result, the entity set, its Datastream's Observations and their selection.
        async Task<string> ReceivedEverywhereAsync(string expectedResult)
        {
            var stored = await GetAsync($"/sta/v1.1/Observations({id})");
            Assert.Equal(stored, await entity.NextAsync());
            Assert.Equal(expectedResult, await result.NextAsync());
            Assert.Equal(stored, await set.NextAsync());
            Assert.Equal(stored, await ofDatastream.NextAsync());
            Assert.Equal(expectedResult, await selected.NextAsync());
            return stored;
        }

        await PatchAsync($"/sta/v1.1/Observations({id})", """{"result": 22}""");
        Assert.Contains("\"result\":22", await ReceivedEverywhereAsync("""{"result":22}"""), StringComparison.Ordinal);

        await SendAsync(HttpMethod.Put, $"/sta/v1.1/Observations({id})", """{"result": 23, "phenomenonTime": "2026-01-01T10:01:00Z"}""");
        Assert.Contains("2026-01-01T10:01:00.000Z", await ReceivedEverywhereAsync("""{"result":23}"""), StringComparison.Ordinal);

        // Linked to the other Datastream, it is in that Datastream's Observations now, and its result did not change:
        // the result topic's next message is the one of the change after this.
        await PatchAsync($"/sta/v1.1/Observations({id})", $$$"""{"Datastream": {"@iot.id": {{{d2}}}}}""");
        var moved = await GetAsync($"/sta/v1.1/Observations({id})");
        Assert.Equal(moved, await entity.NextAsync());
        Assert.Equal(moved, await set.NextAsync());
        Assert.Equal(moved, await ofOther.NextAsync());
        Assert.Equal(d2, (await Twin.Services.GetRequiredService<IObservationStore>().FindObservationAsync(id, Ct))!.DatastreamId);
        await PatchAsync($"/sta/v1.1/Observations({id})", """{"result": 24}""");
        Assert.Equal("""{"result":24}""", await result.NextAsync());
        var last = await GetAsync($"/sta/v1.1/Observations({id})");
        Assert.Equal(last, await set.NextAsync());
        Assert.Equal(last, await entity.NextAsync());

        // A delete sends nothing: the entity set's next message is the Observation created after it.
        await SendAsync(HttpMethod.Delete, $"/sta/v1.1/Observations({id})", null);
        var created = await PostObservationAsync(d1, 25, "2026-01-01T10:05:00Z");
        var expected = await GetAsync($"/sta/v1.1/Observations({created})");
        Assert.Equal(expected, await set.NextAsync());
        Assert.Equal(expected, await ofDatastream.NextAsync());
        Assert.Null(await entity.TryNextUpdateAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task A_feature_of_interest_derived_for_an_observation_reaches_the_subscribers_of_features_of_interest()
    {
        var features = await SubscribeAsync("v1.1/FeaturesOfInterest", "mqttv311", "sub-features");
        await PatchAsync($"/sta/v1.1/Things({_thing})", """{"Locations":[{"name":"Kade","description":"the quay","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[5.12,52.09]}}]}""");

        // Over HTTP and then over MQTT at the same Location: one feature is derived and announced once.
        var overHttp = await PostObservationAsync(_datastreams[0], 3, "2026-01-01T09:02:00Z");
        var feature = await GetAsync($"/sta/v1.1/Observations({overHttp})/FeatureOfInterest");
        Assert.Equal(feature, await features.NextAsync());
        await PublishObservationAsync(_datastreams[1], """{"result": 2, "phenomenonTime": "2026-01-01T09:01:00Z"}""");

        // The Thing moves: the feature derived over MQTT from the new Location is announced too.
        await PatchAsync($"/sta/v1.1/Things({_thing})", """{"Locations":[{"name":"Haven","description":"the harbour","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[5.2,52.1]}}]}""");
        var moved = await PublishObservationAsync(_datastreams[1], """{"result": 4, "phenomenonTime": "2026-01-01T09:03:00Z"}""");
        var next = await features.NextAsync();
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({moved})/FeatureOfInterest"), next);
        Assert.Contains("\"name\":\"Haven\"", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_entity_reaches_its_entity_set_and_the_navigation_sets_it_joins()
    {
        var set = await SubscribeAsync("v1.1/Datastreams", "mqttv311", "sub-datastreams");
        var ofThing = await SubscribeAsync($"v1.1/Things({_thing})/Datastreams?$select=id,name", "mqttv5");
        var existing = (await Sensors.FindAsync<Datastream>(_datastreams[0], Ct))!;

        var created = await Sensors.CreateAsync(existing with { Name = "wind" }, Ct);
        Assert.Equal(await GetAsync($"/sta/v1.1/Datastreams({created.Id})"), await set.NextAsync());
        Assert.Equal($$"""{"@iot.id":{{created.Id}},"name":"wind"}""", await ofThing.NextAsync());
    }

    [Fact]
    public async Task A_multi_datastream_created_or_patched_over_http_reaches_its_entity_set_its_things_navigation_set_and_its_property_topic()
    {
        var set = await SubscribeAsync("v1.1/MultiDatastreams", "mqttv311", "sub-multi-datastreams");
        var ofThing = await SubscribeAsync($"v1.1/Things({_thing})/MultiDatastreams?$select=id,name", "mqttv5");

        var id = await CreateMultiDatastreamAsync();
        Assert.Equal(await GetAsync($"/sta/v1.1/MultiDatastreams({id})"), await set.NextAsync());
        Assert.Equal($$"""{"@iot.id":{{id}},"name":"weer"}""", await ofThing.NextAsync());

        var name = await SubscribeAsync($"v1.1/MultiDatastreams({id})/name", "mqttv5");
        await PatchAsync($"/sta/v1.1/MultiDatastreams({id})", """{"name":"weer kade"}""");
        Assert.Equal(await GetAsync($"/sta/v1.1/MultiDatastreams({id})"), await set.NextAsync());
        Assert.Equal("""{"name":"weer kade"}""", await name.NextAsync());
    }

    [Fact]
    public async Task An_observation_of_a_multi_datastream_published_over_mqtt_is_stored_and_reaches_its_subscribers_as_stored()
    {
        var multi = await CreateMultiDatastreamAsync();
        var topic = $"v1.1/MultiDatastreams({multi})/Observations";
        var ofMulti = await SubscribeAsync(topic, "mqttv311", "sub-multi-observations");
        var selection = await SubscribeAsync("v1.1/Observations?$select=result,phenomenonTime", "mqttv5");

        Assert.Equal((0, ""), await PublishAsync(topic, """{"result": [11.5, 80], "phenomenonTime": "2026-01-01T11:00:00Z"}"""));
        var stored = Assert.Single(await Sensors.MultiObservationsAsync(multi, 0, 10, Ct));
        Assert.Equal([11.5, 80], stored.Result.EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({stored.Id})"), await ofMulti.NextAsync());
        Assert.Equal("""{"phenomenonTime":"2026-01-01T11:00:00.000Z","result":[11.5,80]}""", await selection.NextAsync());

        // One created over HTTP reaches the same topic.
        using (var created = await Http.PostAsync(new Uri($"/sta/v1.1/MultiDatastreams({multi})/Observations", UriKind.Relative), new StringContent("""{"result": [12, 70], "phenomenonTime": "2026-01-01T12:00:00Z"}""", Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(await GetAsync(created.Headers.Location!.AbsolutePath), await ofMulti.NextAsync());
        }

        // A result that does not fit, or a MultiDatastream that does not exist, is refused in the PUBACK and stores nothing.
        var (_, tooShort) = await PublishAsync(topic, """{"result": [1]}""");
        Assert.Contains("Publish 1 failed", tooShort, StringComparison.Ordinal);
        var (_, unknown) = await PublishAsync($"v1.1/MultiDatastreams({multi + 100})/Observations", """{"result": [1, 2]}""");
        Assert.Contains("Publish 1 failed", unknown, StringComparison.Ordinal);
        Assert.Equal(2, (await Sensors.MultiObservationsAsync(multi, 0, 10, Ct)).Count);
    }

    [Fact]
    public async Task The_service_root_claims_both_mqtt_classes_with_the_broker_endpoint_where_a_client_creates_an_observation()
    {
        using var document = System.Text.Json.JsonDocument.Parse(await GetAsync("/sta/v1.1"));
        var settings = document.RootElement.GetProperty("serverSettings");
        var conformance = settings.GetProperty("conformance").EnumerateArray().Select(c => c.GetString()).ToList();
        const string Create = "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation";
        const string Receive = "http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates";
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/conf/create-observations-via-mqtt", conformance);
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/conf/receive-updates-via-mqtt", conformance);
        Assert.Contains(Create, conformance);
        Assert.Contains(Receive, conformance);
        var endpoint = Assert.Single(settings.GetProperty(Create).GetProperty("endpoints").EnumerateArray()).GetString()!;
        Assert.Equal($"mqtt://127.0.0.1:{_mqttPort}", endpoint);
        Assert.Equal([endpoint], settings.GetProperty(Receive).GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()));

        // The announced endpoint is the broker: an Observation published there is stored.
        var broker = new Uri(endpoint);
        var start = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true };
        foreach (var argument in (string[])["-h", broker.Host, "-p", $"{broker.Port}", "-V", "mqttv5", .. _signIn, "-q", "1", "-t", "v1.1/Observations", "-m", $$$"""{"result": 4.5, "Datastream": {"@iot.id": {{{_datastreams[1]}}}}}"""])
        {
            start.ArgumentList.Add(argument);
        }

        using var publisher = Process.Start(start)!;
        var error = await publisher.StandardError.ReadToEndAsync(Ct);
        await publisher.WaitForExitAsync(Ct);
        Assert.True(publisher.ExitCode == 0, error);
        Assert.Equal(4.5, (await Twin.Services.GetRequiredService<IObservationStore>().LatestAsync([_datastreams[1]], Ct)).Single().Result);
    }

    [Fact]
    public async Task An_observation_published_without_a_feature_of_interest_gets_the_one_derived_from_its_things_location_as_over_http()
    {
        var d1 = _datastreams[0];

        // The Thing has no Location yet: nothing to derive from, so the Observation has no FeatureOfInterest.
        var before = await PublishObservationAsync(d1, """{"result": 1, "phenomenonTime": "2026-01-01T09:00:00Z"}""");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"/sta/v1.1/Observations({before})/FeatureOfInterest"));

        await PatchAsync($"/sta/v1.1/Things({_thing})", """{"Locations":[{"name":"Kade","description":"the quay","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[5.12,52.09]}}]}""");
        var overMqtt = await PublishObservationAsync(d1, """{"result": 2, "phenomenonTime": "2026-01-01T09:01:00Z"}""");
        var overHttp = await PostObservationAsync(d1, 3, "2026-01-01T09:02:00Z");
        var feature = await GetAsync($"/sta/v1.1/Observations({overMqtt})/FeatureOfInterest");
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({overHttp})/FeatureOfInterest"), feature);
        Assert.Contains("\"name\":\"Kade\"", feature, StringComparison.Ordinal);
        Assert.Contains("[5.12,52.09]", feature, StringComparison.Ordinal);

        // The Thing moves: the next Observation over MQTT is about the new Location, not a remembered old one.
        await PatchAsync($"/sta/v1.1/Things({_thing})", """{"Locations":[{"name":"Haven","description":"the harbour","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[5.2,52.1]}}]}""");
        var moved = await PublishObservationAsync(d1, """{"result": 4, "phenomenonTime": "2026-01-01T09:03:00Z"}""");
        var movedFeature = await GetAsync($"/sta/v1.1/Observations({moved})/FeatureOfInterest");
        Assert.Contains("\"name\":\"Haven\"", movedFeature, StringComparison.Ordinal);
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({await PostObservationAsync(d1, 5, "2026-01-01T09:04:00Z")})/FeatureOfInterest"), movedFeature);

        // A FeatureOfInterest named in the payload is kept.
        using var named = System.Text.Json.JsonDocument.Parse(feature);
        var kade = named.RootElement.GetProperty("@iot.id").GetInt64();
        var explicitly = await PublishObservationAsync(d1, $$$"""{"result": 6, "phenomenonTime": "2026-01-01T09:05:00Z", "FeatureOfInterest": {"@iot.id": {{{kade}}}}}""");
        Assert.Equal(feature, await GetAsync($"/sta/v1.1/Observations({explicitly})/FeatureOfInterest"));

        // Published to a FeatureOfInterest's Observations, it is linked to that feature (OGC 18-088 §14.1).
        var d2 = _datastreams[1];
        Assert.Equal((0, ""), await PublishAsync($"v1.1/FeaturesOfInterest({kade})/Observations", $$$"""{"result": 7, "Datastream": {"@iot.id": {{{d2}}}}}"""));
        var linked = await LatestObservationIdAsync(d2);
        Assert.Equal(feature, await GetAsync($"/sta/v1.1/Observations({linked})/FeatureOfInterest"));

        // One that names another FeatureOfInterest than its topic is refused, and nothing is stored.
        var (_, refused) = await PublishAsync($"v1.1/FeaturesOfInterest({kade})/Observations", $$$"""{"result": 8, "Datastream": {"@iot.id": {{{d2}}}}, "FeatureOfInterest": {"@iot.id": {{{kade + 1}}}}}""");
        Assert.Contains("Publish 1 failed", refused, StringComparison.Ordinal);
        Assert.Equal(linked, await LatestObservationIdAsync(d2));
    }

    [Fact]
    public async Task An_anonymous_client_receives_updates_but_may_not_publish_observations()
    {
        var d1 = _datastreams[0];
        var anonymous = await SubscribeAsync($"v1.1/Datastreams({d1})/Observations", "mqttv5");

        // QoS 1, so each PUBLISH is handled before mosquitto_pub exits (MQTT 3.1.1 cannot say "refused" in its
        // PUBACK); what counts is that nothing was stored or relayed.
        foreach (var version in new[] { "mqttv311", "mqttv5" })
        {
            using var publisher = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{_mqttPort}", "-V", version, "-q", "1", "-t", $"v1.1/Datastreams({d1})/Observations", "-m", """{"result": 99, "phenomenonTime": "2026-01-01T12:00:00Z"}"""])!;
            await publisher.WaitForExitAsync(Ct);
        }

        var created = await PostObservationAsync(d1, 5, "2026-01-01T12:05:00Z");
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({created})"), await anonymous.NextAsync());
        Assert.Equal(created, await LatestObservationIdAsync(d1));
        Assert.Contains("\"@iot.count\":1", await GetAsync($"/sta/v1.1/Datastreams({d1})/Observations?$count=true"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5", "-x", "600")]
    public async Task A_client_with_a_persistent_session_gets_the_updates_sent_while_it_was_away(string version, params string[] expiry)
    {
        var d1 = _datastreams[0];
        var clientId = $"away-{version}";
        var first = await SubscribeAsync($"v1.1/Datastreams({d1})/Observations", version, clientId, ["-c", .. expiry]);
        await StopAsync(first);

        // Sent while the client is away: the session keeps its subscription, and the QoS 1 update waits in it.
        var whileAway = await PostObservationAsync(d1, 12.5, "2026-01-01T12:00:00Z");
        var back = await SubscribeAsync($"v1.1/Datastreams({d1})/Observations", version, clientId, ["-c", .. expiry]);
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({whileAway})"), await back.NextAsync());

        // And it keeps receiving once back.
        var afterwards = await PostObservationAsync(d1, 13, "2026-01-01T12:05:00Z");
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({afterwards})"), await back.NextAsync());
    }

    [Fact]
    public async Task A_session_ends_when_its_expiry_interval_has_passed_and_a_clean_session_is_not_kept()
    {
        var d1 = _datastreams[0];
        await StopAsync(await SubscribeAsync($"v1.1/Datastreams({d1})/Observations", "mqttv5", "expires", "-c", "-x", "60"));
        await StopAsync(await SubscribeAsync($"v1.1/Datastreams({d1})/Observations", "mqttv311", "clean"));
        var broker = Twin.Services.GetServices<IHostedService>().OfType<MqttBroker>().Single();
        Assert.Contains("expires", await broker.SessionIdsAsync());
        await WaitUntilAsync(async () => !(await broker.SessionIdsAsync()).Contains("clean"));

        // The clock moves past the expiry (again on each try: the broker may see the disconnect only after the first move).
        await WaitUntilAsync(async () =>
        {
            _time.Advance(TimeSpan.FromSeconds(61));
            return !(await broker.SessionIdsAsync()).Contains("expires");
        });

        // Neither session holds the update sent now: back again, each client's first message is the one sent after it returned.
        await PostObservationAsync(d1, 14, "2026-01-01T13:00:00Z");
        var expired = await SubscribeAsync($"v1.1/Datastreams({d1})/Observations", "mqttv5", "expires", "-c", "-x", "60");
        var clean = await SubscribeAsync($"v1.1/Datastreams({d1})/Observations", "mqttv311", "clean");
        var later = await PostObservationAsync(d1, 15, "2026-01-01T13:05:00Z");
        var expected = await GetAsync($"/sta/v1.1/Observations({later})");
        Assert.Equal(expected, await expired.NextAsync());
        Assert.Equal(expected, await clean.NextAsync());
    }

    [Fact]
    public async Task Persistent_sessions_and_their_subscriptions_survive_a_restart_of_the_server_and_clean_or_expired_ones_do_not()
    {
        var d1 = _datastreams[0];
        var topic = $"v1.1/Datastreams({d1})/Observations";
        await StopAsync(await SubscribeAsync(topic, "mqttv311", "keeps-311", "-c"));
        await StopAsync(await SubscribeAsync(topic + "?$select=result", "mqttv5", "keeps-5", "-c", "-x", "600"));
        await StopAsync(await SubscribeAsync(topic, "mqttv5", "short", "-c", "-x", "60"));
        await StopAsync(await SubscribeAsync(topic, "mqttv311", "clean"));

        // Down for two minutes: longer than the 60 s session may stay, shorter than the others.
        await RestartAsync(TimeSpan.FromMinutes(2));
        var sessions = await Twin.Services.GetServices<IHostedService>().OfType<MqttBroker>().Single().SessionIdsAsync();
        Assert.Equal(["keeps-311", "keeps-5"], sessions.Order(StringComparer.Ordinal));

        // Sent after the restart while both are away: the restored subscriptions take it, and it waits in each session.
        var whileAway = await PostObservationAsync(d1, 16.5, "2026-01-01T14:00:00Z");
        var back311 = await SubscribeAsync(topic, "mqttv311", "keeps-311", "-c");
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({whileAway})"), await back311.NextAsync());
        var back5 = await SubscribeAsync(topic + "?$select=result", "mqttv5", "keeps-5", "-c", "-x", "600");
        Assert.Equal("""{"result":16.5}""", await back5.NextAsync());

        // A client that signs in on a restored session may publish: the session's caller is who connected now.
        var (code, error) = await PublishAsync(topic, """{"result": 17, "phenomenonTime": "2026-01-01T14:05:00Z"}""", "keeps-311", "-c");
        Assert.Equal((0, ""), (code, error));
        Assert.Equal(17, (await Twin.Services.GetRequiredService<IObservationStore>().LatestAsync([d1], Ct)).Single().Result);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task A_connect_with_a_wrong_token_or_an_unknown_user_is_refused(string version)
    {
        foreach (var credentials in new[] { new[] { "-u", _signIn[1], "-P", "twl_not-a-token" }, ["-u", "nobody", "-P", _signIn[3]] })
        {
            using var publisher = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{_mqttPort}", "-V", version, .. credentials, "-t", "tweeling-test/x", "-m", "x"])!;
            await publisher.WaitForExitAsync(Ct);
            Assert.NotEqual(0, publisher.ExitCode);
        }
    }

    [Fact]
    public async Task No_client_may_connect_as_the_sender_of_update_messages()
    {
        using var impostor = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{_mqttPort}", "-V", "mqttv311", "-i", "tweeling-updates", "-t", "v1.1/Observations", "-m", "{}"])!;
        await impostor.WaitForExitAsync(Ct);
        Assert.NotEqual(0, impostor.ExitCode);
    }

    /// <summary>Subscribers do not sign in, so they count as publiek: sensor data of a dataset the public may not read is not sent.</summary>
    [Fact]
    public async Task Subscribers_receive_only_the_creates_and_observations_the_public_may_read()
    {
        var things = await SubscribeAsync("v1.1/Things", "mqttv5");
        var observations = await SubscribeAsync("v1.1/Observations", "mqttv311", "sub-public");
        var linked = (await Sensors.FindAsync<Datastream>(_datastreams[0], Ct))!;
        var hidden = await Sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Meetpunt Geheim", "internal", System.Text.Json.JsonSerializer.SerializeToElement(new { dataset = "meetnet-intern" })),
                [],
                [new DatastreamInsert(linked with { Name = "geheim" }, Link<Sensor>.To(linked.SensorId), Link<ObservedProperty>.To(linked.ObservedPropertyId))],
                s_t0),
            Ct);
        var open = await Sensors.CreateThingAsync(new ThingInsert(new Thing(0, "Meetpunt Open", "open"), [], [], s_t0), Ct);

        // Sent first, so that a leak would arrive before the open message each subscriber waits for.
        await PostObservationAsync(hidden.DatastreamIds[0], 1, "2026-01-01T12:00:00Z");
        var id = await PostObservationAsync(_datastreams[0], 2, "2026-01-01T12:05:00Z");

        Assert.Equal(await GetAsync($"/sta/v1.1/Things({open.ThingId})"), await things.NextAsync());
        Assert.Equal(await GetAsync($"/sta/v1.1/Observations({id})"), await observations.NextAsync());
    }

    private async Task<long> PostObservationAsync(long datastream, double result, string time)
    {
        using var body = new StringContent(string.Create(CultureInfo.InvariantCulture, $$"""{"result": {{result}}, "phenomenonTime": "{{time}}"}"""), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri($"/sta/v1.1/Datastreams({datastream})/Observations", UriKind.Relative), body, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        return long.Parse(location[(location.LastIndexOf('(') + 1)..^1], CultureInfo.InvariantCulture);
    }

    /// <summary>Creates a MultiDatastream of temperature and humidity on the Thing over HTTP (with a new Sensor and ObservedProperties); returns its id.</summary>
    private async Task<long> CreateMultiDatastreamAsync()
    {
        const string Measurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";
        var body = $$"""
            {"name":"weer","description":"temperature and humidity","observationType":"http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_ComplexObservation",
             "unitOfMeasurements":[{"name":"degree Celsius","symbol":"°C","definition":"http://qudt.org/vocab/unit/DEG_C"},{"name":"percent","symbol":"%","definition":"http://qudt.org/vocab/unit/PERCENT"}],
             "multiObservationDataTypes":["{{Measurement}}","{{Measurement}}"],
             "Thing":{"@iot.id":{{_thing}}},"Sensor":{"name":"WS-100","description":"weather sensor","encodingType":"text/plain","metadata":"datasheet"},
             "ObservedProperties":[{"name":"temperature","definition":"urn:t","description":"air temperature"},{"name":"humidity","definition":"urn:h","description":"relative humidity"}]}
            """;

        using var created = await Http.PostAsync(new Uri("/sta/v1.1/MultiDatastreams", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("@iot.id").GetInt64();
    }

    /// <summary>Publishes <paramref name="payload"/> to the Datastream's Observations with mosquitto_pub (MQTT 5, QoS 1) and returns the stored Observation's id.</summary>
    private async Task<long> PublishObservationAsync(long datastream, string payload)
    {
        Assert.Equal((0, ""), await PublishAsync($"v1.1/Datastreams({datastream})/Observations", payload));
        return await LatestObservationIdAsync(datastream);
    }

    /// <summary>
    /// Publishes with mosquitto_pub (MQTT 5, QoS 1): its exit code and what it wrote to stderr, where it reports a
    /// PUBLISH that the broker refused in its PUBACK (the exit code stays 0 then).
    /// </summary>
    private async Task<(int ExitCode, string Error)> PublishAsync(string topic, string payload, string? clientId = null, params string[] session)
    {
        string[] id = clientId is null ? [] : ["-i", clientId];
        using var publisher = Process.Start(new ProcessStartInfo("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{_mqttPort}", "-V", "mqttv5", .. _signIn, .. id, .. session, "-q", "1", "-t", topic, "-m", payload]) { RedirectStandardError = true })!;
        var error = await publisher.StandardError.ReadToEndAsync(Ct);
        await publisher.WaitForExitAsync(Ct);
        return (publisher.ExitCode, error);
    }

    /// <summary>Stops the server, lets <paramref name="downtime"/> pass on its clock, and starts it again over the same store file and ports.</summary>
    private async Task RestartAsync(TimeSpan downtime)
    {
        await Twin.StopAsync();
        _time.Advance(downtime);
        await Twin.StartAsync(_url, _time, MqttBrokerSettings.Beside(new Uri(_url), _mqttPort), settings: null, Ct);
    }

    private Task PatchAsync(string path, string json) => SendAsync(HttpMethod.Patch, path, json);

    private async Task SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        return response.StatusCode;
    }

    private async Task<long> LatestObservationIdAsync(long datastream) =>
        (await Twin.Services.GetRequiredService<IObservationStore>().LatestAsync([datastream], Ct)).Single().Id;

    private async Task<string> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>
    /// Starts mosquitto_sub on <paramref name="topic"/> and returns once its subscription stands: it also
    /// subscribes to a topic of its own, which the test publishes to until the subscriber prints it.
    /// </summary>
    private async Task<Subscriber> SubscribeAsync(string topic, string version, string? clientId = null, params string[] session)
    {
        var ready = $"tweeling-test/ready/{Guid.NewGuid():N}";
        var start = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] id = clientId is null ? [] : ["-i", clientId];
        string[] arguments = ["-h", "127.0.0.1", "-p", $"{_mqttPort}", "-V", version, .. id, .. session, "-q", "1", "-t", topic, "-t", ready, "-W", "30"];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var subscriber = new Subscriber(Process.Start(start) ?? throw new InvalidOperationException("mosquitto_sub did not start; is mosquitto-clients installed?"));
        _subscribers.Add(subscriber);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var publisher = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{_mqttPort}", "-V", "mqttv311", .. _signIn, "-i", "test-ready", "-t", ready, "-m", "ready"])!;
            await publisher.WaitForExitAsync(Ct);
            var line = await subscriber.TryNextAsync(TimeSpan.FromMilliseconds(300));
            if (line == "ready")
            {
                break;
            }

            if (line is not null)
            {
                // A message that waited in a persistent session arrives before the probe; NextAsync returns it first.
                subscriber.Early.Enqueue(line);
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"mosquitto_sub did not subscribe to {topic} within 20 s");
        }

        // Further "ready" messages still in flight from the retries are skipped by NextAsync.
        return subscriber;
    }

    /// <summary>Stops a subscriber the way a device drops off: the process is killed, the broker sees the connection close.</summary>
    private static async Task StopAsync(Subscriber subscriber)
    {
        subscriber.Dispose();
        await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the condition did not hold within 10 s");
            await Task.Delay(TimeSpan.FromMilliseconds(50), Ct);
        }
    }

    /// <summary>A running mosquitto_sub and the lines (message payloads) it prints.</summary>
    private sealed class Subscriber(Process process) : IDisposable
    {
        private Task<string?>? _pending;
        private bool _disposed;

        /// <summary>Messages that arrived while the subscription was being confirmed.</summary>
        public Queue<string> Early { get; } = new();

        /// <summary>The next message that is not a readiness probe, within 20 s.</summary>
        public async Task<string> NextAsync()
        {
            if (Early.TryDequeue(out var early))
            {
                return early;
            }

            while (true)
            {
                var line = await TryNextAsync(TimeSpan.FromSeconds(20)) ?? throw new TimeoutException("no MQTT message within 20 s");
                if (line != "ready")
                {
                    return line;
                }
            }
        }

        /// <summary>The next message that is not a readiness probe within <paramref name="wait"/>, or <c>null</c>.</summary>
        public async Task<string?> TryNextUpdateAsync(TimeSpan wait)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < wait)
            {
                if (await TryNextAsync(wait - clock.Elapsed) is { } line && line != "ready")
                {
                    return line;
                }
            }

            return null;
        }

        public async Task<string?> TryNextAsync(TimeSpan wait)
        {
            _pending ??= process.StandardOutput.ReadLineAsync(Ct).AsTask();
            if (await Task.WhenAny(_pending, Task.Delay(wait, Ct)) != _pending)
            {
                return null;
            }

            var line = await _pending;
            _pending = null;
            return line ?? throw new InvalidOperationException($"mosquitto_sub exited with {(process.HasExited ? process.ExitCode : -1)}");
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }
    }
}
