using System.Diagnostics;
using Microsoft.AspNetCore.Routing;
using Tweeling.Governance.Access;
using Tweeling.Server.Features.Platform;
using Tweeling.Server.Hosting;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Server.Tests.Platform;

public sealed class OpenApiDocumentTests
{
    private static readonly ApiOptions s_contact = new() { ContactName = "Gemeente Test", ContactEmail = "api@gemeente.example", ContactUrl = "https://gemeente.example/api" };

    [Fact]
    public async Task Every_mapped_platform_endpoint_is_described_and_nothing_else()
    {
        using var directory = new TempDirectory();
        await using var store = await SqliteTwinStore.OpenAsync(directory.File("twin.db"), TwinHost.GeometryServices, TestContext.Current.CancellationToken);
        await using var app = TwinHost.Build(store, "http://127.0.0.1:0", TimeProvider.System);

        var mapped = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith(PlatformApi.Prefix + "/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (m, e.RoutePattern.RawText![PlatformApi.Prefix.Length..])))
            .Order().ToList();

        Assert.NotEmpty(mapped);
        Assert.Equal(mapped, PlatformOpenApi.Operations(s_contact).Order().ToList());
    }

    /// <summary>
    /// Every operation documents, as problem+json, the errors every request can meet before its handler — 400 (a purpose
    /// header that is too long), 401 (credentials that do not sign in), 429 (rate limits, with Retry-After), 500 — and
    /// those its endpoint adds: 403 where its access rule refuses signed-in roles or it is a write (cross-origin
    /// writes are refused), 413 where it reads a request body.
    /// </summary>
    [Fact]
    public async Task Every_operation_documents_the_error_responses_its_endpoint_can_give()
    {
        using var directory = new TempDirectory();
        await using var store = await SqliteTwinStore.OpenAsync(directory.File("twin.db"), TwinHost.GeometryServices, TestContext.Current.CancellationToken);
        await using var app = TwinHost.Build(store, "http://127.0.0.1:0", TimeProvider.System);
        var paths = PlatformOpenApi.Document(s_contact)["paths"]!;

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith(PlatformApi.Prefix + "/", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var rule = endpoint.Metadata.GetMetadata<AccessRule>()!;
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                var write = method is "POST" or "PUT" or "PATCH" or "DELETE";
                var expected = new List<string> { "400", "401", "429", "500" };
                if (write || rule.Kind is AccessKind.RoleOnly or AccessKind.Write)
                {
                    expected.Add("403");
                }

                if (method is "POST" or "PUT" or "PATCH")
                {
                    expected.Add("413");
                }

                var responses = paths[endpoint.RoutePattern.RawText![PlatformApi.Prefix.Length..]]![method.ToLowerInvariant()]!["responses"]!.AsObject();
                foreach (var status in expected)
                {
                    var where = $"{method} {endpoint.RoutePattern.RawText} {status}";
                    Assert.True(responses.ContainsKey(status), $"{where} is not documented");
                    Assert.NotNull(responses[status]!["content"]?["application/problem+json"]);
                }

                Assert.NotNull(responses["429"]!["headers"]?["Retry-After"]);
            }
        }
    }

    /// <summary>The official NL API Design Rules ruleset (shared/tools/adr/spectral.yml) with spectral from .tools/ (npm ci by the test command).</summary>
    [Fact]
    public async Task The_openapi_document_passes_the_nl_api_design_rules_linter()
    {
        var root = Repository.Root;
        var spectral = Path.Combine(root, ".tools", "node_modules", ".bin", "spectral");
        var ruleset = Path.GetFullPath(Path.Combine(root, "..", "shared", "tools", "adr", "spectral.yml"));
        Assert.True(File.Exists(spectral), $"spectral is missing at {spectral}: run the README's test command, which installs it (npm ci in .tools/).");
        Assert.True(File.Exists(ruleset), $"The ADR ruleset is missing at {ruleset}; it comes with shared/ beside the repository.");
        using var directory = new TempDirectory();
        var document = directory.File("openapi.json");
        await File.WriteAllTextAsync(document, PlatformOpenApi.Document(s_contact).ToJsonString(), TestContext.Current.CancellationToken);

        var start = new ProcessStartInfo(spectral) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "lint", "-r", ruleset, "--fail-severity", "error", document })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0, $"spectral found errors:\n{output}\n{error}");
    }

}
