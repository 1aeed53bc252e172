using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tweeling.Server.Features.Platform;
using Tweeling.Server.Hosting;

namespace Tweeling.Server.Tests.Platform;

/// <summary>
/// The search index is built in the background at start (<see cref="SearchIndexWarmUp"/>), so the first search after a
/// start answers from it instead of reading and indexing the demo city's ~50,000 buildings inside the request (issue 5:
/// 24 s on the busy two-core machine). A server of its own: no other test may have searched before.
/// </summary>
public sealed class SearchWarmUpTests(DemoCityServer fixture) : IClassFixture<DemoCityServer>
{
    /// <summary>
    /// The bound on the first search once the index is built. That the search used the index built at start is shown by
    /// the index's entries being the same instance before and after it; the bound only backs that up with the visitor's
    /// view: a scan of ~50,000 short strings takes milliseconds idle, but the first request also compiles the endpoint's
    /// code, which took 3.1 s once at a load average of 40 (2026-12-03), against 24 s for a search that built the index.
    /// </summary>
    private static readonly TimeSpan s_firstSearchBound = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_index_is_built_at_start_without_a_search_and_the_first_search_answers_within_the_bound()
    {
        var server = fixture.Server;
        var index = server.Services.GetRequiredService<SearchIndex>();

        // Nothing has searched on this server: only the warm-up can build the index.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!await index.IsCurrentAsync(Ct) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        var builtAtStart = await index.IsCurrentAsync(Ct);
        Assert.True(builtAtStart, "The search index was not built within three minutes of the start.");
        var entriesBuiltAtStart = await index.EntriesAsync(Ct);
        // The start-up work after the index (the scenario baseline read) takes both cores for seconds; the bound is on a
        // search that has the machine to itself, as a visitor's has once the server has started.
        foreach (var warmUp in server.Services.GetServices<IHostedService>().OfType<StartupWarmUp>())
        {
            await warmUp.Finished.WaitAsync(TimeSpan.FromMinutes(3), Ct);
        }

        var watch = Stopwatch.StartNew();
        using var response = await server.Client.GetAsync("/api/v1/zoeken?q=" + Uri.EscapeDataString("straat"), Ct);
        var elapsed = watch.Elapsed;
        var hits = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().ToList();

        Assert.Same(entriesBuiltAtStart, await index.EntriesAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(hits, h => h.GetProperty("type").GetString() == "straat");
        Assert.True(elapsed < s_firstSearchBound, $"The first search took {elapsed.TotalMilliseconds:F0} ms; the bound is {s_firstSearchBound.TotalMilliseconds:F0} ms.");
        TestContext.Current.TestOutputHelper?.WriteLine($"First search after the warm-up: {elapsed.TotalMilliseconds:F0} ms");
    }
}
