using Tweeling.Domain.Sensors.Query;

namespace Tweeling.Domain.Tests.Sensors.Query;

/// <summary>The STA 1.1 query options: values, nesting in <c>$expand</c>, and 400 versus 501.</summary>
public sealed class QueryOptionsTests
{
    private const string NestedExpand =
        "Observations($filter=result eq 1;$select=result;$top=3;$orderby=phenomenonTime desc;$expand=FeatureOfInterest)";

    private static QueryOptions Parse(params (string Name, string Value)[] parameters) =>
        QueryOptions.Parse(parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));

    private static QueryOptionException Rejected(params (string Name, string Value)[] parameters) =>
        Assert.Throws<QueryOptionException>(() => Parse(parameters));

    [Fact]
    public void Every_option_is_parsed_into_its_property()
    {
        var options = Parse(
            ("$filter", "result gt 20"),
            ("$orderby", "phenomenonTime desc, length(name), id asc"),
            ("$select", "id,name,Datastream,properties/owner"),
            ("$expand", "Datastreams/ObservedProperty,Locations"),
            ("$top", "3"),
            ("$skip", "0"),
            ("$count", "true"),
            ("$resultFormat", "dataArray"),
            ("f", "ignored: not a $-option"));

        Assert.Equal("(gt result 20)", options.Filter?.ToString());
        Assert.Equal(
            ["phenomenonTime Descending", "(length name) Ascending", "id Ascending"],
            options.OrderBy.Select(o => $"{o.Expression} {o.Direction}"));
        Assert.Equal(["id", "name", "Datastream", "properties/owner"], options.Select);
        Assert.Equal(["Datastreams/ObservedProperty", "Locations"], options.Expand.Select(e => e.Path));
        Assert.Equal(["Datastreams", "ObservedProperty"], options.Expand[0].Segments);
        Assert.Equal(3, options.Top);
        Assert.Equal(0, options.Skip);
        Assert.True(options.Count);
        Assert.Equal(ResultFormat.DataArray, options.ResultFormat);
    }

    [Fact]
    public void No_options_means_none()
    {
        var options = Parse();

        Assert.Null(options.Filter);
        Assert.Empty(options.OrderBy);
        Assert.Null(options.Top);
        Assert.Null(options.Count);
        Assert.Equal(ResultFormat.Default, options.ResultFormat);
        Assert.Equal(string.Empty, options.ToString());
    }

    [Fact]
    public void Nested_expand_options_are_parsed_and_round_trip()
    {
        var options = Parse(("$expand", NestedExpand));

        var nested = Assert.Single(options.Expand).Options;
        Assert.Equal("Observations", options.Expand[0].Path);
        Assert.Equal("(eq result 1)", nested.Filter?.ToString());
        Assert.Equal(["result"], nested.Select);
        Assert.Equal(3, nested.Top);
        Assert.Equal(SortDirection.Descending, Assert.Single(nested.OrderBy).Direction);
        Assert.Equal("FeatureOfInterest", Assert.Single(nested.Expand).Path);

        const string Canonical =
            "$expand=Observations($filter=result eq 1;$orderby=phenomenonTime desc;$select=result;$expand=FeatureOfInterest;$top=3)";
        Assert.Equal(Canonical, options.ToString());
        Assert.Equal(Canonical, QueryOptions.Parse(options.ToQueryParameters()).ToString());
    }

    [Fact]
    public void Nested_values_may_contain_semicolons_parentheses_and_commas_in_strings_and_calls()
    {
        var options = Parse(("$expand", "Datastreams($filter=substring(name, 1, 2) eq 'a;b)' and (id eq 1);$expand=Observations($top=1),Sensor),Thing"));

        Assert.Equal(["Datastreams", "Thing"], options.Expand.Select(e => e.Path));
        var datastreams = options.Expand[0].Options;
        Assert.Equal("(and (eq (substring name 1 2) 'a;b)') (eq id 1))", datastreams.Filter?.ToString());
        Assert.Equal(["Observations", "Sensor"], datastreams.Expand.Select(e => e.Path));
        Assert.Equal(1, datastreams.Expand[0].Options.Top);
        Assert.Equal(options.ToString(), QueryOptions.Parse(options.ToQueryParameters()).ToString());
    }

    [Theory]
    [InlineData("$count", "maybe", "$count: must be true or false, not 'maybe'")]
    [InlineData("$count", "True", "$count: must be true or false, not 'True'")]
    [InlineData("$top", "-1", "$top: must be a non-negative integer, not '-1'")]
    [InlineData("$top", "", "$top: must be a non-negative integer, not ''")]
    [InlineData("$top", "+3", "$top: must be a non-negative integer, not '+3'")]
    [InlineData("$top", "99999999999999999999", "$top: must be a non-negative integer, not '99999999999999999999'")]
    [InlineData("$skip", "1.5", "$skip: must be a non-negative integer, not '1.5'")]
    [InlineData("$resultFormat", "csv", "$resultFormat: must be dataArray, not 'csv'")]
    [InlineData("$select", "", "$select: expected a property name but found end of input at position 0")]
    [InlineData("$select", "id,,name", "$select: expected a property name but found ',' at position 3")]
    [InlineData("$orderby", "name sideways", "$orderby: unexpected 'sideways' after the end of the expression at position 5")]
    [InlineData("$orderby", "name desc,", "$orderby: expected an expression but found end of input at position 10")]
    [InlineData("$expand", "", "$expand: expected a navigation property name but found end of input at position 0")]
    [InlineData("$expand", "Observations(", "$expand: expected a query option such as $filter but found end of input at position 13")]
    [InlineData("$expand", "Observations()", "$expand: expected a query option such as $filter but found ')' at position 13")]
    [InlineData("$expand", "Observations($top=1", "$expand: expected ')' to close the nested options at position 18")]
    [InlineData("$expand", "Observations($top)", "$expand: expected '=' after $top but found ')' at position 17")]
    [InlineData("$expand", "Observations($top=-1)", "$expand: $top of Observations: must be a non-negative integer, not '-1'")]
    [InlineData("$expand", "Observations($filter=result eq)", "$expand: $filter of Observations: expected an expression but found end of input at position 30")]
    [InlineData("$expand", "Observations($resultFormat=dataArray)", "$expand: $resultFormat of Observations: is not allowed inside $expand")]
    [InlineData("$expand", "Observations($top=1;$top=2)", "$expand: $top of Observations: given more than once")]
    [InlineData("$expand", "Observations Sensor", "$expand: expected ',' or end of input but found 'S' at position 13")]
    public void A_malformed_value_is_a_bad_request(string name, string value, string message)
    {
        var error = Rejected((name, value));

        Assert.Equal(QueryOptionErrorKind.BadRequest, error.Kind);
        Assert.Equal(name, error.Option);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void An_option_given_twice_is_a_bad_request()
    {
        var error = Rejected(("$top", "1"), ("$top", "2"));

        Assert.Equal(QueryOptionErrorKind.BadRequest, error.Kind);
        Assert.Equal("$top: given more than once", error.Message);
    }

    [Theory]
    [InlineData("$apply", "x")]
    [InlineData("$search", "temperature")]
    [InlineData("$levels", "max")]
    [InlineData("$Filter", "id eq 1")]
    public void An_unknown_dollar_option_is_not_implemented(string name, string value)
    {
        var error = Rejected((name, value));

        Assert.Equal(QueryOptionErrorKind.NotImplemented, error.Kind);
        Assert.Equal(name, error.Option);
        Assert.Equal($"{name}: the query option '{name}' is not implemented", error.Message);
    }

    [Fact]
    public void An_unknown_option_inside_expand_is_not_implemented_too()
    {
        var error = Rejected(("$expand", "Observations($apply=x)"));

        Assert.Equal(QueryOptionErrorKind.NotImplemented, error.Kind);
        Assert.Equal("$expand", error.Option);
    }

    [Fact]
    public void Expand_nesting_is_capped()
    {
        static string Nested(int depth) =>
            string.Concat(Enumerable.Repeat("Datastreams($expand=", depth)) + "Thing" + new string(')', depth);

        Assert.Single(Parse(("$expand", Nested(FilterParser.MaxNestingDepth))).Expand);
        var error = Rejected(("$expand", Nested(FilterParser.MaxNestingDepth + 1)));
        Assert.Contains("nested more than 64 levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_longer_than_the_cap_is_refused()
    {
        var error = Rejected(("$select", string.Join(',', Enumerable.Repeat("name", 4000))));

        Assert.Equal("$select: longer than 16384 characters", error.Message);
    }
}
