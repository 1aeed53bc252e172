using System.Net;

namespace Tweeling.Server.Tests.SensorThings.Api;

/// <summary><c>$filter</c>, <c>$orderby</c>, <c>$count</c> and paging over HTTP, on the ids <see cref="QueryServer"/> seeds.</summary>
public sealed class FilterTests(QueryServer fixture) : IClassFixture<QueryServer>
{
    private const string Polygon = "geography'POLYGON((5 52, 5.2 52, 5.2 52.2, 5 52.2, 5 52))'";

    [Theory]
    [InlineData("Things?$filter=name eq 'Station Dam'", new long[] { 1 })]
    [InlineData("Things?$filter=name ne 'Station Dam'", new long[] { 2, 3 })]
    [InlineData("Observations?$filter=result gt 13 and result le 21", new long[] { 5, 6, 7, 8 })]
    [InlineData("Observations?$filter=result lt 11 or result ge 22", new long[] { 1, 9 })]
    [InlineData("Observations?$filter=not (result lt 21)", new long[] { 8, 9, 10, 11, 12 })]
    [InlineData("Things?$filter=(name eq 'Kade' or name eq 'Station Dam') and not (name eq 'Kade')", new long[] { 1 })]
    [InlineData("Things?$filter=properties/owner eq null", new long[] { 3 })]
    [InlineData("Things?$filter=properties/owner ne null", new long[] { 1, 2 })]
    public async Task Comparison_and_logical_operators_select_exactly_the_expected_ids(string path, long[] expected) =>
        Assert.Equal(expected, await fixture.IdsAsync("/sta/v1.1/" + path));

    [Theory]
    [InlineData("result add 5 eq 20", new long[] { 6 })]
    [InlineData("result sub 1 eq 9", new long[] { 1 })]
    [InlineData("result mul 2 eq 24", new long[] { 3 })]
    [InlineData("result div 4 eq 2.75", new long[] { 2 })]
    [InlineData("result mod 10 eq 2", new long[] { 3, 9 })]
    [InlineData("-result eq -10", new long[] { 1 })]
    [InlineData("round(result div 4) eq 3", new long[] { 1, 2, 3, 4 })]
    [InlineData("floor(result div 10) eq 2", new long[] { 7, 8, 9 })]
    [InlineData("ceiling(result div 10) eq 2", new long[] { 2, 3, 4, 5, 6, 7 })]
    public async Task Arithmetic_and_math_functions_select_exactly_the_expected_observations(string filter, long[] expected) =>
        Assert.Equal(expected, await fixture.IdsAsync("/sta/v1.1/Observations?$filter=" + Uri.EscapeDataString(filter)));

    [Theory]
    [InlineData("startswith(name,'Station')", new long[] { 1, 2 })]
    [InlineData("endswith(name,'plein')", new long[] { 2 })]
    [InlineData("substringof('Dam',name)", new long[] { 1 })]
    [InlineData("length(name) eq 4", new long[] { 3 })]
    [InlineData("indexof(name,'Dom') eq 8", new long[] { 2 })]
    [InlineData("substring(name,8) eq 'Dam'", new long[] { 1 })]
    [InlineData("substring(name,0,4) eq 'Kade'", new long[] { 3 })]
    [InlineData("tolower(name) eq 'kade'", new long[] { 3 })]
    [InlineData("toupper(name) eq 'STATION DAM'", new long[] { 1 })]
    [InlineData("trim(concat(' ',name)) eq 'Kade'", new long[] { 3 })]
    [InlineData("concat(name,'!') eq 'Kade!'", new long[] { 3 })]
    [InlineData("properties/owner eq 'gemeente'", new long[] { 1 })]
    [InlineData("properties/height gt 20", new long[] { 2 })]
    public async Task String_functions_and_json_members_select_exactly_the_expected_things(string filter, long[] expected) =>
        Assert.Equal(expected, await fixture.IdsAsync("/sta/v1.1/Things?$filter=" + Uri.EscapeDataString(filter)));

