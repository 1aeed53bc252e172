using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Tweeling.Governance.Access;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Settings of the web UI (<c>Tweeling:Web</c>): where its built files are, and an optional online basemap.
/// Validated at start-up, so a wrong path or URL stops <c>serve</c> with a clear message.
/// </summary>
internal sealed class WebOptions
{
    public const string Section = "Tweeling:Web";

    /// <summary>
    /// The folder of the built UI (Vite's <c>web/dist</c>, holding <c>index.html</c>). Unset: the one
    /// <c>serve</c> finds in the repository it runs from, else the plain start page in <c>wwwroot</c>.
    /// </summary>
    public string? Root { get; init; }

    /// <summary>
    /// A raster tile URL template (<c>{z}</c>, <c>{x}</c>, <c>{y}</c>) drawn under the twin, e.g. PDOK's
    /// BRT-Achtergrondkaart. Unset (the default): no basemap, and the page loads nothing from elsewhere.
    /// </summary>
    public string? Basemap { get; init; }

    /// <summary>
    /// The credit the basemap's licence asks for, shown in the map's attribution (PDOK's BRT-Achtergrondkaart:
    /// "Kaartgegevens © Kadaster"). Only with <see cref="Basemap"/>: the twin's own layers need none.
    /// </summary>
    public string? BasemapAttribution { get; init; }

    /// <summary>The origin (scheme, host, port) of a basemap URL template, which the page's Content-Security-Policy then allows; <c>null</c> for none.</summary>
    public static string? OriginOf(string? basemap) =>
        basemap is not null && Uri.TryCreate(basemap, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>The reasons these settings cannot be used; empty when they can.</summary>
    public IEnumerable<string> Problems()
    {
        if (Root is not null && !File.Exists(Path.Combine(Root, "index.html")))
        {
            yield return $"{Section}:Root '{Root}' holds no index.html: build the UI there (cd web && npm ci && npm run build) or leave the setting out.";
        }

        if (Basemap is not null
            && (!Uri.TryCreate(Basemap, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
                || !Basemap.Contains("{z}", StringComparison.Ordinal) || !Basemap.Contains("{x}", StringComparison.Ordinal) || !Basemap.Contains("{y}", StringComparison.Ordinal)))
        {
            yield return $"{Section}:Basemap must be an absolute http(s) tile URL template with {{z}}, {{x}} and {{y}}; got '{Basemap}'.";
        }

        if (BasemapAttribution is not null && Basemap is null)
        {
            yield return $"{Section}:BasemapAttribution is set but {Section}:Basemap is not: there is no basemap to credit.";
        }
    }
}

/// <summary>
/// Serves the web UI at <c>/</c>: the built files of <c>web/dist</c> (Vite) with an SPA fallback to
/// <c>index.html</c> for one-segment paths (the UI routes in the URL's hash), long caching for content-hashed assets, the build's Brotli or
/// gzip copy of a file where the browser accepts one, and <c>/config.json</c> with the deployment's
/// UI settings. Without a built UI, the start page of <c>wwwroot</c> stands in.
/// </summary>
internal static class WebApp
{
    /// <summary>The route constraint that keeps the UI's top-level route off the API namespaces' own names.</summary>
    public const string PathConstraint = "webpad";

    /// <summary>The first path segments of the APIs: <c>/api</c> or <c>/sta</c> alone is the API's 404, never the UI's page.</summary>
    private static readonly string[] s_apiSegments = ["api", "ogc", "sta", "healthz"];

    /// <summary>
    /// Vite puts every bundled file under <c>assets/</c> with a hash of its content in the name, so a changed file
    /// gets a new URL: a year's caching (the most RFC 9111 practice allows for) and <c>immutable</c> are safe.
    /// </summary>
    private const string HashedAssetCaching = "public, max-age=31536000, immutable";

    /// <summary>Every other file (index.html above all) is checked with its validators each time, so a new build shows at once.</summary>
    private const string RevalidatedCaching = "no-cache";

    private static readonly FileExtensionContentTypeProvider s_contentTypes = ContentTypes();

    /// <summary>
    /// The folder of the built UI in the repository that <paramref name="start"/> lies in: the first
    /// <c>web/dist</c> with an <c>index.html</c> found walking up from it, or <c>null</c>.
    /// </summary>
    public static string? FindInRepository(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var dist = Path.Combine(directory.FullName, "web", "dist");
            if (File.Exists(Path.Combine(dist, "index.html")))
            {
                return dist;
            }
        }

        return null;
    }

    /// <summary>
    /// Registers the settings (validated at start-up), the route constraint and the UI's files: those of the
    /// configured root, else of <paramref name="defaultRoot"/> (what <c>serve</c> found in the repository), else
    /// the start page in <c>wwwroot</c>.
    /// </summary>
    public static void AddWebApp(this IServiceCollection services, string? defaultRoot)
    {
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidation>();
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<WebPathConstraint>(PathConstraint));
        services.AddSingleton(sp => new WebFiles(
            sp.GetRequiredService<IOptions<WebOptions>>().Value.Root ?? defaultRoot ?? Path.Combine(AppContext.BaseDirectory, "wwwroot")));
    }

