using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tweeling.Server.Hosting;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Web;

/// <summary>
/// The web UI served at <c>/</c> by the real server from a built UI folder (the layout Vite writes: index.html
/// and content-hashed files under assets/): SPA fallback, caching, conditional requests, the API namespaces
/// kept apart, no way out of the folder, and <c>/config.json</c> with the optional basemap.
/// </summary>
public sealed class WebAppTests : IAsyncLifetime
{
    private const string IndexHtml = "<!doctype html><html lang=\"nl\"><head><script type=\"module\" src=\"/assets/index-Ab12Cd34.js\"></script></head><body><main id=\"inhoud\"></main></body></html>";

    /// <summary>A script long enough that its compressed copies are smaller than it, as the build's are.</summary>
    private static readonly string s_mapScript = string.Concat(Enumerable.Repeat("export const kaart = 'MapLibre';\n", 200));

    private readonly TempDirectory _directory = new();
    private TwinServer? _server;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private TwinServer Server => _server!;

    private string Root => Path.Combine(_directory.Path, "dist");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Root, "assets"));
        await File.WriteAllTextAsync(Path.Combine(Root, "index.html"), IndexHtml, Cancel);
        await File.WriteAllTextAsync(Path.Combine(Root, "assets", "index-Ab12Cd34.js"), "export const tweeling = 1;", Cancel);
        // The build's compressed copies (web/vite.config.ts) of one script and of the page, as Brotli and gzip write them.
        await WriteCompressedCopiesAsync(Path.Combine(Root, "assets", "maplibre-gl-Cd56Ef78.js"), s_mapScript);
        await WriteCompressedCopiesAsync(Path.Combine(Root, "index.html"), IndexHtml);
        await File.WriteAllTextAsync(Path.Combine(Root, "assets", "maplibre-gl-worker-Xy98.mjs"), "self.onmessage = () => {};", Cancel);
        await File.WriteAllTextAsync(Path.Combine(Root, "favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", Cancel);
        // Beside the UI's folder, not in it: no request may reach it.
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "geheim.txt"), "niet voor de buitenwereld", Cancel);
        _server = await TwinServer.StartAsync(_ => Task.CompletedTask, Settings());
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_root_serves_the_built_page_as_html_under_the_page_policy_and_is_revalidated()
    {
        using var response = await Server.Client.GetAsync("/", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(IndexHtml, await response.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(SecurityHeaders.HtmlPolicy, string.Join(", ", response.Headers.GetValues("Content-Security-Policy")));
        Assert.True(response.Headers.CacheControl?.NoCache, $"Cache-Control is '{response.Headers.CacheControl}'");
        Assert.False(response.Headers.CacheControl?.NoStore);
        Assert.NotNull(response.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await Server.Client.SendAsync(again, Cancel);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory]
    [InlineData("/assets/index-Ab12Cd34.js")]
    [InlineData("/assets/maplibre-gl-worker-Xy98.mjs")]
    public async Task Hashed_assets_are_scripts_cached_for_a_year_under_the_page_policy(string path)
    {
        using var response = await Server.Client.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        // MapLibre's tile worker runs under its script's policy: it must be allowed to fetch tiles from here.
        Assert.Equal(SecurityHeaders.HtmlPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.Contains("immutable", response.Headers.CacheControl!.Extensions.Select(e => e.Name));
    }

    [Theory]
    [InlineData("br, gzip, deflate", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip;q=0.5", "gzip")]
    [InlineData("", null)]
    [InlineData("br;q=0, gzip;q=0", null)]
    public async Task A_script_is_sent_as_the_built_compressed_copy_the_browser_accepts_and_varies_by_it(string acceptEncoding, string? expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/maplibre-gl-Cd56Ef78.js");
        if (acceptEncoding.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        using var response = await Server.Client.SendAsync(request, Cancel);
        var body = await response.Content.ReadAsByteArrayAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected is null ? [] : [expected], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.Equal(s_mapScript, Decode(body, expected));
        if (expected is not null)
        {
            Assert.True(body.Length < Encoding.UTF8.GetByteCount(s_mapScript) / 4, $"{expected}: {body.Length} bytes");
        }
    }

    [Fact]
    public async Task Each_coding_of_the_page_has_its_own_validator_and_a_deep_link_gets_the_compressed_page_too()
    {
        using var identity = await Server.Client.GetAsync("/", Cancel);
        using var brotliRequest = new HttpRequestMessage(HttpMethod.Get, "/kaart");
        brotliRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var brotli = await Server.Client.SendAsync(brotliRequest, Cancel);

        Assert.Equal(IndexHtml, Decode(await brotli.Content.ReadAsByteArrayAsync(Cancel), "br"));
        Assert.Equal(["br"], brotli.Content.Headers.ContentEncoding);
        Assert.True(brotli.Headers.CacheControl?.NoCache);
        Assert.NotEqual(identity.Headers.ETag, brotli.Headers.ETag);

        // The Brotli copy's validator revalidates the Brotli copy; the identity page's does not match it.
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        again.Headers.IfNoneMatch.Add(brotli.Headers.ETag!);
        using var notModified = await Server.Client.SendAsync(again, Cancel);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var other = new HttpRequestMessage(HttpMethod.Get, "/");
        other.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        other.Headers.IfNoneMatch.Add(identity.Headers.ETag!);
        using var modified = await Server.Client.SendAsync(other, Cancel);
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
    }

    [Fact]
    public async Task Other_files_are_served_with_their_type_and_revalidated()
    {
        using var response = await Server.Client.GetAsync("/favicon.svg", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Theory]
    [InlineData("/kaart")]
    [InlineData("/dashboards")]
    public async Task A_deep_link_without_a_file_extension_opens_the_page(string path)
    {
        using var response = await Server.Client.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(IndexHtml, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Theory]
    [InlineData("/bestaat-niet.js")]
    [InlineData("/assets/index-Oud00000.js")]
    public async Task A_missing_file_is_a_not_found_problem(string path)
    {
        using var response = await Server.Client.GetAsync(path, Cancel);

        await AssertNotFoundProblemAsync(response, path);
    }

    [Theory]
    [InlineData("GET", "/api/v1/bestaat-niet")]
    [InlineData("GET", "/ogc/bestaat-niet")]
    [InlineData("GET", "/sta/bestaat-niet")]
    [InlineData("GET", "/api")]
    [InlineData("POST", "/api/v1/bestaat-niet")]
    public async Task Unknown_paths_of_the_apis_stay_the_apis_not_found_problem(string method, string path)
    {
        using var response = await Server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancel);

        await AssertNotFoundProblemAsync(response, path);
    }

    [Theory]
    [InlineData("/..%2Fgeheim.txt")]
    [InlineData("/%2E%2E/geheim.txt")]
    [InlineData("/assets/..%2F..%2Fgeheim.txt")]
    public async Task No_path_reaches_a_file_outside_the_ui_folder(string path)
    {
        using var response = await Server.Client.GetAsync(path, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);

        Assert.DoesNotContain("niet voor de buitenwereld", body, StringComparison.Ordinal);
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest || body == IndexHtml, $"{path}: {(int)response.StatusCode} {body}");
    }

    [Fact]
    public async Task Config_names_no_basemap_by_default()
    {
        var config = await Server.GetJsonAsync("/config.json");

        Assert.Equal(JsonValueKind.Null, config.GetProperty("basemap").ValueKind);
        Assert.Equal(JsonValueKind.Null, config.GetProperty("basemapAttribution").ValueKind);
    }

    [Fact]
    public async Task A_configured_basemap_is_in_the_config_and_its_origin_in_the_page_policy()
    {
        const string Basemap = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png";
        var settings = Settings();
        settings["Tweeling:Web:Basemap"] = Basemap;
        settings["Tweeling:Web:BasemapAttribution"] = "Kaartgegevens © Kadaster";
        await using var server = await TwinServer.StartAsync(_ => Task.CompletedTask, settings);

        var config = await server.GetJsonAsync("/config.json");
        using var page = await server.Client.GetAsync("/", Cancel);

        Assert.Equal(Basemap, config.GetProperty("basemap").GetString());
        Assert.Equal("Kaartgegevens © Kadaster", config.GetProperty("basemapAttribution").GetString());
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("connect-src 'self' https://service.pdok.nl;", policy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: blob: https://service.pdok.nl;", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tweeling:Web:Root", "/bestaat/niet", "holds no index.html")]
    [InlineData("Tweeling:Web:Basemap", "ftp://tegels.example/{z}/{x}/{y}.png", "absolute http(s) tile URL template")]
    [InlineData("Tweeling:Web:Basemap", "https://tegels.example/tegel.png", "{z}, {x} and {y}")]
    [InlineData("Tweeling:Web:BasemapAttribution", "Kaartgegevens © Kadaster", "no basemap to credit")]
    public async Task Unusable_web_settings_stop_the_start_with_a_message_naming_them(string key, string value, string reason)
    {
        var settings = Settings();
        settings[key] = value;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TwinServer.StartAsync(_ => Task.CompletedTask, settings));

        Assert.Contains(error.Failures, f => f.Contains(key, StringComparison.Ordinal) && f.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void The_built_ui_is_found_walking_up_from_the_executable()
    {
        var executable = Path.Combine(_directory.Path, "artifacts", "tweeling");
        Directory.CreateDirectory(executable);
        Assert.Null(WebApp.FindInRepository(executable));

        Directory.CreateDirectory(Path.Combine(_directory.Path, "web", "dist"));
        File.WriteAllText(Path.Combine(_directory.Path, "web", "dist", "index.html"), IndexHtml);

        Assert.Equal(Path.Combine(_directory.Path, "web", "dist"), WebApp.FindInRepository(executable));
    }

    private static async Task WriteCompressedCopiesAsync(string path, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await File.WriteAllBytesAsync(path, bytes, Cancel);
        await using (var brotli = new BrotliStream(File.Create(path + ".br"), CompressionLevel.Optimal))
        {
            await brotli.WriteAsync(bytes, Cancel);
        }

        await using var gzip = new GZipStream(File.Create(path + ".gz"), CompressionLevel.Optimal);
        await gzip.WriteAsync(bytes, Cancel);
    }

    /// <summary>The text of a body sent in <paramref name="coding"/> (<c>null</c>: as is).</summary>
    private static string Decode(byte[] body, string? coding)
    {
        using var input = new MemoryStream(body);
        using Stream decoded = coding switch
        {
            null => input,
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => throw new ArgumentException($"No decoder for '{coding}'.", nameof(coding)),
        };
        using var reader = new StreamReader(decoded, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private Dictionary<string, string?> Settings() => new(TwinServer.OpenUnlabelledSensors) { ["Tweeling:Web:Root"] = Root };

    private static async Task AssertNotFoundProblemAsync(HttpResponseMessage response, string path)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
        Assert.Contains(path.TrimStart('/'), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
