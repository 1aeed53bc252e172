using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Tweeling.Server.Tests.Cli;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Hardening;

/// <summary>
/// No personal data or secrets in the logs: the real <c>tweeling serve</c> process gets personal values
/// through every door — entity names, descriptions and properties, query strings, an Authorization
/// header, malformed bodies that take error paths, MQTT credentials and payloads — and not one of them
/// may appear in any line it printed.
/// </summary>
public sealed class LogScanTests : IDisposable
{
    private const string Name = "Familie Jansen-de Vries";
    private const string Email = "j.jansen.devries@voorbeeld.nl";
    private const string Bsn = "123456782"; // passes the eleven test, as a real BSN would
    private const string Phone = "06-98765432";
    private const string Password = "Geheim-Wachtwoord-42!";

    private static readonly string s_basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Email}:{Password}"));

    private readonly TempDirectory _work = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_full_scenario_with_personal_values_leaves_none_of_them_in_the_logs()
    {
        var port = FreePorts.Next();
        var mqttPort = FreePorts.Next();
        var token = await MeetkastTokenAsync();
        using var process = Process.Start(TweelingProcess.StartInfo(_work.Path, "serve", "--no-demo", "--urls", $"http://127.0.0.1:{port}", "--mqtt-port", $"{mqttPort}"))!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var error = process.StandardError.ReadToEndAsync(Cancel);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilHealthyAsync(http, process);
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            await RunScenarioAsync(http, mqttPort, token);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        var lines = (await output + await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // The error paths did log (so the scan looks at real output), and the scan finds nothing.
        Assert.Contains(lines, l => l.Contains("MQTT broker listening", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("is not a valid Observation", StringComparison.Ordinal));
        AssertNoPersonalValues(lines, token);
    }

    /// <summary>
    /// The bridge to an external broker (<c>serve --mqtt-broker</c>, <see cref="Tweeling.Server.Hosting.MqttBrokerClient"/>)
    /// takes what devices publish at the broker, where they signed in and not here: payloads of every kind it refuses
    /// (not JSON, a bad time, a missing Datastream or FeatureOfInterest, a MultiDatastream result that does not fit, a topic
    /// that creates nothing) and one it stores, each carrying personal values, are logged by their topic only.
    /// </summary>
    [Fact]
    public async Task The_bridge_to_an_external_broker_logs_the_topic_of_a_refused_message_and_never_its_payload()
    {
        var port = FreePorts.Next();
        var brokerPort = FreePorts.Next();
        var token = await MeetkastTokenAsync();
        var config = Path.Combine(_work.Path, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"listener {brokerPort} 127.0.0.1\nallow_anonymous true\npersistence false\n", Cancel);
        using var broker = Process.Start(new ProcessStartInfo(File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto", ["-c", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var process = Process.Start(TweelingProcess.StartInfo(
            _work.Path, "serve", "--no-demo", "--urls", $"http://127.0.0.1:{port}", "--mqtt-port", "0", "--mqtt-broker", $"mqtt://127.0.0.1:{brokerPort}"))!;
        var log = new LogLines(process);
        var refused = new List<string>();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilHealthyAsync(http, process);
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            await log.WaitForAsync(l => l.Contains("Connected to the MQTT broker", StringComparison.Ordinal), 1);
            var (datastream, multiDatastream) = await CreateSensorsAsync(http);

            // Device messages at the broker (mosquitto_pub signs in there, anonymously), in the order the server takes them.
            string[] refusedTopics =
            [
                $"v1.1/Datastreams({datastream})/Observations",
                $"v1.1/Datastreams({datastream})/Observations",
                "v1.1/Datastreams(999)/Observations",
                "v1.1/FeaturesOfInterest(999)/Observations",
                $"v1.1/MultiDatastreams({multiDatastream})/Observations",
                "v1.1/Things(1)/Observations",
            ];
            string[] refusedPayloads =
            [
                $"geen json {Name} {Bsn}",
                $$"""{"result": "{{Phone}}", "phenomenonTime": "{{Email}}"}""",
                $$$"""{"result": "{{{Bsn}}}", "parameters": {"bewoner": "{{{Name}}}"}}""",
                $$$"""{"result": "{{{Phone}}}", "Datastream": {"@iot.id": {{{datastream}}}}, "parameters": {"email": "{{{Email}}}"}}""",
                $$$"""{"result": ["{{{Email}}}"], "parameters": {"telefoon": "{{{Phone}}}"}}""",
                $$"""{"result": "{{Password}}"}""",
            ];
            foreach (var (topic, payload) in refusedTopics.Zip(refusedPayloads))
            {
                await PublishAtBrokerAsync(brokerPort, topic, payload);
            }

            // Stored, with personal values in its parameters; being last, it is stored once every message before it was handled.
            await PublishAtBrokerAsync(brokerPort, $"v1.1/Datastreams({datastream})/Observations", $$$"""{"result": 4242, "parameters": {"bewoner": "{{{Name}}}", "bsn": "{{{Bsn}}}"}}""");
            await WaitForStoredAsync(http, datastream, 4242);
            refused = await log.WaitForAsync(l => l.Contains("was not stored", StringComparison.Ordinal), refusedTopics.Length);

            // Each refusal says why by the topic (a payload that is no Observation, a topic that creates none) or by the id of
            // the entity that is missing, never by the payload.
            foreach (var topic in refusedTopics[0..2].Concat(refusedTopics[4..]))
            {
                Assert.Contains(refused, l => l.Contains(topic, StringComparison.Ordinal));
            }

            Assert.Contains(refused, l => l.Contains("There is no Datastream with id 999", StringComparison.Ordinal));
            Assert.Contains(refused, l => l.Contains("There is no FeatureOfInterest with id 999", StringComparison.Ordinal));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            broker.Kill();
            await broker.WaitForExitAsync(CancellationToken.None);
        }

        Assert.Equal(6, refused.Count);
        AssertNoPersonalValues(log.All(), token);
    }

    private static void AssertNoPersonalValues(IReadOnlyList<string> lines, string token)
    {
        string[] seeded = [Name, "Jansen", Email, "voorbeeld.nl", Bsn, Phone, Password, s_basic, token];
        var leaks = lines.SelectMany(l => seeded.Where(v => l.Contains(v, StringComparison.OrdinalIgnoreCase)).Select(v => $"'{v}' in: {l}")).ToList();
        Assert.True(leaks.Count == 0, "personal values in the log:\n" + string.Join("\n", leaks));
    }

    /// <summary>An account "meetkast" of a sensor partner (medewerker) in the test's store, and an API token of it.</summary>
    private async Task<string> MeetkastTokenAsync()
    {
        var added = await TweelingProcess.RunAsync(_work.Path, "users", "add", "meetkast", "--role", "medewerker", "--no-password");
        Assert.True(added.Code == 0, added.Error);
        var issued = await TweelingProcess.RunAsync(_work.Path, "users", "token", "add", "meetkast", "--name", "log scan");
        Assert.True(issued.Code == 0, issued.Error);
        return issued.Output.Trim();
    }

    /// <summary>A Thing with a Datastream and a MultiDatastream of two components, over HTTP; returns the two ids.</summary>
    private static async Task<(long Datastream, long MultiDatastream)> CreateSensorsAsync(HttpClient http)
    {
        const string Unit = """{"name": "centimetre", "symbol": "cm", "definition": "http://qudt.org/vocab/unit/CentiM"}""";
        const string Measurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";
        var thing = await PostAsync(http, "/sta/v1.1/Things", $$$"""
            {"name": "Peilbuis", "description": "grondwater",
             "Locations": [{"name": "Erf", "description": "achter", "encodingType": "application/geo+json", "location": {"type": "Point", "coordinates": [4.67, 51.81]}}],
             "Datastreams": [{"name": "Stand", "description": "grondwaterstand", "unitOfMeasurement": {{{Unit}}}, "observationType": "{{{Measurement}}}",
               "Sensor": {"name": "Druk", "description": "druksensor", "encodingType": "text/plain", "metadata": "m"},
               "ObservedProperty": {"name": "Stand", "definition": "https://example.org/stand", "description": "stand"}}]}
            """);
        var thingId = thing.GetProperty("@iot.id").GetInt64();
        var datastreams = await GetAsync(http, $"/sta/v1.1/Things({thingId})/Datastreams");
        var multi = await PostAsync(http, "/sta/v1.1/MultiDatastreams", $$$"""
            {"name": "Peil en temperatuur", "description": "twee waarden", "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_ComplexObservation",
             "unitOfMeasurements": [{{{Unit}}}, {{{Unit}}}], "multiObservationDataTypes": ["{{{Measurement}}}", "{{{Measurement}}}"], "Thing": {"@iot.id": {{{thingId}}}},
             "Sensor": {"name": "Combi", "description": "combisensor", "encodingType": "text/plain", "metadata": "m"},
             "ObservedProperties": [{"name": "Peil", "definition": "urn:peil", "description": "peil"}, {"name": "Temperatuur", "definition": "urn:t", "description": "water"}]}
            """);
        return (datastreams.GetProperty("value")[0].GetProperty("@iot.id").GetInt64(), multi.GetProperty("@iot.id").GetInt64());
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits (at most a minute) until the server answers an Observation of <paramref name="datastream"/> with <paramref name="result"/>.</summary>
    private static async Task WaitForStoredAsync(HttpClient http, long datastream, int result)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var found = await GetAsync(http, $"/sta/v1.1/Datastreams({datastream})/Observations?$filter=result eq {result}");
            if (found.GetProperty("value").GetArrayLength() > 0)
            {
                return;
            }

            await Task.Delay(200, Cancel);
        }

        throw new TimeoutException($"the Observation with result {result} was not stored within a minute");
    }

    private static async Task PublishAtBrokerAsync(int brokerPort, string topic, string payload)
    {
        using var publisher = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{brokerPort}", "-V", "mqttv5", "-q", "1", "-t", topic, "-m", payload])!;
        await publisher.WaitForExitAsync(Cancel);
        Assert.Equal(0, publisher.ExitCode);
    }

    private static async Task RunScenarioAsync(HttpClient http, int mqttPort, string token)
    {
        var thing = $$$"""
            {"name": "{{{Name}}}", "description": "Woning van {{{Name}}}, {{{Email}}}",
             "properties": {"bewoner": "{{{Name}}}", "email": "{{{Email}}}", "bsn": "{{{Bsn}}}", "telefoon": "{{{Phone}}}"},
             "Locations": [{"name": "Huis {{{Name}}}", "description": "{{{Email}}}", "encodingType": "application/geo+json", "location": {"type": "Point", "coordinates": [4.67, 51.81]}}],
             "Datastreams": [{"name": "Energie {{{Bsn}}}", "description": "meter van {{{Email}}}",
               "unitOfMeasurement": {"name": "kilowattuur", "symbol": "kWh", "definition": "http://qudt.org/vocab/unit/KiloW-HR"},
               "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
               "Sensor": {"name": "Meter {{{Phone}}}", "description": "{{{Email}}}", "encodingType": "application/pdf", "metadata": "https://example.org/{{{Bsn}}}.pdf"},
               "ObservedProperty": {"name": "Verbruik {{{Name}}}", "definition": "https://example.org/verbruik", "description": "{{{Bsn}}}"}}]}
            """;

        // Writes, signed in with the API token; and a sign-in with credentials that are not accepted.
        using (var request = Json(HttpMethod.Post, "/sta/v1.1/Things", thing))
        {
            using var created = await http.SendAsync(request, Cancel);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var wrongBasic = Json(HttpMethod.Post, "/sta/v1.1/Things", thing))
        {
            wrongBasic.Headers.Authorization = new("Basic", s_basic);
            await SendAsync(http, wrongBasic);
        }

        await SendAsync(http, Json(HttpMethod.Post, "/sta/v1.1/Datastreams(1)/Observations", $$$"""{"result": "{{{Bsn}}} {{{Email}}}", "phenomenonTime": "2025-03-01T10:00:00Z", "parameters": {"email": "{{{Email}}}"}}"""));
        await SendAsync(http, Json(HttpMethod.Patch, "/sta/v1.1/Things(1)", $$"""{"description": "{{Phone}} {{Name}}"}"""));

        // Error paths: malformed and invalid bodies, unknown parameters, bad filters and paths carrying the values.
        await SendAsync(http, Json(HttpMethod.Post, "/sta/v1.1/Things", $$"""{"name": "{{Name}}", "email": "{{Email}}", """));
        await SendAsync(http, Json(HttpMethod.Post, "/sta/v1.1/Things", $$"""{"name": "{{Name}}", "onbekend": "{{Bsn}}"}"""));
        await SendAsync(http, Json(HttpMethod.Post, "/sta/v1.1/CreateObservations", $$"""[{"Datastream": {"@iot.id": 1}, "components": ["result", "{{Email}}"], "dataArray": [["{{Bsn}}"]]}]"""));
        await SendAsync(http, Json(HttpMethod.Post, "/sta/v1.1/$batch", $$$"""{"requests": [{"id": "{{{Bsn}}}", "method": "post", "url": "Things({{{Email}}})", "body": {"name": "{{{Name}}}"}}]}"""));
        using (var withPassword = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/datasets?wachtwoord={Uri.EscapeDataString(Password)}"))
        {
            withPassword.Headers.Authorization = new("Bearer", Password);
            await SendAsync(http, withPassword);
        }

        foreach (var path in new[]
        {
            $"/sta/v1.1/Things?$filter=name eq '{Name}'",
            $"/sta/v1.1/Things?$filter=properties/email eq '{Email}'",
            $"/sta/v1.1/Things?$filter=substringof('{Bsn}', name) and",
            $"/sta/v1.1/Things('{Email}')",
            $"/sta/v1.1/Things(1)/{Bsn}",
            $"/ogc/collections/sensoren/items?bsn={Bsn}",
            $"/ogc/collections/{Uri.EscapeDataString(Email)}/items",
            $"/api/v1/gebieden/{Bsn}",
            $"/api/v1/datasets?email={Uri.EscapeDataString(Email)}",
            $"/{Uri.EscapeDataString(Name)}",
            "/sta/v1.1/Things?$expand=Datastreams/Observations",
            "/ogc/collections/sensoren/items",
        })
        {
            await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, path));
        }

        // MQTT: credentials and payloads with the values, valid and not.
        await PublishAsync(mqttPort, "meetkast", token, $$"""{"result": "{{Phone}}", "phenomenonTime": "2025-03-01T11:00:00Z"}""");
        await PublishAsync(mqttPort, "meetkast", token, $$"""{"result": "{{Bsn}}", "phenomenonTime": "{{Email}}"}""");
        await PublishAsync(mqttPort, "meetkast", token, $"geen json {Name} {Bsn}");
        await PublishAsync(mqttPort, Email, Password, $$"""{"result": "{{Phone}}", "phenomenonTime": "2025-03-01T11:00:00Z"}""");
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string json) =>
        new(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static async Task SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, Cancel);
            Assert.True((int)response.StatusCode < 500, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode}");
        }
    }

    private static async Task PublishAsync(int mqttPort, string user, string secret, string payload)
    {
        using var publisher = Process.Start("mosquitto_pub", [
            "-h", "127.0.0.1", "-p", $"{mqttPort}", "-V", "mqttv311", "-i", "meetkast-7", "-u", user, "-P", secret,
            "-q", "1", "-t", "v1.1/Datastreams(1)/Observations", "-m", payload])!;
        await publisher.WaitForExitAsync(Cancel);
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, Process process)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            Assert.False(process.HasExited, $"serve exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                using var response = await http.GetAsync("/healthz", Cancel);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, Cancel);
        }

        throw new TimeoutException("serve did not become healthy within a minute");
    }

    /// <summary>Every line a process writes to standard output and error, as it comes.</summary>
    private sealed class LogLines
    {
        private readonly List<string> _lines = [];

        public LogLines(Process process)
        {
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        /// <summary>The lines so far.</summary>
        public IReadOnlyList<string> All()
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }

        /// <summary>The lines <paramref name="wanted"/> accepts, once there are at least <paramref name="count"/> (at most a minute).</summary>
        public async Task<List<string>> WaitForAsync(Func<string, bool> wanted, int count)
        {
            for (var attempt = 0; attempt < 600; attempt++)
            {
                var found = All().Where(wanted).ToList();
                if (found.Count >= count)
                {
                    return found;
                }

                await Task.Delay(100, Cancel);
            }

            throw new TimeoutException($"fewer than {count} wanted lines in the log within a minute:\n{string.Join('\n', All())}");
        }

        private void Add(string? line)
        {
            if (line is not null)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                }
            }
        }
    }
}
