using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Cli;

/// <summary>The <c>tweeling</c> verbs as a user runs them: help, clear errors with non-zero exit codes, imports, serve.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("serve", "--urls")]
    [InlineData("serve", "--no-demo")]
    [InlineData("import", "cbs-gebieden")]
    [InlineData("import", "--valid-from")]
    [InlineData("datasets", "--store")]
    [InlineData("demo", "--scale")]
    [InlineData("demo", "--seed")]
    [InlineData("demo", "--history-days")]
    [InlineData("serve", "--mqtt-port")]
    [InlineData("serve", "--mqtt-broker")]
    [InlineData("serve", "--mqtt-broker-protocol")]
    public async Task Every_verb_has_help_that_names_its_options(string verb, string expected)
    {
        var (code, output, _) = await TweelingProcess.RunAsync(_work.Path, verb, "--help");

        Assert.Equal(0, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_import_kind_is_an_error_that_lists_the_known_kinds()
    {
        var file = _work.File("x.json");
        await File.WriteAllTextAsync(file, "{}", TestContext.Current.CancellationToken);

        var (code, _, error) = await TweelingProcess.RunAsync(_work.Path, "import", "shapefile", file);

        Assert.Equal(2, code);
        Assert.Contains("unknown kind 'shapefile'", error, StringComparison.Ordinal);
        Assert.Contains("cbs-gebieden", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_written_is_an_error_naming_it()
    {
        var blocker = _work.File("a-file");
        await File.WriteAllTextAsync(blocker, "not a folder", TestContext.Current.CancellationToken);

        var (code, _, error) = await TweelingProcess.RunAsync(_work.Path, "datasets", "--store", Path.Combine(blocker, "twin.db"));

        Assert.Equal(3, code);
        Assert.Contains(Path.Combine(blocker, "twin.db"), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_an_error_that_says_so()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (code, _, error) = await TweelingProcess.RunAsync(_work.Path, "serve", "--no-demo", "--mqtt-port", "0", "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(3, code);
        Assert.Contains("already in use", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_mqtt_port_in_use_is_an_error_that_says_how_to_go_on()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (code, _, error) = await TweelingProcess.RunAsync(_work.Path, "serve", "--no-demo", "--urls", $"http://127.0.0.1:{FreePorts.Next()}", "--mqtt-port", $"{port}");

        Assert.Equal(3, code);
        Assert.Contains($"MQTT broker on port {port}", error, StringComparison.Ordinal);
        Assert.Contains("--mqtt-port 0", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Debian's mosquitto clients (installed by the test command) talk through the embedded broker: an
    /// MQTT 5 subscriber without a client id (the broker assigns one) and MQTT 3.1.1 publishers with one
    /// (MQTTnet 5 refuses an empty id on 3.1.1, dotnet/MQTTnet#2181, which the spec allows it to).
    /// </summary>
    [Fact]
    public async Task The_embedded_mqtt_broker_relays_messages_between_mosquitto_clients()
    {
        var mqttPort = FreePorts.Next();
        var (user, token) = await AddWriterAsync();
        await using var server = await StartServeAsync(FreePorts.Next(), "--no-demo", "--mqtt-port", $"{mqttPort}");
        var subscribe = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", $"{mqttPort}", "-V", "mqttv5", "-t", "tweeling/test", "-C", "1", "-W", "20" })
        {
            subscribe.ArgumentList.Add(argument);
        }

        using var subscriber = Process.Start(subscribe) ?? throw new InvalidOperationException("mosquitto_sub did not start; is mosquitto-clients installed?");
        var received = subscriber.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        string published;
        var attempt = 0;
        do
        {
            // Publish until the subscriber has its subscription in place and exits with the message.
            await Task.Delay(300, TestContext.Current.CancellationToken);
            published = $"hallo {++attempt}";
            using var publisher = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{mqttPort}", "-V", "mqttv311", "-u", user, "-P", token, "-i", $"test-publisher-{attempt}", "-t", "tweeling/test", "-m", published])!;
            await publisher.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, publisher.ExitCode);
        }
        while (!subscriber.HasExited && attempt < 30);

        await subscriber.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, subscriber.ExitCode);
        Assert.StartsWith("hallo ", (await received).Trim(), StringComparison.Ordinal);
        await server.DisposeAsync();
        // Both endpoints of a loopback broker are logged, IPv4 and IPv6 (MqttBroker.ListenAddresses).
        Assert.Contains($"MQTT broker listening on 127.0.0.1:{mqttPort} and [::1]:{mqttPort}", await File.ReadAllTextAsync(_work.File($"serve-{_serveRuns}.log"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    /// <summary>SensorThings "create observations via MQTT": a QoS 1 PUBLISH is stored before its PUBACK.</summary>
    [Fact]
    public async Task Observations_published_over_mqtt_are_stored_before_they_are_acknowledged()
    {
        var demo = await TweelingProcess.RunAsync(_work.Path, "demo", "--history-days", "0");
        Assert.True(demo.Code == 0, demo.Error);
        var (user, token) = await AddWriterAsync();
        var mqttPort = FreePorts.Next();
        await using var server = await StartServeAsync(FreePorts.Next(), "--no-demo", "--mqtt-port", $"{mqttPort}");

        async Task<int> PublishAsync(string version, string topic, string payload)
        {
            using var publisher = Process.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{mqttPort}", "-V", version, "-u", user, "-P", token, "-i", "test-sensor", "-q", "1", "-t", topic, "-m", payload])!;
            await publisher.WaitForExitAsync(TestContext.Current.CancellationToken);
            return publisher.ExitCode;
        }

        Assert.Equal(0, await PublishAsync("mqttv311", "v1.1/Datastreams(1)/Observations", """{"result": 21.5, "phenomenonTime": "2025-01-01T00:00:00Z"}"""));
        var first = await GetJsonAsync(server.Port, "/sta/v1.1/Datastreams(1)/Observations?$top=1&$count=true");
        Assert.Equal(1, first.GetProperty("@iot.count").GetInt64());
        Assert.Equal(21.5, first.GetProperty("value")[0].GetProperty("result").GetDouble());

        Assert.Equal(0, await PublishAsync("mqttv311", "v1.1/Observations", """{"result": 22, "phenomenonTime": "2025-01-01T00:15:00Z", "Datastream": {"@iot.id": 1}}"""));
        await PublishAsync("mqttv5", "v1.1/Datastreams(1)/Observations", "geen json");
        await PublishAsync("mqttv5", "v1.1/Datastreams(999999)/Observations", """{"result": 1}""");

        var after = await GetJsonAsync(server.Port, "/sta/v1.1/Datastreams(1)/Observations?$count=true");
        Assert.Equal(2, after.GetProperty("@iot.count").GetInt64());
        Assert.Equal(22, after.GetProperty("value")[0].GetProperty("result").GetDouble());

        // Each stored PUBLISH is in the audit log as the signed-in client; the refused ones are not; the chain verifies.
        var verify = await TweelingProcess.RunAsync(_work.Path, "audit", "verify");
        Assert.True(verify.Code == 0, verify.Error);
        var export = await TweelingProcess.RunAsync(_work.Path, "audit", "export", "--format", "json");
        Assert.True(export.Code == 0, export.Error);
        var mqtt = JsonDocument.Parse(export.Output).RootElement.EnumerateArray()
            .Where(r => r.GetProperty("resource").GetString()!.StartsWith("MQTT", StringComparison.Ordinal))
            .Select(r => (r.GetProperty("role").GetString(), r.GetProperty("action").GetString(), r.GetProperty("resource").GetString(), r.GetProperty("size").GetInt64(), r.GetProperty("unit").GetString()))
            .ToList();
        Assert.Equal(
            [
                ("medewerker", "create", "MQTT PUBLISH v1.1/Datastreams(1)/Observations -> Datastreams(1)", 1L, "observations"),
                ("medewerker", "create", "MQTT PUBLISH v1.1/Observations -> Datastreams(1)", 1L, "observations"),
            ],
            mqtt);
    }

    [Theory]
    [InlineData("http://broker.example.nl:1883")]
    [InlineData("broker.example.nl")]
    [InlineData("mqtt://broker.example.nl/sta")]
    public async Task An_external_broker_that_is_no_mqtt_url_is_an_error_naming_it(string broker)
    {
        var (code, _, error) = await TweelingProcess.RunAsync(_work.Path, "serve", "--no-demo", "--mqtt-broker", broker, "--urls", $"http://127.0.0.1:{FreePorts.Next()}");

        Assert.Equal(2, code);
        Assert.Contains("--mqtt-broker must be an MQTT URL", error, StringComparison.Ordinal);
        Assert.Contains(broker, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_external_broker_protocol_is_an_error_listing_the_known_ones()
    {
        var (code, _, error) = await TweelingProcess.RunAsync(_work.Path, "serve", "--no-demo", "--mqtt-broker", "mqtt://127.0.0.1:1", "--mqtt-broker-protocol", "3.1", "--urls", $"http://127.0.0.1:{FreePorts.Next()}");

        Assert.Equal(2, code);
        Assert.Contains("--mqtt-broker-protocol must be one of 5, 3.1.1; got '3.1'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_external_broker_url_with_credentials_is_refused_without_repeating_them()
    {
        var (code, _, error) = await TweelingProcess.RunAsync(_work.Path, "serve", "--no-demo", "--mqtt-broker", "mqtt://sensor:geheim@broker.example.nl", "--urls", $"http://127.0.0.1:{FreePorts.Next()}");

        Assert.Equal(2, code);
        Assert.Contains("without credentials", error, StringComparison.Ordinal);
        Assert.DoesNotContain("geheim", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_mqtt_port_zero_no_broker_starts()
    {
        await using (var server = await StartServeAsync(FreePorts.Next(), "--no-demo", "--mqtt-port", "0"))
        {
            Assert.Equal(0, (await GetJsonAsync(server.Port, "/ogc/collections/panden/items")).GetProperty("numberMatched").GetInt64());
        }

        Assert.DoesNotContain("MQTT broker listening", await File.ReadAllTextAsync(_work.File($"serve-{_serveRuns}.log"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_configuration_is_refused_at_start_up_with_the_reason()
    {
        var start = TweelingProcess.StartInfo(_work.Path, "serve", "--no-demo", "--mqtt-port", "0", "--urls", $"http://127.0.0.1:{FreePorts.Next()}");
        start.Environment["Tweeling__Api__ContactEmail"] = "not-an-address";
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("ContactEmail", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_history_is_refused()
    {
        var (code, _, error) = await TweelingProcess.RunAsync(_work.Path, "demo", "--history-days", "-1");

        Assert.Equal(2, code);
        Assert.Contains("--history-days must be between 0 and 3660", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public async Task A_scale_out_of_range_is_refused_and_nothing_is_written(string scale)
    {
        var (code, _, error) = await TweelingProcess.RunAsync(_work.Path, "demo", "--scale", scale);

        Assert.Equal(2, code);
        Assert.Contains("--scale must be between 1 and 1000", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_work.Path, "var", "tweeling.db")));
    }

    [Fact]
    public async Task Demo_writes_the_synthetic_city_into_the_store_it_is_given()
    {
        var (code, output, error) = await TweelingProcess.RunAsync(_work.Path, "--store", "city.db", "demo", "--seed", "7", "--history-days", "2");
        var listed = await TweelingProcess.RunAsync(_work.Path, "--store", "city.db", "datasets");

        Assert.True(code == 0, error);
        Assert.Contains("seed 7", output, StringComparison.Ordinal);
        Assert.Contains("60 simulated sensors", output, StringComparison.Ordinal);
        Assert.Contains("over 2 days", output, StringComparison.Ordinal);
        Assert.Contains("demostad-basis", listed.Output, StringComparison.Ordinal);
        Assert.Contains("ja", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_buurten_import_into_the_default_store_and_a_bad_file_changes_nothing()
    {
        Assert.SkipWhen(RealData.Directory is null, RealData.SkipReason ?? string.Empty);
        var buurten = RealData.File("cbs_wijkbuurtkaart/buurten_2024_gegeneraliseerd_dordrecht.geojson");

        var imported = await TweelingProcess.RunAsync(_work.Path, "import", "cbs-gebieden", buurten);
        Assert.True(imported.Code == 0, imported.Error);
        Assert.Contains("132 buurten", imported.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_work.Path, "var", "tweeling.db")), "the default store is an SQLite file under ./var/");
        var before = await TweelingProcess.RunAsync(_work.Path, "datasets");

        var bad = _work.File("kapot.geojson");
        await File.WriteAllTextAsync(bad, """{"type": "FeatureCollection", "features": [ {"type": "Feature", """, TestContext.Current.CancellationToken);
        var failed = await TweelingProcess.RunAsync(_work.Path, "import", "cbs-gebieden", bad);
        var after = await TweelingProcess.RunAsync(_work.Path, "datasets");

        Assert.Equal(2, failed.Code);
        Assert.Contains("kapot.geojson", failed.Error, StringComparison.Ordinal);
        Assert.Equal(before.Output, after.Output);
    }

    [Fact]
    public async Task Serve_seeds_an_empty_store_with_the_demo_city_once_and_serves_a_filled_store_as_it_is()
    {
        var port = FreePorts.Next();
        await using (var server = await StartServeAsync(port))
        {
            var panden = await GetJsonAsync(port, "/ogc/collections/panden/items?limit=1");
            Assert.True(panden.GetProperty("numberMatched").GetInt64() >= 45_000);
        }

        var datasetsBefore = await TweelingProcess.RunAsync(_work.Path, "datasets");
        await using (var again = await StartServeAsync(port))
        {
            var datasets = await GetJsonAsync(port, "/api/v1/datasets");
            Assert.True(datasets.GetArrayLength() > 0);
        }

        Assert.Equal(datasetsBefore.Output, (await TweelingProcess.RunAsync(_work.Path, "datasets")).Output);
        Assert.DoesNotContain("generating the demo city", (await File.ReadAllTextAsync(_work.File("serve-2.log"), TestContext.Current.CancellationToken)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Serve_with_no_demo_starts_on_an_empty_store()
    {
        var port = FreePorts.Next();
        await using var server = await StartServeAsync(port, "--no-demo");

        var collections = await GetJsonAsync(port, "/ogc/collections/panden/items");
        Assert.Equal(0, collections.GetProperty("numberMatched").GetInt64());
    }

    private int _serveRuns;

    /// <summary>Adds a tokens-only medewerker with 'tweeling users' to the default store and returns its user name and API token.</summary>
    private async Task<(string User, string Token)> AddWriterAsync()
    {
        var added = await TweelingProcess.RunAsync(_work.Path, "users", "add", "sensorpartner", "--role", "medewerker", "--no-password");
        Assert.True(added.Code == 0, added.Error);
        var token = await TweelingProcess.RunAsync(_work.Path, "users", "token", "add", "sensorpartner", "--name", "mqtt test");
        Assert.True(token.Code == 0, token.Error);
        return ("sensorpartner", token.Output.Trim());
    }

    private async Task<RunningServe> StartServeAsync(int port, params string[] extra)
    {
        var log = _work.File($"serve-{++_serveRuns}.log");
        string[] mqtt = extra.Contains("--mqtt-port") ? [] : ["--mqtt-port", "0"];
        var process = Process.Start(TweelingProcess.StartInfo(_work.Path, ["serve", "--urls", $"http://127.0.0.1:{port}", .. mqtt, .. extra]))!;
        var running = new RunningServe(process, log, port);
        using var client = new HttpClient();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                await running.DisposeAsync();
                Assert.Fail($"serve exited with {process.ExitCode}: {await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken)}");
            }

            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}/healthz", TestContext.Current.CancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return running;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the demo city is being generated.
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        await running.DisposeAsync();
        throw new TimeoutException("serve did not become healthy within two minutes");
    }

    private static async Task<JsonElement> GetJsonAsync(int port, string path)
    {
        using var client = new HttpClient();
        return JsonDocument.Parse(await client.GetStringAsync($"http://127.0.0.1:{port}{path}", TestContext.Current.CancellationToken)).RootElement;
    }

    /// <summary>A running <c>tweeling serve</c>; disposing stops it (once) and keeps what it printed in its log file.</summary>
    private sealed class RunningServe(Process process, string log, int port) : IAsyncDisposable
    {
        private readonly Task<string> _output = process.StandardOutput.ReadToEndAsync();
        private readonly Task<string> _error = process.StandardError.ReadToEndAsync();
        private bool _disposed;

        public int Port { get; } = port;

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            await File.WriteAllTextAsync(log, await _output + await _error);
            process.Dispose();
        }
    }
}