    /// <summary>
    /// Maps <c>/config.json</c> and the UI's files, all open to everyone (the UI holds no data of its own): the page
    /// at <c>/</c>, the bundled files under <c>/assets/</c>, and top-level files or one-segment deep links
    /// (<c>/kaart</c>). No catch-all over every path: that would turn a POST to an unknown API path into a 405.
    /// </summary>
    public static void MapWebApp(this IEndpointRouteBuilder app)
    {
        app.MapGet("/config.json", (IOptions<WebOptions> options) => TypedResults.Ok(new WebConfig(options.Value.Basemap, options.Value.BasemapAttribution)))
            .WithAccessRule(AccessRule.PublicDocument);
        app.MapGet("/", (WebFiles web, HttpContext http) => Serve(web.Files, string.Empty, http)).WithAccessRule(AccessRule.PublicDocument);
        app.MapGet("/assets/{**bestand}", (string bestand, WebFiles web, HttpContext http) => Serve(web.Files, "assets/" + bestand, http))
            .WithAccessRule(AccessRule.PublicDocument);
        app.MapGet($"/{{bestand:{PathConstraint}}}", (string bestand, WebFiles web, HttpContext http) => Serve(web.Files, bestand, http))
            .WithAccessRule(AccessRule.PublicDocument);
    }

    /// <summary>
    /// The file at <paramref name="path"/>; <c>index.html</c> for the root and for any path without a file
    /// extension (the UI routes in its hash, but a deep link must still open it); else 404.
    /// </summary>
    private static Results<PhysicalFileHttpResult, ProblemHttpResult> Serve(PhysicalFileProvider files, string path, HttpContext http)
    {
        // The provider refuses what lies outside its root (.., absolute paths) and hidden files: those are not found.
        var file = path.Length == 0 ? null : files.GetFileInfo(path);
        var served = path;
        var extension = Path.GetExtension(path);
        if (file is not { Exists: true, IsDirectory: false, PhysicalPath: not null })
        {
            if (extension.Length > 0)
            {
                return ProblemType.NotFound.With($"The web UI has no file '/{path}'.");
            }

            served = "index.html";
            file = files.GetFileInfo(served);
            if (file is not { Exists: true, PhysicalPath: not null })
            {
                return ProblemType.NotFound.With("The web UI is not built: run ./tweeling serve from the repository, or build web/ with npm ci && npm run build.");
            }
        }

        http.Response.Headers.CacheControl = path.StartsWith("assets/", StringComparison.Ordinal) ? HashedAssetCaching : RevalidatedCaching;
        var contentType = s_contentTypes.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream";
        var sent = file;
        var codingSuffix = string.Empty;
        if (s_precompressed.Any(p => files.GetFileInfo(served + p.Suffix).Exists))
        {
            // A cache must keep one answer per Accept-Encoding (RFC 9110 §12.5.5), whichever this request gets.
            http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
            if (Precompressed(files, served, http.Request) is var (copy, coding))
            {
                sent = copy;
                codingSuffix = "-" + coding;
                http.Response.Headers.ContentEncoding = coding;
            }
        }

        // Each coding is its own representation with its own validator (RFC 9110 §8.8.3).
        var tag = new EntityTagHeaderValue($"\"{sent.LastModified.UtcTicks:x}-{sent.Length:x}{codingSuffix}\"");
        return TypedResults.PhysicalFile(sent.PhysicalPath!, contentType, lastModified: sent.LastModified, entityTag: tag);
    }

    /// <summary>
    /// The copies the build writes beside a text file (web/vite.config.ts, <c>precompress</c>), best first: Brotli, then
    /// gzip. Compressed once at build time, so no request costs the server compression work.
    /// </summary>
    private static readonly (string Coding, string Suffix)[] s_precompressed = [("br", ".br"), ("gzip", ".gz")];

    /// <summary>
    /// The built copy of the file at <paramref name="path"/> in the best coding the request accepts (RFC 9110 §12.5.3: a coding
    /// with q=0 is refused), with its coding; <c>null</c> when there is none, and then the file itself is sent.
    /// </summary>
    private static (IFileInfo File, string Coding)? Precompressed(PhysicalFileProvider files, string path, HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding
            .Where(c => c.Quality is not 0).Select(c => c.Value.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (coding, suffix) in s_precompressed)
        {
            if (accepted.Contains(coding) && files.GetFileInfo(path + suffix) is { Exists: true, IsDirectory: false, PhysicalPath: not null } copy)
            {
                return (copy, coding);
            }
        }

        return null;
    }

    private static FileExtensionContentTypeProvider ContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        // Vite writes ES modules (.mjs: MapLibre's worker); HTML and scripts are UTF-8.
        provider.Mappings[".mjs"] = "text/javascript; charset=utf-8";
        provider.Mappings[".js"] = "text/javascript; charset=utf-8";
        provider.Mappings[".html"] = "text/html; charset=utf-8";
        provider.Mappings[".webmanifest"] = "application/manifest+json";
        return provider;
    }

    /// <summary>Matches a path segment that is not the name of an API namespace (see <see cref="s_apiSegments"/>).</summary>
    private sealed class WebPathConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
        {
            var segment = values.TryGetValue(routeKey, out var value) ? value?.ToString() ?? string.Empty : string.Empty;
            return !s_apiSegments.Contains(segment, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>Reports each problem of the settings by name (the generic validation only says that one failed).</summary>
    private sealed class WebOptionsValidation : IValidateOptions<WebOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}

/// <summary>The UI's files; disposed with the host (the provider may watch the folder).</summary>
internal sealed class WebFiles(string root) : IDisposable
{
    public PhysicalFileProvider Files { get; } = new(Path.GetFullPath(root));

    public void Dispose() => Files.Dispose();
}

/// <summary>What <c>/config.json</c> tells the web UI.</summary>
/// <param name="Basemap">The configured basemap's tile URL template, or <c>null</c> for none.</param>
/// <param name="BasemapAttribution">The credit the basemap's licence asks for, or <c>null</c>.</param>
internal sealed record WebConfig(string? Basemap, string? BasemapAttribution);
