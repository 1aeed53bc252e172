using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
        var port = FreePort();
        var mqttPort = FreePort();
        var added = await TweelingProcess.RunAsync(_work.Path, "users", "add", "meetkast", "--role", "medewerker", "--no-password");
        Assert.True(added.Code == 0, added.Error);
        var issued = await TweelingProcess.RunAsync(_work.Path, "users", "token", "add", "meetkast", "--name", "log scan");
        Assert.True(issued.Code == 0, issued.Error);
        var token = issued.Output.Trim();
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
        string[] seeded = [Name, "Jansen", Email, "voorbeeld.nl", Bsn, Phone, Password, s_basic, token];
        var leaks = lines.SelectMany(l => seeded.Where(v => l.Contains(v, StringComparison.OrdinalIgnoreCase)).Select(v => $"'{v}' in: {l}")).ToList();
        Assert.True(leaks.Count == 0, "personal values in the log:\n" + string.Join("\n", leaks));
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
