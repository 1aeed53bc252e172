using Microsoft.Extensions.DependencyInjection;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.SensorThings.Api;

namespace Tweeling.Server.Tests.Hosting;

/// <summary>The start-up work answers the web map's first-view requests for the public before any visitor asks.</summary>
public sealed class FirstViewRequestsWarmUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task At_start_the_server_answers_each_request_of_the_maps_first_view_for_the_public_as_a_visitor_gets_it()
    {
        await using var server = await TwinServer.StartAsync(async store => await SensorSeed.WeatherStationAsync(store));
        var warmUp = server.Services.GetRequiredService<FirstViewRequestsWarmUp>();
        await warmUp.Finished.WaitAsync(TimeSpan.FromMinutes(2), Ct);

        // Every request was answered at its endpoint (a failure would have left no status at all) ...
        Assert.Equal(FirstViewRequestsWarmUp.Requests.Order(StringComparer.Ordinal), warmUp.Statuses.Keys.Order(StringComparer.Ordinal));
        Assert.All(warmUp.Statuses, s => Assert.Equal((s.Key, 200), (s.Key, s.Value)));
        // ... and a visitor who has not signed in gets the same status over HTTP, through the whole pipeline.
        foreach (var request in FirstViewRequestsWarmUp.Requests)
        {
            using var visitor = await server.Client.GetAsync(request, Ct);
            Assert.Equal((request, warmUp.Statuses[request]), (request, (int)visitor.StatusCode));
        }
    }
}
