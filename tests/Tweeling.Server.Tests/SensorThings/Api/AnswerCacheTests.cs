using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Governance.Access;
using Tweeling.Server.Features.SensorThings;
using Tweeling.Server.Hosting;
using Tweeling.Server.Tests.Access;
using Tweeling.Storage.Sqlite;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary>
/// SensorThings GET answers are kept until the next commit to the store (<c>StaAnswerCache</c>): a kept answer is
/// only ever given to a caller with the same visibility, every commit — over HTTP or straight into the store file,
/// as another process would — is seen by the next read, an answer that depends on the clock is never kept, and an
/// unchanged answer is a 304 to a client that sends its entity tag back; a kept answer is sent gzipped, with a tag of its own, to a client that accepts gzip; an answer is kept only once its URL was asked
/// before; concurrent misses of one answer compute it once; and the catalog the access seam keeps is read again after a
/// commit. Each test has a server of its own.
/// </summary>
public sealed class AnswerCacheTests
{
    private const string ThingsWithDatastreams = "/sta/v1.1/Things?$expand=Datastreams";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_publiek_caller_never_gets_an_answer_kept_for_a_medewerker()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        var commits = server.Services.GetRequiredService<SqliteCommitCounter>();
        using var medewerker = await server.ClientAsAsync("medewerker");
        using var warmUp = await medewerker.GetAsync(ThingsWithDatastreams, Cancel);
        var before = commits.Current;

        using var forMedewerker = await medewerker.GetAsync(ThingsWithDatastreams, Cancel);
        using var again = await medewerker.GetAsync(ThingsWithDatastreams, Cancel);
        using var forPubliek = await server.Client.GetAsync(ThingsWithDatastreams, Cancel);
        var medewerkerBody = await forMedewerker.Content.ReadAsStringAsync(Cancel);
        var publiekBody = await forPubliek.Content.ReadAsStringAsync(Cancel);

        // Nothing committed in between, so all three requests were answered from one cache generation: the second
        // medewerker read was a kept answer, and the publiek read was not given it.
        Assert.Equal(before, commits.Current);
        Assert.Equal(forMedewerker.Headers.ETag, again.Headers.ETag);
        Assert.Equal(medewerkerBody, await again.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("Meetpunt Geheim", medewerkerBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, forPubliek.StatusCode);
        Assert.DoesNotContain("Geheim", publiekBody, StringComparison.Ordinal);
        Assert.Contains("Meetpunt Open", publiekBody, StringComparison.Ordinal);
        Assert.NotEqual(forMedewerker.Headers.ETag, forPubliek.Headers.ETag);

        // Nor the other way round: a publiek answer kept first is not what a medewerker is given.
        using var publiekFirst = await server.Client.GetAsync($"/sta/v1.1/Things({world.Internal.Thing})", Cancel);
        using var medewerkerAfter = await medewerker.GetAsync($"/sta/v1.1/Things({world.Internal.Thing})", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, publiekFirst.StatusCode);
        Assert.Equal(HttpStatusCode.OK, medewerkerAfter.StatusCode);
    }

    [Fact]
    public async Task An_observation_committed_over_http_or_into_the_store_file_is_in_the_next_read()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        var newest = $"/sta/v1.1/Datastreams({world.Open.Datastream})/Observations?$top=1";
        var datastream = $"/sta/v1.1/Datastreams({world.Open.Datastream})";
        Assert.Equal(11, Result(await server.GetJsonAsync(newest)));
        var span = (await server.GetJsonAsync(datastream)).GetProperty("phenomenonTime").GetString();

        using var posted = await server.Writer.PostAsync(
            datastream + "/Observations",
            new StringContent("""{"phenomenonTime": "2025-03-01T12:00:00.000Z", "result": 17}""", System.Text.Encoding.UTF8, "application/json"),
            Cancel);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(17, Result(await server.GetJsonAsync(newest)));
        Assert.NotEqual(span, (await server.GetJsonAsync(datastream)).GetProperty("phenomenonTime").GetString());

        // Another process appending to the same file: the server's own write path never sees it.
        await using (var other = await SqliteTwinStore.OpenAsync(server.Store.Path, Tweeling.Server.Hosting.TwinHost.GeometryServices, Cancel))
        {
            await other.Sensors.AppendAsync([new NewObservation(world.Open.Datastream, SensorTime.At(TwinServer.Now.AddMinutes(5)), 23)], Cancel);
        }