    [Theory]
    [InlineData("year(phenomenonTime) eq 2025 and month(phenomenonTime) eq 3 and day(phenomenonTime) eq 1 and hour(phenomenonTime) eq 2", new long[] { 3, 9, 12 })]
    [InlineData("minute(phenomenonTime) eq 0 and second(phenomenonTime) eq 0 and fractionalseconds(phenomenonTime) eq 0 and hour(phenomenonTime) eq 5", new long[] { 6 })]
    [InlineData("date(phenomenonTime) eq 2025-03-01 and hour(phenomenonTime) eq 1", new long[] { 2, 8, 11 })]
    [InlineData("time(phenomenonTime) eq '01:00:00.000'", new long[] { 2, 8, 11 })]
    [InlineData("totaloffsetminutes(phenomenonTime) eq 0 and result eq 10", new long[] { 1 })]
    [InlineData("phenomenonTime gt now()", new long[] { })]
    [InlineData("phenomenonTime gt mindatetime() and phenomenonTime lt maxdatetime() and result eq 'fault'", new long[] { 11 })]
    [InlineData("phenomenonTime gt 2025-03-01T03:00:00Z", new long[] { 5, 6 })]
    [InlineData("phenomenonTime ge 2025-03-01T04:00:00Z", new long[] { 5, 6 })]
    [InlineData("phenomenonTime lt 2025-03-01T03:00:00Z", new long[] { 1, 2, 3, 7, 8, 9, 10, 11 })]
    [InlineData("phenomenonTime le 2025-03-01T04:00:00Z", new long[] { 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12 })]
    [InlineData("phenomenonTime eq 2025-03-01T02:00:00Z/2025-03-01T04:00:00Z", new long[] { 12 })]
    [InlineData("phenomenonTime eq 2025-03-01T02:00:00Z", new long[] { 3, 9 })]
    [InlineData("phenomenonTime sub duration'PT1H' eq 2025-03-01T04:00:00Z", new long[] { 6 })]
    [InlineData("result eq 'fault'", new long[] { 11 })]
    [InlineData("parameters/battery lt 87", new long[] { 5, 6 })]
    public async Task Date_functions_and_time_semantics_select_exactly_the_expected_observations(string filter, long[] expected) =>
        Assert.Equal(expected, await fixture.IdsAsync("/sta/v1.1/Observations?$orderby=id&$filter=" + Uri.EscapeDataString(filter)));

    [Theory]
    [InlineData("Observations?$filter=Datastream/name eq 'Temperature Domplein'", new long[] { 7, 8, 9 })]
    [InlineData("Observations?$filter=Datastream/ObservedProperty/name eq 'Status'", new long[] { 10, 11, 12 })]
    [InlineData("Observations?$filter=FeatureOfInterest/name eq 'Domplein square'", new long[] { 7, 8, 9 })]
    [InlineData("Datastreams?$filter=Thing/Locations/name eq 'Domplein'", new long[] { 3 })]
    [InlineData("Things?$filter=not (Datastreams/name eq 'Status Dam')", new long[] { 2, 3 })]
    [InlineData("Things?$filter=Datastreams/name eq 'Status Dam' and Datastreams/name eq 'Temperature Dam'", new long[] { 1 })]
    [InlineData("Things?$filter=Datastreams/name eq Locations/name", new long[] { })]
    [InlineData("Locations?$filter=Things/Datastreams/Observations/result eq 'fault'", new long[] { 1 })]
    [InlineData("Datastreams?$filter=unitOfMeasurement/name eq 'degree Celsius'", new long[] { 1, 3 })]
    [InlineData("Things?$filter=Datastreams/Observations/result gt 21", new long[] { 2 })]
    [InlineData("Things?$filter=Datastreams/name eq 'Status Dam'", new long[] { 1 })]
    [InlineData("Things?$filter=Locations/name eq 'Dam' and Datastreams/name eq 'Temperature Dam'", new long[] { 1 })]
    [InlineData("Locations?$filter=Things/name eq 'Kade'", new long[] { 1 })]
    [InlineData("Sensors?$filter=Datastreams/Thing/name eq 'Station Domplein'", new long[] { 1 })]
    [InlineData("HistoricalLocations?$filter=Thing/name eq 'Kade'", new long[] { 3 })]
    [InlineData("HistoricalLocations?$filter=Locations/name eq 'Dam'", new long[] { 1, 3 })]
    [InlineData("FeaturesOfInterest?$filter=Observations/result eq 'fault'", new long[] { 1 })]
    public async Task Navigation_paths_in_a_filter_select_exactly_the_expected_ids(string path, long[] expected) =>
        Assert.Equal(expected, await fixture.IdsAsync("/sta/v1.1/" + path));

