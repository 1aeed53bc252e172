using Microsoft.Extensions.Time.Testing;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Audit;
using Tweeling.Server.Cli;

namespace Tweeling.Server.Tests.Hosting;

/// <summary>The running server keeps the demo sensors live as its clock moves on.</summary>
public sealed class DemoFeedServiceTests
{
    [Fact]
    public async Task New_readings_appear_as_time_passes()
    {
        await using var server = await TwinServer.StartAsync(store =>
            DemoCommand.SeedAsync(store, DemoCommand.DefaultOptions, historyDays: 1, new FakeTimeProvider(TwinServer.Now), CancellationToken.None));
        const string Newest = "/sta/v1.1/Datastreams(1)/Observations?$top=1";
        var before = DateTimeOffset.Parse((await server.GetJsonAsync(Newest)).GetProperty("value")[0].GetProperty("phenomenonTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(before < TwinServer.Now);

        server.Time.Advance(TimeSpan.FromHours(1));
        var after = before;

        // Up to a minute of polls: the feed catches up an hour of readings, which may take longer than 10 s on two cores shared at a load of 100.
        for (var attempt = 0; attempt < 600 && after < TwinServer.Now.AddMinutes(30); attempt++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            var newest = (await server.GetJsonAsync(Newest)).GetProperty("value")[0];
            after = DateTimeOffset.Parse(newest.GetProperty("phenomenonTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.True(after > TwinServer.Now.AddMinutes(30), $"the newest reading is still at {after:O}");
        Assert.True(after < TwinServer.Now.AddHours(1), "no reading lies in the future of the server's clock");

        // Every round's append is recorded, committed with it, as the feed's own process; the chain stays intact.
        var records = new List<AuditRecord>();
        await foreach (var record in server.Store.Audit.ReadAsync(new AuditFilter(Subject: "demo-sensorfeed"), TestContext.Current.CancellationToken))
        {
            records.Add(record);
        }

        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal(("beheerder", "create", "observations"), (r.Entry.Role, r.Entry.Action, r.Entry.ResultUnit)));
        Assert.All(records, r => Assert.Matches(@"^demo-sensorfeed -> \d+ Datastreams$", r.Entry.Resource));
        var fed = await server.Store.Sensors.ObservationsAsync(1, before.AddTicks(1), null, 10_000, 0, TimeOrder.OldestFirst, TestContext.Current.CancellationToken);
        Assert.True(records.Sum(r => r.Entry.ResultSize) >= fed.Count, $"{records.Sum(r => r.Entry.ResultSize)} recorded, {fed.Count} on Datastream 1 alone");
        var verification = await AuditVerifier.VerifyAsync(server.Store.Audit.ReadAsync(AuditFilter.All, TestContext.Current.CancellationToken), null, TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact, verification.Problem);
    }

    [Fact]
    public async Task Live_and_seeded_readings_are_about_the_feature_of_interest_derived_from_their_sensors_location()
    {
        await using var server = await TwinServer.StartAsync(store =>
            DemoCommand.SeedAsync(store, DemoCommand.DefaultOptions, historyDays: 1, new FakeTimeProvider(TwinServer.Now), CancellationToken.None));
        const string Newest = "/sta/v1.1/Datastreams(1)/Observations?$top=1";
        server.Time.Advance(TimeSpan.FromHours(1));
        var newest = (await server.GetJsonAsync(Newest)).GetProperty("value")[0];
        for (var attempt = 0; attempt < 600 && Time(newest) < TwinServer.Now.AddMinutes(30); attempt++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            newest = (await server.GetJsonAsync(Newest)).GetProperty("value")[0];
        }

        Assert.True(Time(newest) > TwinServer.Now.AddMinutes(30), "the feed appended no live reading");
        var location = (await server.GetJsonAsync("/sta/v1.1/Datastreams(1)/Thing/Locations")).GetProperty("value")[0];
        var live = await server.GetJsonAsync($"/sta/v1.1/Observations({newest.GetProperty("@iot.id").GetInt64()})/FeatureOfInterest");
        Assert.Equal(location.GetProperty("name").GetString(), live.GetProperty("name").GetString());
        Assert.Equal(location.GetProperty("location").GetRawText(), live.GetProperty("feature").GetRawText());

        // The history written by the seed shares it: one feature per sensor location, not one per reading.
        var oldest = (await server.GetJsonAsync("/sta/v1.1/Datastreams(1)/Observations?$top=1&$orderby=phenomenonTime asc")).GetProperty("value")[0];
        var seeded = await server.GetJsonAsync($"/sta/v1.1/Observations({oldest.GetProperty("@iot.id").GetInt64()})/FeatureOfInterest");
        Assert.Equal(live.GetProperty("@iot.id").GetInt64(), seeded.GetProperty("@iot.id").GetInt64());
    }

    [Fact]
    public async Task A_feed_disabled_in_the_algorithm_register_adds_nothing()
    {
        await using var server = await TwinServer.StartAsync(async store =>
        {
            await DemoCommand.SeedAsync(store, DemoCommand.DefaultOptions, historyDays: 1, new FakeTimeProvider(TwinServer.Now), CancellationToken.None);
            await store.Reviews.SetActivationAsync(new Domain.Reviews.AlgorithmActivation("demo-sensorfeed", false, TwinServer.Now, "beheer-01"), CancellationToken.None);
        });
        const string Newest = "/sta/v1.1/Datastreams(1)/Observations?$top=1";
        var before = (await server.GetJsonAsync(Newest)).GetProperty("value")[0].GetProperty("phenomenonTime").GetString();

        server.Time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        var after = (await server.GetJsonAsync(Newest)).GetProperty("value")[0].GetProperty("phenomenonTime").GetString();

        Assert.Equal(before, after);
    }

    private static DateTimeOffset Time(System.Text.Json.JsonElement observation) =>
        DateTimeOffset.Parse(observation.GetProperty("phenomenonTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