        Assert.Equal(23, Result(await server.GetJsonAsync(newest)));
        Assert.EndsWith("12:05:00.000Z", (await server.GetJsonAsync(datastream)).GetProperty("phenomenonTime").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_with_now_in_its_filter_follows_the_clock()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        await server.Store.Sensors.AppendAsync([new NewObservation(world.Open.Datastream, SensorTime.At(TwinServer.Now.AddMinutes(10)), 99)], Cancel);
        var future = $"/sta/v1.1/Datastreams({world.Open.Datastream})/Observations?$filter=phenomenonTime gt now()&$count=true";
        Assert.Equal(1, (await server.GetJsonAsync(future)).GetProperty("@iot.count").GetInt64());
        var commits = server.Services.GetRequiredService<SqliteCommitCounter>().Current;

        server.Time.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(0, (await server.GetJsonAsync(future)).GetProperty("@iot.count").GetInt64());
        Assert.Equal(commits, server.Services.GetRequiredService<SqliteCommitCounter>().Current);
    }

    [Fact]
    public async Task An_unchanged_answer_is_304_to_its_entity_tag_and_a_changed_one_is_200_with_a_new_tag()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        var path = $"/sta/v1.1/Datastreams({world.Open.Datastream})";
        using var first = await server.Client.GetAsync(path, Cancel);
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        Assert.False(tag.IsWeak);

        using var unchanged = await GetIfNoneMatchAsync(server, path, tag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(tag, unchanged.Headers.ETag);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync(Cancel));
        using var otherTag = await GetIfNoneMatchAsync(server, path, new EntityTagHeaderValue("\"0123\""));
        Assert.Equal(HttpStatusCode.OK, otherTag.StatusCode);

        await server.Store.Sensors.AppendAsync([new NewObservation(world.Open.Datastream, SensorTime.At(TwinServer.Now.AddMinutes(1)), 13)], Cancel);