    [Theory]
    [InlineData("Locations?$filter=geo.distance(location, geography'POINT(4.9 52.37)') lt 0.1", new long[] { 1 })]
    [InlineData("Locations?$filter=round(geo.distance(location, geography'POINT(5.12 52.37)') mul 100) eq 28", new long[] { 2 })]
    [InlineData("Locations?$filter=geo.length(geography'LINESTRING(0 0, 3 4)') eq 5", new long[] { 1, 2 })]
    [InlineData("Locations?$filter=geo.intersects(location, " + Polygon + ")", new long[] { 2 })]
    [InlineData("Locations?$filter=st_within(location, " + Polygon + ")", new long[] { 2 })]
    [InlineData("Locations?$filter=st_contains(" + Polygon + ", location)", new long[] { 2 })]
    [InlineData("Locations?$filter=st_intersects(location, " + Polygon + ")", new long[] { 2 })]
    [InlineData("Locations?$filter=st_disjoint(location, " + Polygon + ")", new long[] { 1 })]
    [InlineData("Locations?$filter=st_equals(location, geography'POINT(4.9 52.37)')", new long[] { 1 })]
    [InlineData("Locations?$filter=st_touches(location, geography'LINESTRING(4.9 52.37, 5 52.5)')", new long[] { 1 })]
    [InlineData("Locations?$filter=st_overlaps(geography'POLYGON((0 0,2 0,2 2,0 2,0 0))', geography'POLYGON((1 1,3 1,3 3,1 3,1 1))')", new long[] { 1, 2 })]
    [InlineData("Locations?$filter=st_crosses(geography'LINESTRING(4 52, 6 53)', geography'LINESTRING(4 53, 6 52)')", new long[] { 1, 2 })]
    [InlineData("Locations?$filter=st_relate(location, " + Polygon + ", 'T********')", new long[] { 2 })]
    [InlineData("FeaturesOfInterest?$filter=st_within(feature, " + Polygon + ")", new long[] { 2 })]
    [InlineData("Things?$filter=st_within(Locations/location, " + Polygon + ")", new long[] { 2 })]
    public async Task Geo_functions_on_known_coordinates_select_exactly_the_expected_ids(string path, long[] expected) =>
        Assert.Equal(expected, await fixture.IdsAsync("/sta/v1.1/" + path));

    [Theory]
    [InlineData("Things?$orderby=properties/height desc", new long[] { 2, 1, 3 })]
    [InlineData("Things?$orderby=length(name),name desc", new long[] { 3, 1, 2 })]
    [InlineData("Observations?$filter=result ge 14&$orderby=Datastream/name asc,result desc", new long[] { 6, 5, 9, 8, 7 })]
    [InlineData("Observations?$filter=result ge 21 or result le 10&$orderby=phenomenonTime,result desc", new long[] { 1, 8, 9 })]
    public async Task Orderby_sorts_on_every_key_then_id(string path, long[] expected) =>
        Assert.Equal(expected, await fixture.IdsAsync("/sta/v1.1/" + path));

    [Fact]
    public async Task Paging_through_next_links_keeps_the_filter_order_and_count()
    {
        var seen = new List<long>();
        string? next = "/sta/v1.1/Observations?$filter=" + Uri.EscapeDataString("result ge 11 and result le 21") + "&$orderby=result desc&$top=3&$count=true";
        while (next is not null)
        {
            var page = await fixture.Server.GetJsonAsync(next);
            Assert.Equal(7, page.GetProperty("@iot.count").GetInt64());
            seen.AddRange(page.GetProperty("value").EnumerateArray().Select(o => o.GetProperty("@iot.id").GetInt64()));
            next = page.TryGetProperty("@iot.nextLink", out var link) ? link.GetString() : null;
        }

        Assert.Equal([8, 7, 6, 5, 4, 3, 2], seen);
    }

    [Fact]
    public async Task Count_counts_what_the_filter_selects_not_the_page()
    {
        var page = await fixture.Server.GetJsonAsync("/sta/v1.1/Things?$filter=startswith(name,'Station')&$count=true&$top=1");

        Assert.Equal(2, page.GetProperty("@iot.count").GetInt64());
        Assert.Single(page.GetProperty("value").EnumerateArray());
        Assert.True(page.TryGetProperty("@iot.nextLink", out _));
    }

