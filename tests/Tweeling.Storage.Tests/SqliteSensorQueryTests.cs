using NetTopologySuite;
using NetTopologySuite.Geometries;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Domain.Sensors.Query;
using Tweeling.Storage.Sqlite;
using Tweeling.TestSupport;

namespace Tweeling.Storage.Tests;

/// <summary><see cref="ISensorStore.QueryAsync"/> on SQLite: the SQL plans of the hot path and the translation of filters.</summary>
public sealed class SqliteSensorQueryTests : IAsyncLifetime
{
    private static readonly NtsGeometryServices s_geometry = new(PrecisionModel.Floating.Value, Crs.Crs84Srid);
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private SqliteTwinStore _store = null!;
    private long _datastream;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteTwinStore.OpenAsync(_directory.File("twin.db"), s_geometry, Ct);
        var inserted = await _store.Sensors.CreateThingAsync(
            new ThingInsert(
                new Thing(0, "Kade", "quay wall"),
                [],
                [
                    new DatastreamInsert(
                        new Datastream(0, "Tilt", "tilt", new UnitOfMeasurement("degree", "°", "http://qudt.org/vocab/unit/DEG"), "OM_Measurement", 0, 0, 0),
                        Link<Sensor>.Create(new Sensor(0, "T1", "tiltmeter", "text/plain", "-")),
                        Link<ObservedProperty>.Create(new ObservedProperty(0, "Tilt", "urn:tilt", "tilt"))),
                ],
                s_t0),
            Ct);
        _datastream = inserted.DatastreamIds[0];
        await _store.Sensors.AppendAsync(
            [.. Enumerable.Range(0, 48).Select(h => new NewObservation(_datastream, SensorTime.At(s_t0.AddHours(h)), h))],
            Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("phenomenonTime desc")]
    [InlineData("phenomenonTime asc")]
    public async Task A_datastreams_observations_by_phenomenon_time_in_a_range_are_read_along_the_primary_key(string orderBy)
    {
        var query = Query(
            "phenomenonTime ge 2026-03-01T06:00:00Z and phenomenonTime lt 2026-03-01T12:00:00Z",
            orderBy,
            new SensorScope(SensorEntitySet.Datastreams, _datastream, "Observations"));

        var plan = string.Join(" | ", await _store.Sensors.QueryPlanAsync(query, Ct));
        var page = await _store.Sensors.QueryAsync(query, Ct);

        Assert.Contains("USING PRIMARY KEY (datastream_id=? AND phenomenon_start>? AND phenomenon_start<?)", plan.Replace(">=", ">", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
        var hours = page.Entities.Cast<Observation>().Select(o => (int)o.Result!.Value).ToList();
        Assert.Equal(orderBy.EndsWith("desc", StringComparison.Ordinal) ? [11, 10, 9, 8, 7, 6] : [6, 7, 8, 9, 10, 11], hours);
        Assert.Equal(6, page.Count);
    }

    [Theory]
    [InlineData(true, 6)]
    [InlineData(false, 0)]
    public async Task A_time_window_read_with_the_servers_visibility_condition_is_still_a_primary_key_range_decided_once(bool unlabelledVisible, int expected)
    {
        // As the server asks it: the access seam's visibility is part of every query; the Thing here names no dataset.
        var query = Query(
            "phenomenonTime ge 2026-03-01T06:00:00Z and phenomenonTime lt 2026-03-01T12:00:00Z",
            null,
            new SensorScope(SensorEntitySet.Datastreams, _datastream, "Observations")) with
        {
            OrderBy = [new OrderByItem(new PropertyPath("phenomenonTime"), SortDirection.Descending)],
            Visibility = new SensorVisibility(new HashSet<string>(StringComparer.Ordinal), unlabelledVisible),
        };

        var plan = await _store.Sensors.QueryPlanAsync(query, Ct);
        var page = await _store.Sensors.QueryAsync(query, Ct);

        // The Observations (alias e): a range of the primary key, newest first without a sort. The visibility: an
        // uncorrelated subquery (SQLite runs it once per statement, not per row) that finds the scope's Datastream and
        // its Thing by primary key; nothing is scanned but the small JSON list of readable datasets.
        var all = string.Join(" | ", plan);
        Assert.Equal("SEARCH e USING PRIMARY KEY (datastream_id=? AND phenomenon_start>? AND phenomenon_start<?)", plan[0].Replace(">=", ">", StringComparison.Ordinal));
        Assert.DoesNotContain("CORRELATED", all, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", all, StringComparison.Ordinal);
        Assert.Equal(2, plan.Count(line => line.StartsWith("SEARCH", StringComparison.Ordinal) && line.Contains("USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal)));
        Assert.All(plan.Where(line => line.StartsWith("SCAN", StringComparison.Ordinal)), line => Assert.Contains("json_each", line, StringComparison.Ordinal));
        Assert.Equal(expected, page.Entities.Count);
    }

    [Theory]
    [InlineData(SortDirection.Descending)]
    [InlineData(SortDirection.Ascending)]
    public async Task A_datastreams_observations_by_phenomenon_time_are_read_along_the_primary_key_without_a_sort(SortDirection direction)
    {
        var query = Query(null, null, new SensorScope(SensorEntitySet.Datastreams, _datastream, "Observations")) with
        {
            OrderBy = [new OrderByItem(new PropertyPath("phenomenonTime"), direction)],
            Top = 3,
            Skip = 1,
        };

        var plan = string.Join(" | ", await _store.Sensors.QueryPlanAsync(query, Ct));
        var page = await _store.Sensors.QueryAsync(query, Ct);

        Assert.Contains("USING PRIMARY KEY (datastream_id=?)", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        Assert.Equal(direction == SortDirection.Descending ? [46, 45, 44] : [1, 2, 3], page.Entities.Cast<Observation>().Select(o => (int)o.Result!.Value));
        Assert.Equal(48, page.Count);
    }

    [Fact]
    public async Task A_page_of_observations_of_both_kinds_merges_two_reads_along_the_id_indexes_without_a_sort()
    {
        // The MultiDatastream extension's Observations are in a table of their own; the set of all Observations is a
        // compound SELECT whose arms each read in id order, so its first page does not read and sort every row.
        var query = Query(null, null, null) with { Top = 5 };

        var plan = string.Join(" | ", await _store.Sensors.QueryPlanAsync(query, Ct));
        var page = await _store.Sensors.QueryAsync(query, Ct);

        Assert.Contains("MERGE (UNION ALL)", plan, StringComparison.Ordinal);
        Assert.Contains("INDEX sta_observations_by_id", plan, StringComparison.Ordinal);
        Assert.Contains("INDEX sta_multi_observations_by_id", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        Assert.Equal([0, 1, 2, 3, 4], page.Entities.Cast<Observation>().Select(o => (int)o.Result!.Value));
        Assert.Equal(48, page.Count);
    }

    [Fact]
    public async Task A_features_observations_are_found_through_the_feature_index_not_a_scan()
    {
        var (feature, _) = await ObservedFeatureAsync();
        var query = Query(null, null, new SensorScope(SensorEntitySet.FeaturesOfInterest, feature.Id, "Observations"));

        var plan = string.Join(" | ", await _store.Sensors.QueryPlanAsync(query, Ct));
        var page = await _store.Sensors.QueryAsync(query, Ct);

        Assert.Contains("USING INDEX sta_observations_by_feature_of_interest (feature_of_interest_id=?)", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
        Assert.Equal([100.0, 101.0], page.Entities.Cast<Observation>().Select(o => o.Result!.Value).Order());
    }

    [Fact]
    public async Task The_visibility_check_of_features_of_interest_looks_up_observations_and_locations_by_index()
    {
        var (feature, unobserved) = await ObservedFeatureAsync();
        var query = Query(null, null, null) with
        {
            Set = SensorEntitySet.FeaturesOfInterest,
            Visibility = new SensorVisibility(new HashSet<string>(StringComparer.Ordinal), Unlabelled: true),
        };

        var plan = string.Join(" | ", await _store.Sensors.QueryPlanAsync(query, Ct));
        var page = await _store.Sensors.QueryAsync(query, Ct);

        // Each feature row asks twice whether Observations name it (by a visible Datastream; at all) and twice whether a Location
        // derived it: every one of those correlated look-ups is an index SEARCH, never a scan of observations.
        Assert.Equal(2, Occurrences(plan, "USING COVERING INDEX sta_observations_by_feature_of_interest (feature_of_interest_id=?)"));
        Assert.Equal(2, Occurrences(plan, "USING COVERING INDEX sta_location_features_by_feature_of_interest (feature_of_interest_id=?)"));
        Assert.Equal([feature.Id, unobserved.Id], page.Entities.Select(e => e.Id).Order());
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    /// <summary>A FeatureOfInterest with two Observations of the test Datastream, and one that nothing observes.</summary>
    private async Task<(FeatureOfInterest Observed, FeatureOfInterest Unobserved)> ObservedFeatureAsync()
    {
        var observed = await _store.Sensors.CreateAsync(
            new FeatureOfInterest(0, "Kademuur", "quay wall section", "application/geo+json", s_geometry.CreateGeometryFactory().CreatePoint(new Coordinate(4.9, 52.37))), Ct);
        var unobserved = await _store.Sensors.CreateAsync(
            new FeatureOfInterest(0, "Brug", "bridge", "application/geo+json", s_geometry.CreateGeometryFactory().CreatePoint(new Coordinate(4.91, 52.37))), Ct);
        await _store.Sensors.AppendAsync(
            [
                new NewObservation(_datastream, SensorTime.At(s_t0.AddDays(3)), 100, FeatureOfInterestId: observed.Id),
                new NewObservation(_datastream, SensorTime.At(s_t0.AddDays(3).AddHours(1)), 101, FeatureOfInterestId: observed.Id),
            ],
            Ct);
        return (observed, unobserved);
    }

    [Fact]
    public async Task Filter_literals_are_parameters_not_sql_text()
    {
        var query = Query("result eq 1 or name eq 'x'' OR 1=1 --'".Replace("name", "Datastream/name", StringComparison.Ordinal), null, null);

        var page = await _store.Sensors.QueryAsync(query with { Set = SensorEntitySet.Observations }, Ct);

        Assert.Equal([1.0], page.Entities.Cast<Observation>().Select(o => o.Result!.Value));
    }

    [Theory]
    [InlineData("result mod 10 eq 3", new[] { 3, 13, 23, 33, 43 })]
    [InlineData("result div 2 eq 1.5", new[] { 3 })]
    [InlineData("floor(result div 10) eq 4 and ceiling(result div 10) eq 5", new[] { 41, 42, 43, 44, 45, 46, 47 })]
    [InlineData("round(result div 4) eq 1 and result lt 6", new[] { 2, 3, 4, 5 })]
    [InlineData("hour(phenomenonTime) eq 5", new[] { 5, 29 })]
    [InlineData("day(phenomenonTime) eq 2 and hour(phenomenonTime) lt 2", new[] { 24, 25 })]
    [InlineData("phenomenonTime add duration'PT2H' le 2026-03-01T03:00:00Z", new[] { 0, 1 })]
    [InlineData("phenomenonTime gt now() sub duration'PT2H'", new[] { 46, 47 })]
    public async Task Arithmetic_math_and_time_functions_select_exactly_the_expected_observations(string filter, int[] expected)
    {
        var page = await _store.Sensors.QueryAsync(Query(filter, "result", null) with { Set = SensorEntitySet.Observations, Now = s_t0.AddHours(47) }, Ct);

        Assert.Equal(expected, page.Entities.Cast<Observation>().Select(o => (int)o.Result!.Value));
    }

    [Theory]
    [InlineData("colour eq 'red'", "colour")]
    [InlineData("Datastream/colour eq 'red'", "colour")]
    [InlineData("result eq 'a' and phenomenonTime eq 3", "time")]
    [InlineData("length(result) gt phenomenonTime", "time")]
    [InlineData("geo.distance(phenomenonTime, geography'POINT(1 2)') lt 1", "geometry")]
    [InlineData("result add 1", "condition")]
    [InlineData("phenomenonTime eq duration'P1M'", "P1M")]
    [InlineData("st_relate(Datastream/observedArea, geography'POINT(1 2)', 'T*X')", "T*X")]
    public async Task An_unknown_property_or_a_type_error_is_a_query_exception_that_names_it(string filter, string named)
    {
        var error = await Assert.ThrowsAsync<SensorQueryException>(() => _store.Sensors.QueryAsync(Query(filter, null, null) with { Set = SensorEntitySet.Observations }, Ct));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SensorEntitySet.Things, "Datastreams", SensorEntitySet.Datastreams, "name desc", null, 1, 0)]
    [InlineData(SensorEntitySet.Things, "Datastreams", SensorEntitySet.Datastreams, "id", "startswith(name,'Level')", 2, 1)]
    [InlineData(SensorEntitySet.Datastreams, "Thing", SensorEntitySet.Things, null, null, 1, 0)]
    [InlineData(SensorEntitySet.Datastreams, "Observations", SensorEntitySet.Observations, "result desc", "result ge 1", 2, 1)]
    [InlineData(SensorEntitySet.Sensors, "Datastreams", SensorEntitySet.Datastreams, "id desc", null, 5, 0)]
    public async Task A_query_for_each_parent_pages_filters_and_counts_each_parent_as_its_own_query_would(
        SensorEntitySet parentSet, string navigation, SensorEntitySet set, string? orderBy, string? filter, int top, int skip)
    {
        // Three more Things, one of them in a dataset the caller may not read, with one to three Datastreams that share a Sensor.
        var sensor = (await _store.Sensors.QueryAsync(new SensorQuery(SensorEntitySet.Sensors, null, null, [], 1, 0, false, s_t0), Ct)).Entities[0].Id;
        foreach (var (name, dataset, streams) in new[] { ("Sluis", "open", 3), ("Brug", "geheim", 2), ("Gemaal", "open", 1) })
        {
            var properties = System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["dataset"] = dataset });
            var inserted = await _store.Sensors.CreateThingAsync(
                new ThingInsert(
                    new Thing(0, name, name, properties),
                    [],
                    [.. Enumerable.Range(0, streams).Select(i => new DatastreamInsert(
                        new Datastream(0, $"Level {name} {i}", "level", new UnitOfMeasurement("metre", "m", "urn:m"), "OM_Measurement", 0, 0, 0),
                        Link<Sensor>.To(sensor),
                        Link<ObservedProperty>.Create(new ObservedProperty(0, $"Level {i}", "urn:level", "level"))))],
                    s_t0),
                Ct);
            await _store.Sensors.AppendAsync(
                [.. inserted.DatastreamIds.SelectMany((d, i) => Enumerable.Range(0, 4).Select(h => new NewObservation(d, SensorTime.At(s_t0.AddHours(h)), (i * 10) + h)))], Ct);
        }

        var visibility = new SensorVisibility(new HashSet<string>(["open"], StringComparer.Ordinal), Unlabelled: true);
        var parents = (await _store.Sensors.QueryAsync(new SensorQuery(parentSet, null, null, [], 1000, 0, false, s_t0), Ct)).Entities.Select(e => e.Id).ToList();
        parents.Add(parents[0]);
        parents.Add(999_999);
        var query = Query(filter, orderBy, new SensorScope(parentSet, 0, navigation)) with { Set = set, Top = top, Skip = skip, Visibility = visibility };

        var each = await _store.Sensors.QueryEachAsync(query, parents, Ct);

        Assert.Equal(parents.Count, each.Count);
        for (var i = 0; i < parents.Count; i++)
        {
            var alone = await _store.Sensors.QueryAsync(query with { Scope = query.Scope! with { Id = parents[i] } }, Ct);
            Assert.Equal(alone.Entities.Select(e => e.Id), each[i].Entities.Select(e => e.Id));
            Assert.Equal(alone.Count, each[i].Count);
        }

        Assert.Contains(each, page => page.Entities.Count > 0);
    }

    private static SensorQuery Query(string? filter, string? orderBy, SensorScope? scope) =>
        new(
            SensorEntitySet.Observations,
            scope,
            filter is null ? null : QueryOptions.Parse([new("$filter", filter)]).Filter,
            orderBy is null ? [] : QueryOptions.Parse([new("$orderby", orderBy)]).OrderBy,
            100,
            0,
            true,
            s_t0);
}