        using var changed = await GetIfNoneMatchAsync(server, path, tag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(tag, changed.Headers.ETag);
        Assert.Contains("2025-03-01T12:01:00.000Z", await changed.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_of_a_datasets_classification_decides_the_next_request()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        var thing = $"/sta/v1.1/Things({world.Open.Thing})";
        var observations = $"/sta/v1.1/Datastreams({world.Open.Datastream})/Observations";
        using (var before = await server.Client.GetAsync(thing, Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Assert.Equal(2, (await server.GetJsonAsync(observations)).GetProperty("value").GetArrayLength());

        // As an import or the command line would: the catalog changes in the store file, not through the server.
        await ClassifyAsync(server, SensorAccessWorld.OpenDataset, Classification.Confidential);

        using (var after = await server.Client.GetAsync(thing, Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        }

        using (var hiddenObservations = await server.Client.GetAsync(observations, Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, hiddenObservations.StatusCode);
        }

        Assert.DoesNotContain("Meetpunt Open", await server.Client.GetStringAsync("/sta/v1.1/Things?$expand=Datastreams", Cancel), StringComparison.Ordinal);

        // And the other way: data made open is readable by publiek on the next request.
        await ClassifyAsync(server, SensorAccessWorld.InternalDataset, Classification.Open);
        Assert.Contains("Meetpunt Geheim", await server.Client.GetStringAsync("/sta/v1.1/Things?$expand=Datastreams", Cancel), StringComparison.Ordinal);
        var visibility = await server.Services.GetRequiredService<ReadAccess>().SensorVisibilityAsync(Caller.Anonymous, Cancel);
        Assert.Equal([SensorAccessWorld.InternalDataset], visibility.Datasets);
    }

    [Fact]
    public async Task An_answer_is_kept_from_the_second_time_its_url_is_asked_so_one_off_time_windows_take_no_room()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        var answers = server.Services.GetRequiredService<StaAnswerCache>();
        var commits = server.Services.GetRequiredService<SqliteCommitCounter>();
        var path = $"/sta/v1.1/Datastreams({world.Open.Datastream})/Observations";
        const string window = "?$filter=phenomenonTime%20ge%202025-02-28T00:00:00Z%20and%20phenomenonTime%20lt%202025-03-01T06:00:00Z";
        var key = await KeyAsync(server, path + window);
        var before = commits.Current;

        using var first = await server.Client.GetAsync(path + window, Cancel);
        var keptAfterFirst = answers.Current().TryGet(key, out _);
        using var second = await server.Client.GetAsync(path + window, Cancel);
        var keptAfterSecond = answers.Current().TryGet(key, out var kept);

        Assert.Equal(before, commits.Current);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.False(keptAfterFirst);
        Assert.True(keptAfterSecond);
        Assert.Equal(await second.Content.ReadAsByteArrayAsync(Cancel), kept!.Body.ToArray());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.True(answers.AskedBefore(key));
        Assert.False(answers.AskedBefore(key + "&$top=1"));
    }

    [Fact]
    public async Task Concurrent_misses_of_one_key_compute_the_answer_once_and_all_get_it()
    {
        var generation = new StaAnswerCache.Generation(1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var computed = 0;
        var answer = StaApi.Json(json => json.WriteStringValue("antwoord")).Tagged();
        async Task<StaJsonResult?> ComputeAsync()
        {
            Interlocked.Increment(ref computed);
            await release.Task;
            return answer;
        }

        var waiting = Enumerable.Range(0, 8).Select(_ => generation.GetOrComputeAsync("sleutel", ComputeAsync, Cancel)).ToList();
        Assert.All(waiting, task => Assert.False(task.IsCompleted));
        release.SetResult();
        var answers = await Task.WhenAll(waiting);

        Assert.Equal(1, computed);
        Assert.All(answers, a => Assert.Same(answer, a));
        Assert.Same(answer, await generation.GetOrComputeAsync("sleutel", ComputeAsync, Cancel));
        Assert.Equal(1, computed);
        Assert.True(generation.TryGet("sleutel", out _));
    }

    [Fact]
    public async Task Callers_waiting_for_an_answer_that_is_not_kept_or_that_failed_answer_on_their_own()
    {
        var generation = new StaAnswerCache.Generation(1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<StaJsonResult?> NotKeptAsync()
        {
            await release.Task;
            return null;
        }

        async Task<StaJsonResult?> FailingAsync()
        {
            await release.Task;
            throw new InvalidOperationException("store gone");
        }

        var first = generation.GetOrComputeAsync("probleem", NotKeptAsync, Cancel);
        var waiter = generation.GetOrComputeAsync("probleem", NotKeptAsync, Cancel);
        var failing = generation.GetOrComputeAsync("fout", FailingAsync, Cancel);
        var failingWaiter = generation.GetOrComputeAsync("fout", FailingAsync, Cancel);
        release.SetResult();

        Assert.Null(await first);
        Assert.Null(await waiter);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Null(await failingWaiter);
        Assert.False(generation.TryGet("probleem", out _));

        // Nothing is left computing: the next miss of the key computes again.
        var again = StaApi.Json(json => json.WriteStringValue("opnieuw")).Tagged();
        Assert.Same(again, await generation.GetOrComputeAsync("fout", () => Task.FromResult<StaJsonResult?>(again), Cancel));
    }

    [Fact]
    public async Task Concurrent_requests_of_one_url_after_a_commit_all_get_the_same_new_answer()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        var newest = $"/sta/v1.1/Datastreams({world.Open.Datastream})/Observations?$top=1";
        Assert.Equal(11, Result(await server.GetJsonAsync(newest)));
        await server.Store.Sensors.AppendAsync([new NewObservation(world.Open.Datastream, SensorTime.At(TwinServer.Now.AddMinutes(3)), 31)], Cancel);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => server.Client.GetAsync(newest, Cancel)));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync(Cancel)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.ETag!.Tag).Distinct());
        Assert.All(bodies, b => Assert.Equal(31, Result(JsonDocument.Parse(b).RootElement)));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_time_window_is_kept_across_commits_that_cannot_change_it_and_dropped_by_one_that_can()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        var answers = server.Services.GetRequiredService<StaAnswerCache>();
        var commits = server.Services.GetRequiredService<SqliteCommitCounter>();
        var window = $"/sta/v1.1/Datastreams({world.Open.Datastream})/Observations{ClosedWindow}";
        var datastream = $"/sta/v1.1/Datastreams({world.Open.Datastream})";
        var (windowKey, datastreamKey, expandKey) = (await KeyAsync(server, window), await KeyAsync(server, datastream), await KeyAsync(server, ThingsWithDatastreams));
        foreach (var path in (string[])[window, window, datastream, datastream, ThingsWithDatastreams, ThingsWithDatastreams])
        {
            using var asked = await server.Client.GetAsync(path, Cancel);
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        }

        using var windowBefore = await server.Client.GetAsync(window, Cancel);
        Assert.True(answers.Current().TryGet(windowKey, out _));
        Assert.True(answers.Current().TryGet(expandKey, out _));

        // Another Datastream, at a time inside the window: this Datastream's answers are not dropped; answers about all are.
        var before = commits.Current;
        await server.Store.Sensors.AppendAsync([new NewObservation(world.Internal.Datastream, SensorTime.At(TwinServer.Now.AddMinutes(-30)), 45)], Cancel);
        Assert.NotEqual(before, commits.Current);
        Assert.True(answers.Current().TryGet(windowKey, out _));
        Assert.True(answers.Current().TryGet(datastreamKey, out _));
        Assert.False(answers.Current().TryGet(expandKey, out _));

        // This Datastream, after the window's end: the window stays, the Datastream (its phenomenonTime grew) is read anew.
        await server.Store.Sensors.AppendAsync([new NewObservation(world.Open.Datastream, SensorTime.At(TwinServer.Now.AddMinutes(5)), 14)], Cancel);
        Assert.True(answers.Current().TryGet(windowKey, out var kept));
        Assert.False(answers.Current().TryGet(datastreamKey, out _));
        using var windowAfter = await server.Client.GetAsync(window, Cancel);
        Assert.Equal(windowBefore.Headers.ETag, windowAfter.Headers.ETag);
        Assert.Equal(await windowAfter.Content.ReadAsByteArrayAsync(Cancel), kept.Body.ToArray());
        Assert.EndsWith("12:05:00.000Z", (await server.GetJsonAsync(datastream)).GetProperty("phenomenonTime").GetString(), StringComparison.Ordinal);

        // A Thing's properties decide what a caller may see, so an entity write drops every answer.
        using var described = await server.Writer.PatchAsync(
            $"/sta/v1.1/Things({world.Open.Thing})", new StringContent("""{"description": "Anders beschreven"}""", System.Text.Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.OK, described.StatusCode);
        Assert.False(answers.Current().TryGet(windowKey, out _));
    }

    [Fact]
    public async Task A_late_observation_inside_a_closed_window_an_update_and_a_delete_are_each_in_the_next_read_of_the_window()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        var window = $"/sta/v1.1/Datastreams({world.Open.Datastream})/Observations{ClosedWindow}&$count=true";
        async Task<(long Count, string Results)> WindowTwiceAsync()
        {
            await server.GetJsonAsync(window);
            var page = await server.GetJsonAsync(window);
            return (page.GetProperty("@iot.count").GetInt64(), string.Join(' ', page.GetProperty("value").EnumerateArray().Select(o => o.GetProperty("result").GetDouble()).Order()));
        }

        Assert.Equal((2, "11 12"), await WindowTwiceAsync());

        // A late Observation, written by another process straight into the store file.
        long late;
        await using (var other = await SqliteTwinStore.OpenAsync(server.Store.Path, TwinHost.GeometryServices, Cancel))
        {
            late = (await other.Sensors.AppendAsync([new NewObservation(world.Open.Datastream, SensorTime.At(TwinServer.Now.AddMinutes(-30)), 17)], Cancel))[0];
        }

        Assert.Equal((3, "11 12 17"), await WindowTwiceAsync());

        using (var updated = await server.Writer.PatchAsync(
            $"/sta/v1.1/Observations({late})", new StringContent("""{"result": 19}""", System.Text.Encoding.UTF8, "application/json"), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }

        Assert.Equal((3, "11 12 19"), await WindowTwiceAsync());

        // An Observation moved from after the window into it: its new time is what counts.
        var moved = (await server.Store.Sensors.AppendAsync([new NewObservation(world.Open.Datastream, SensorTime.At(TwinServer.Now.AddHours(2)), 23)], Cancel))[0];
        Assert.Equal((3, "11 12 19"), await WindowTwiceAsync());
        using (var into = await server.Writer.PatchAsync(
            $"/sta/v1.1/Observations({moved})", new StringContent("""{"phenomenonTime": "2025-03-01T11:10:00.000Z"}""", System.Text.Encoding.UTF8, "application/json"), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, into.StatusCode);
        }

        Assert.Equal((4, "11 12 19 23"), await WindowTwiceAsync());

        using (var deleted = await server.Writer.DeleteAsync($"/sta/v1.1/Observations({late})", Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Equal((3, "11 12 23"), await WindowTwiceAsync());
    }

    [Theory]
    [InlineData("Datastreams(7)/Observations", "$filter=phenomenonTime ge 2025-03-01T11:00:00Z and phenomenonTime lt 2025-03-01T12:00:00Z", 7L, "2025-03-01T12:00:00Z")]
    [InlineData("Datastreams(7)/Observations", "$filter=result gt 3 and (phenomenonTime le 2025-03-01T10:00:00Z and phenomenonTime lt 2025-03-01T11:00:00Z)", 7L, "2025-03-01T10:00:00Z")]
    [InlineData("Datastreams(7)/Observations", "$filter=phenomenonTime gt 2025-03-01T11:00:00Z", 7L, null)]
    [InlineData("Datastreams(7)/Observations", "$filter=phenomenonTime lt 2025-03-01T11:00:00Z or result gt 3", 7L, null)]
    [InlineData("Datastreams(7)/Observations", "$filter=phenomenonTime lt 2025-03-01T11:00:00Z and Datastream/phenomenonTime ge 2025-03-01T11:00:00Z", 7L, null)]
    [InlineData("Datastreams(7)/Observations", "$top=100&$orderby=phenomenonTime desc", 7L, null)]
    [InlineData("Datastreams(7)", "", 7L, null)]
    [InlineData("Datastreams(7)", "$expand=Thing", null, null)]
    [InlineData("Datastreams(7)/Observations", "$filter=phenomenonTime lt 2025-03-01T11:00:00Z&$expand=FeatureOfInterest", null, null)]
    [InlineData("Things", "$expand=Datastreams", null, null)]
    [InlineData("Datastreams(7)/Thing", "", null, null)]
    public void An_answer_is_about_one_datastream_up_to_its_windows_end_only_when_nothing_else_can_be_in_it(string path, string query, long? datastream, string? until)
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = QueryString.Create(query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string?>(p[0], p[1])));

        var scope = AnswerScope.Of(path, request);

        Assert.Equal(datastream, scope.Datastream);
        Assert.Equal(until is null ? long.MaxValue : DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), scope.Until);
    }