    [Theory]
    [InlineData("Things?$filter=colour eq 'red'", "colour")]
    [InlineData("Things?$filter=name gt 3", "name gt 3")]
    [InlineData("Things?$filter=name", "not a condition")]
    [InlineData("Observations?$filter=Datastream/colour eq 1", "colour")]
    [InlineData("Observations?$filter=Datastream eq 1", "Datastream")]
    [InlineData("Things?$orderby=Datastreams/name", "to-many")]
    [InlineData("Things?$filter=Datastreams eq 1", "Datastreams")]
    [InlineData("Things?$filter=Datastreams/Observations eq 1", "Observations")]
    [InlineData("Things?$filter=geo.intersects(location, geography'POINT(1 2)')", "location")]
    [InlineData("Locations?$filter=geo.distance(name, geography'POINT(1 2)') lt 1", "geometry")]
    [InlineData("Locations?$filter=st_within(location, geography'POLYGON((0 0, 1 1')", "geography")]
    [InlineData("Observations?$filter=phenomenonTime add duration'P1M' gt now()", "P1M")]
    [InlineData("Things(1)/Datastreams?$filter=unitOfMeasurement/colour eq 'x'", "unitOfMeasurement")]
    [InlineData("Things?$expand=Colours", "Colours")]
    [InlineData("Things?$expand=Datastreams($select=colour)", "colour")]
    [InlineData("Things?$expand=Datastreams($filter=colour eq 1)", "colour")]
    [InlineData("Things?$resultFormat=dataArray", "dataArray")]
    [InlineData("Observations?$resultFormat=dataArray&$select=name", "name")]
    [InlineData("Observations?$select=name", "name")]
    public async Task An_unknown_property_or_a_type_error_is_a_400_problem_that_names_it(string path, string named)
    {
        var detail = await Problems.AssertProblemAsync(fixture.Server.Client, "/sta/v1.1/" + path, 400);

        Assert.Contains(named, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("st_within(location, geography'POINT(1)')")]
    [InlineData("st_within(location, geography'POINT(a b)')")]
    [InlineData("st_within(location, geography'POLYGON((0 0, 1 1, 0 0))')")]
    [InlineData("st_within(location, geography'LINESTRING(1 1)')")]
    [InlineData("st_within(location, geography'FOO(1 2)')")]
    [InlineData("st_overlaps(geography'POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))', location)")]
    [InlineData("st_within(location, geography'')")]
    public async Task Malformed_or_invalid_geography_is_a_400_problem(string filter) =>
        await Problems.AssertProblemAsync(fixture.Server.Client, "/sta/v1.1/Locations?$filter=" + Uri.EscapeDataString(filter), 400);

    /// <summary>Every property of every set against literals of every type and in an order: 200 or 400, never a server error.</summary>
    [Fact]
    public async Task No_filter_or_order_on_any_property_answers_a_server_error()
    {
        string[] literals = ["1", "1.5", "'x'", "true", "null", "2025-03-01T00:00:00Z", "2025-03-01T00:00:00Z/2025-03-02T00:00:00Z", "geography'POINT(1 2)'", "duration'PT1H'"];
        string[] sets = ["Things", "Locations", "HistoricalLocations", "Datastreams", "Sensors", "ObservedProperties", "Observations", "FeaturesOfInterest", "MultiDatastreams"];
        string[] properties =
        [
            "id", "name", "description", "properties", "properties/owner", "encodingType", "location", "time", "unitOfMeasurement", "unitOfMeasurement/name",
            "observationType", "observedArea", "phenomenonTime", "resultTime", "metadata", "definition", "result", "resultQuality", "validTime", "parameters",
            "parameters/battery", "feature", "Thing/name", "Datastream/phenomenonTime", "Datastream", "Datastreams", "Locations/location",
            "Datastreams/Observations", "Things/Datastreams/Observations/result",
            "unitOfMeasurements", "multiObservationDataTypes", "MultiDatastream/name", "MultiDatastreams/Observations/result",
        ];
        var answered = new List<string>();
        foreach (var set in sets)
        {
            foreach (var property in properties)
            {
                var paths = literals.SelectMany(l => new[] { $"{property} eq {l}", $"{property} lt {l}", $"{property} add {l} gt 1", $"length({property}) gt {l}" })
                    .Select(f => $"/sta/v1.1/{set}?$filter={Uri.EscapeDataString(f)}")
                    .Append($"/sta/v1.1/{set}?$orderby={Uri.EscapeDataString(property)} desc")
                    .Append($"/sta/v1.1/{set}?$filter={Uri.EscapeDataString($"year({property}) eq 2025 or st_within({property}, geography'POINT(1 2)')")}");
                foreach (var path in paths)
                {
                    var status = await fixture.StatusAsync(path);
                    Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{path} answered {(int)status}");
                    answered.Add(path);
                }
            }
        }

        Assert.Equal(sets.Length * properties.Length * ((literals.Length * 4) + 2), answered.Count);
    }
}