    /// <summary>A window that ends before the Observations the tests add after it (TwinServer.Now is 12:00).</summary>
    private const string ClosedWindow = "?$filter=phenomenonTime%20ge%202025-03-01T11:00:00Z%20and%20phenomenonTime%20lt%202025-03-01T11:59:30Z";

    /// <summary>The cache key of a publiek GET of <paramref name="pathAndQuery"/> on <paramref name="server"/>.</summary>
    private static async Task<string> KeyAsync(TwinServer server, string pathAndQuery)
    {
        var visibility = await server.Services.GetRequiredService<ReadAccess>().SensorVisibilityAsync(Caller.Anonymous, Cancel);
        var request = new DefaultHttpContext().Request;
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        (request.Scheme, request.Host, request.Path) = ("http", new HostString(server.Client.BaseAddress!.Authority), query < 0 ? pathAndQuery : pathAndQuery[..query]);
        request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
        return StaAnswerCache.KeyOf(request, visibility)!;
    }

    private static async Task ClassifyAsync(TwinServer server, string datasetId, Classification classification)
    {
        var catalog = (ICatalog)server.Store;
        var dataset = (await catalog.FindAsync(datasetId, Cancel))!;
        await using var transaction = await server.Store.BeginAsync(Cancel);
        await transaction.PutDatasetAsync(dataset with { Classification = classification }, Cancel);
        await transaction.CommitAsync(Cancel);
    }

    [Fact]
    public void An_entity_tag_is_128_bits_of_the_body_and_any_one_changed_byte_changes_it()
    {
        // A time window's body as the server writes it: 360 Observations, about 16 KB (the size sta-read asks).
        var body = StaApi.Json(json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("value");
            for (var i = 0; i < 360; i++)
            {
                json.WriteStartObject();
                json.WriteNumber("@iot.id", 1_000_000 + i);
                json.WriteString("phenomenonTime", DateTimeOffset.UnixEpoch.AddMinutes(29_000_000 + i).ToString("O", CultureInfo.InvariantCulture));
                json.WriteNumber("result", 12.5 + (i % 7));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }).Body.ToArray();
        var tag = StaAnswerCache.ETagOf(body);

        Assert.Matches("^\"[0-9a-f]{32}\"$", tag);
        Assert.Equal(tag, StaAnswerCache.ETagOf(body.ToArray()));
        var tags = new HashSet<string>(StringComparer.Ordinal) { tag };
        for (var at = 0; at < body.Length; at += 97)
        {
            var changed = body.ToArray();
            changed[at] ^= 0x01;
            Assert.True(tags.Add(StaAnswerCache.ETagOf(changed)), $"flipping a bit of byte {at} left the tag of an earlier body");
        }

        // A longer or shorter body with the same start (a window with one Observation more or less) has a tag of its own.
        Assert.True(tags.Add(StaAnswerCache.ETagOf(body.AsSpan(0, body.Length - 1))));
        Assert.True(tags.Add(StaAnswerCache.ETagOf([.. body, (byte)' '])));
    }

    [Fact]
    public async Task A_kept_answer_is_sent_gzipped_with_a_tag_of_its_own_to_a_client_that_accepts_gzip_and_as_it_is_to_others()
    {
        await using var world = new SensorAccessWorld();
        await world.InitializeAsync();
        var server = world.Server;
        using var raw = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = server.Client.BaseAddress };
        const string path = "/sta/v1.1/Things?$expand=Datastreams($expand=Observations,Sensor,ObservedProperty),Locations";

        // Asked once: computed for this client and not kept, so sent as it is whatever the client accepts.
        using var once = await GetEncodedAsync(raw, path, "gzip");
        using var plain = await GetEncodedAsync(raw, path, null);
        using var zipped = await GetEncodedAsync(raw, path, "br, gzip;q=0.5, deflate");
        using var refused = await GetEncodedAsync(raw, path, "gzip;q=0, *");
        using var anyCoding = await GetEncodedAsync(raw, path, "*");

        var identity = await plain.Content.ReadAsByteArrayAsync(Cancel);
        Assert.True(identity.Length > 1500, $"the answer ({identity.Length} bytes) must be long enough to be compressed");
        Assert.Empty(once.Content.Headers.ContentEncoding);
        Assert.Equal(identity, await once.Content.ReadAsByteArrayAsync(Cancel));

        Assert.Equal(["gzip"], zipped.Content.Headers.ContentEncoding);
        Assert.Equal(["gzip"], anyCoding.Content.Headers.ContentEncoding);
        Assert.Empty(refused.Content.Headers.ContentEncoding);
        Assert.All([plain, zipped, refused], r => Assert.Equal(["Accept-Encoding"], r.Headers.Vary));
        var compressed = await zipped.Content.ReadAsByteArrayAsync(Cancel);
        Assert.True(compressed.Length < identity.Length / 2, $"gzip {compressed.Length} of {identity.Length} bytes");
        using (var unzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress))
        using (var unzipped = new MemoryStream())
        {
            await unzip.CopyToAsync(unzipped, Cancel);
            Assert.Equal(identity, unzipped.ToArray());
        }

        // Each representation has a strong tag of its own; If-None-Match is compared with the one that would be sent.
        var (identityTag, gzipTag) = (plain.Headers.ETag!, zipped.Headers.ETag!);
        Assert.False(gzipTag.IsWeak);
        Assert.NotEqual(identityTag, gzipTag);
        Assert.Equal(identityTag, refused.Headers.ETag);
        using var notModified = await GetEncodedAsync(raw, path, "gzip", gzipTag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(gzipTag, notModified.Headers.ETag);
        Assert.Equal(["Accept-Encoding"], notModified.Headers.Vary);
        using var otherRepresentation = await GetEncodedAsync(raw, path, null, gzipTag);
        Assert.Equal(HttpStatusCode.OK, otherRepresentation.StatusCode);
        Assert.Equal(identity, await otherRepresentation.Content.ReadAsByteArrayAsync(Cancel));
    }

    private static async Task<HttpResponseMessage> GetEncodedAsync(HttpClient client, string path, string? acceptEncoding, EntityTagHeaderValue? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }

        return await client.SendAsync(request, Cancel);
    }

    private static async Task<HttpResponseMessage> GetIfNoneMatchAsync(TwinServer server, string path, EntityTagHeaderValue tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(tag);
        return await server.Client.SendAsync(request, Cancel);
    }

    private static double Result(JsonElement page) => page.GetProperty("value")[0].GetProperty("result").GetDouble();
}
