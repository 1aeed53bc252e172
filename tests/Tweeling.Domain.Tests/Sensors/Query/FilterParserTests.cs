using Tweeling.Domain.Sensors.Query;

namespace Tweeling.Domain.Tests.Sensors.Query;

/// <summary>The STA 1.1 <c>$filter</c> checklist, each case with the tree it must give in canonical prefix form.</summary>
public sealed class FilterParserTests
{
    [Theory]
    // Comparison and logic.
    [InlineData("result eq 1", "(eq result 1)")]
    [InlineData("result ne 1", "(ne result 1)")]
    [InlineData("result gt 1 and result ge 2", "(and (gt result 1) (ge result 2))")]
    [InlineData("result lt 1 or result le 2", "(or (lt result 1) (le result 2))")]
    [InlineData("not (result eq 1)", "(not (eq result 1))")]
    // Arithmetic, unary minus and number forms.
    [InlineData("result add 5 gt 10", "(gt (add result 5) 10)")]
    [InlineData("result sub 5 mul 2 div 3 mod 4 eq 0", "(eq (sub result (mod (div (mul 5 2) 3) 4)) 0)")]
    [InlineData("-result lt 0", "(lt (neg result) 0)")]
    [InlineData("result gt -5", "(gt result -5)")]
    [InlineData("result eq 1.5e3", "(eq result 1500.0)")]
    [InlineData("result eq 0.25", "(eq result 0.25)")]
    [InlineData("result eq -9223372036854775808", "(eq result -9223372036854775808)")]
    [InlineData("result eq 99999999999999999999", "(eq result 1E+20)")]
    // Literals.
    [InlineData("result eq true or result eq false", "(or (eq result true) (eq result false))")]
    [InlineData("resultTime eq null", "(eq resultTime null)")]
    [InlineData("name eq 'O''Brien'", "(eq name 'O''Brien')")]
    [InlineData("name eq ''", "(eq name '')")]
    [InlineData("phenomenonTime ge 2024-01-01T00:00:00Z", "(ge phenomenonTime 2024-01-01T00:00:00Z)")]
    [InlineData("resultTime lt 2024-06-01T12:30:00.125+02:00", "(lt resultTime 2024-06-01T12:30:00.125+02:00)")]
    [InlineData("resultTime lt 2024-06-01T12:30", "(lt resultTime 2024-06-01T12:30:00Z)")]
    [InlineData("resultTime gt 2024-06-01", "(gt resultTime 2024-06-01T00:00:00Z)")]
    [InlineData("phenomenonTime eq 2024-01-01T00:00:00Z/2024-02-01T00:00:00Z", "(eq phenomenonTime 2024-01-01T00:00:00Z/2024-02-01T00:00:00Z)")]
    [InlineData("phenomenonTime add duration'P1DT2H' lt now()", "(lt (add phenomenonTime duration'P1DT2H') (now))")]
    [InlineData("st_within(location, geography'POLYGON((0 0, 1 0, 1 1, 0 0))')", "(st_within location geography'POLYGON((0 0, 1 0, 1 1, 0 0))')")]
    // Property paths.
    [InlineData("Datastream/name eq 'Temp'", "(eq Datastream/name 'Temp')")]
    [InlineData("properties/owner eq 'Gemeente'", "(eq properties/owner 'Gemeente')")]
    [InlineData("Datastream/Thing/properties/owner ne null", "(ne Datastream/Thing/properties/owner null)")]
    [InlineData("@iot.id eq 7", "(eq @iot.id 7)")]
    // String functions.
    [InlineData("substringof('Sensor', name)", "(substringof 'Sensor' name)")]
    [InlineData("endswith(name, 'er')", "(endswith name 'er')")]
    [InlineData("startswith(name, 'Th')", "(startswith name 'Th')")]
    [InlineData("length(name) eq 8", "(eq (length name) 8)")]
    [InlineData("indexof(name, 'ing') eq 1", "(eq (indexof name 'ing') 1)")]
    [InlineData("substring(name, 1) eq 'hing 1'", "(eq (substring name 1) 'hing 1')")]
    [InlineData("substring(name, 4, 3) eq 'g 4'", "(eq (substring name 4 3) 'g 4')")]
    [InlineData("tolower(name) eq 'thing'", "(eq (tolower name) 'thing')")]
    [InlineData("toupper(name) eq 'THING'", "(eq (toupper name) 'THING')")]
    [InlineData("trim(name) eq 'x'", "(eq (trim name) 'x')")]
    [InlineData("concat(concat(name, ', '), description) eq 'a, b'", "(eq (concat (concat name ', ') description) 'a, b')")]
    // Date and time functions.
    [InlineData("year(phenomenonTime) eq 2024", "(eq (year phenomenonTime) 2024)")]
    [InlineData("month(resultTime) eq 12 and day(resultTime) eq 31", "(and (eq (month resultTime) 12) (eq (day resultTime) 31))")]
    [InlineData("hour(resultTime) eq 1 or minute(resultTime) eq 2 or second(resultTime) eq 3", "(or (or (eq (hour resultTime) 1) (eq (minute resultTime) 2)) (eq (second resultTime) 3))")]
    [InlineData("fractionalseconds(resultTime) lt 0.5", "(lt (fractionalseconds resultTime) 0.5)")]
    [InlineData("date(resultTime) ne date(validTime)", "(ne (date resultTime) (date validTime))")]
    [InlineData("time(resultTime) le time(phenomenonTime)", "(le (time resultTime) (time phenomenonTime))")]
    [InlineData("totaloffsetminutes(resultTime) eq 60", "(eq (totaloffsetminutes resultTime) 60)")]
    [InlineData("resultTime gt mindatetime() and resultTime lt maxdatetime()", "(and (gt resultTime (mindatetime)) (lt resultTime (maxdatetime)))")]
    // Maths functions.
    [InlineData("round(result) eq 32", "(eq (round result) 32)")]
    [InlineData("floor(result) eq 32", "(eq (floor result) 32)")]
    [InlineData("ceiling(result) eq 33", "(eq (ceiling result) 33)")]
    // Geospatial functions.
    [InlineData("geo.distance(location, geography'POINT(-122 43)') gt 1", "(gt (geo.distance location geography'POINT(-122 43)') 1)")]
    [InlineData("geo.length(geography'LINESTRING(1 1, 2 2)') lt 1", "(lt (geo.length geography'LINESTRING(1 1, 2 2)') 1)")]
    [InlineData("geo.intersects(location, geography'LINESTRING(1 1, 2 2)')", "(geo.intersects location geography'LINESTRING(1 1, 2 2)')")]
    [InlineData("st_equals(location, geography'POINT(1 1)')", "(st_equals location geography'POINT(1 1)')")]
    [InlineData("st_disjoint(location, geography'POINT(1 1)')", "(st_disjoint location geography'POINT(1 1)')")]
    [InlineData("st_touches(location, geography'POINT(1 1)')", "(st_touches location geography'POINT(1 1)')")]
    [InlineData("st_overlaps(location, geography'POINT(1 1)')", "(st_overlaps location geography'POINT(1 1)')")]
    [InlineData("st_crosses(location, geography'POINT(1 1)')", "(st_crosses location geography'POINT(1 1)')")]
    [InlineData("st_intersects(location, geography'POINT(1 1)')", "(st_intersects location geography'POINT(1 1)')")]
    [InlineData("st_contains(location, geography'POINT(1 1)')", "(st_contains location geography'POINT(1 1)')")]
    [InlineData("st_relate(location, geography'POINT(1 1)', 'T********')", "(st_relate location geography'POINT(1 1)' 'T********')")]
    // Spacing is free around tokens.
    [InlineData("  ( result\teq 1 )  ", "(eq result 1)")]
    [InlineData("substring( name ,1 )eq 'x'", "(eq (substring name 1) 'x')")]
    public void A_valid_filter_gives_the_expected_tree(string filter, string expected)
    {
        var tree = FilterParser.Parse(filter);

        Assert.Equal(expected, tree.ToString());
        Assert.Equal(tree, FilterParser.Parse(tree.ToQueryText()));
    }

    [Theory]
    [InlineData("a add b mul c", "(add a (mul b c))")]
    [InlineData("a mul b add c", "(add (mul a b) c)")]
    [InlineData("a sub b sub c", "(sub (sub a b) c)")]
    [InlineData("a mul (b add c)", "(mul a (add b c))")]
    [InlineData("not a eq b and c", "(and (not (eq a b)) c)")]
    [InlineData("not not a", "(not (not a))")]
    [InlineData("a or b and c", "(or a (and b c))")]
    [InlineData("a and b or c", "(or (and a b) c)")]
    [InlineData("(a or b) and c", "(and (or a b) c)")]
    [InlineData("a eq b or c ne d and e gt f", "(or (eq a b) (and (ne c d) (gt e f)))")]
    [InlineData("-a mul b", "(mul (neg a) b)")]
    [InlineData("- -5", "(neg -5)")]
    [InlineData("-(5)", "(neg 5)")]
    [InlineData("a add b eq c mul d", "(eq (add a b) (mul c d))")]
    public void Precedence_and_parentheses_shape_the_tree(string filter, string expected)
    {
        var tree = FilterParser.Parse(filter);

        Assert.Equal(expected, tree.ToString());
        Assert.Equal(tree, FilterParser.Parse(tree.ToQueryText()));
    }

    [Fact]
    public void Query_text_uses_only_the_parentheses_precedence_needs()
    {
        Assert.Equal("(a sub (b sub c)) mul -(5)", FilterParser.Parse("((a sub (b sub c)) mul (-(5)))").ToQueryText());
        Assert.Equal("not (a or b) and c eq 'O''Brien'", FilterParser.Parse("(not (a or b)) and (c eq 'O''Brien')").ToQueryText());
    }

    [Fact]
    public void A_doubled_quote_is_one_quote_in_the_value()
    {
        var tree = (BinaryExpression)FilterParser.Parse("name eq 'O''Brien'''");

        Assert.Equal(new StringLiteral("O'Brien'"), tree.Right);
    }

    [Fact]
    public void Times_keep_their_offset_and_intervals_their_ends()
    {
        var instant = (BinaryExpression)FilterParser.Parse("resultTime eq 2024-06-01T12:30:00+02:00");
        var interval = (BinaryExpression)FilterParser.Parse("phenomenonTime eq 2024-01-01T00:00:00Z/2024-01-02T00:00:00Z");

        Assert.Equal(new InstantLiteral(new DateTimeOffset(2024, 6, 1, 12, 30, 0, TimeSpan.FromHours(2))), instant.Right);
        var literal = Assert.IsType<IntervalLiteral>(interval.Right);
        Assert.Equal(TimeSpan.FromDays(1), literal.End - literal.Start);
    }

    [Fact]
    public void Paths_split_into_segments()
    {
        var path = Assert.IsType<PropertyPath>(((BinaryExpression)FilterParser.Parse("Datastream / Thing/name eq 'x'")).Left);

        Assert.Equal(["Datastream", "Thing", "name"], path.Segments);
    }

    [Theory]
    [InlineData("substring(name)", "$filter: function 'substring' takes 2 or 3 arguments, not 1 at position 0")]
    [InlineData("result eq length(a, b)", "$filter: function 'length' takes 1 argument, not 2 at position 10")]
    [InlineData("now(1) gt resultTime", "$filter: function 'now' takes 0 arguments, not 1 at position 0")]
    [InlineData("st_relate(location, geography'POINT(1 1)')", "$filter: function 'st_relate' takes 3 arguments, not 2 at position 0")]
    [InlineData("frobnicate(name) eq 1", "$filter: unknown function 'frobnicate' at position 0")]
    [InlineData("SubString(name, 1) eq 'x'", "$filter: unknown function 'SubString' at position 0")]
    [InlineData("(result eq 1", "$filter: expected ')' but found end of input at position 12")]
    [InlineData("((result eq 1)", "$filter: expected ')' but found end of input at position 14")]
    [InlineData("result eq 1)", "$filter: unexpected ')' after the end of the expression at position 11")]
    [InlineData("result eq 1 name", "$filter: unexpected 'name' after the end of the expression at position 12")]
    [InlineData("result eq 1 eq", "$filter: expected an expression but found end of input at position 14")]
    [InlineData("length(name,) eq 1", "$filter: expected an expression but found ')' at position 12")]
    [InlineData("", "$filter: expected an expression but found end of input at position 0")]
    [InlineData("result eq and", "$filter: expected an expression but found the operator 'and' at position 10")]
    [InlineData("name eq 'abc", "$filter: unterminated string literal at position 8")]
    [InlineData("name eq 'a' # 1", "$filter: unexpected character '#' at position 12")]
    [InlineData("name eq \u00e9", "$filter: unexpected character U+00E9 at position 8")]
    [InlineData("result eq 1.", "$filter: malformed number at position 10")]
    [InlineData("result eq 1e", "$filter: malformed number at position 10")]
    [InlineData("result eq 12abc", "$filter: malformed number at position 10")]
    [InlineData("result eq 1e999", "$filter: number '1e999' is out of range at position 10")]
    [InlineData("resultTime eq 2024-13-01T00:00:00Z", "$filter: '2024-13-01T00:00:00Z' is not an ISO 8601 date or time at position 14")]
    [InlineData("resultTime eq 2024-01-01T00:00:00Z/2023-01-01T00:00:00Z", "$filter: interval ends before it starts at position 14")]
    [InlineData("resultTime eq 2024-01-01T00:00:00Z/x/y", "$filter: 'x/y' is not an ISO 8601 date or time at position 35")]
    [InlineData("st_within(location, geometry'POINT(1 1)')", "$filter: unknown literal type 'geometry' (expected geography or duration) at position 20")]
    [InlineData("st_within(location, geography'')", "$filter: empty geography literal at position 20")]
    [InlineData("phenomenonTime add duration'P' gt now()", "$filter: 'P' is not an ISO 8601 duration at position 19")]
    [InlineData("phenomenonTime add duration'1D' gt now()", "$filter: '1D' is not an ISO 8601 duration at position 19")]
    [InlineData("Datastream/ eq 1", "$filter: expected a property name after '/' but found the operator 'eq' at position 12")]
    public void A_malformed_filter_is_a_bad_request_that_says_what_and_where(string filter, string message)
    {
        var error = Assert.Throws<QueryOptionException>(() => FilterParser.Parse(filter));

        Assert.Equal(QueryOptionErrorKind.BadRequest, error.Kind);
        Assert.Equal("$filter", error.Option);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Nesting_is_allowed_up_to_the_limit_and_reported_beyond_it()
    {
        static string Nested(int depth) => new string('(', depth) + "a eq 1" + new string(')', depth);

        Assert.Equal("(eq a 1)", FilterParser.Parse(Nested(FilterParser.MaxNestingDepth)).ToString());
        var error = Assert.Throws<QueryOptionException>(() => FilterParser.Parse(Nested(FilterParser.MaxNestingDepth + 1)));
        Assert.Equal("$filter: nested more than 64 levels deep at position 64", error.Message);
        Assert.Throws<QueryOptionException>(() => FilterParser.Parse(string.Concat(Enumerable.Repeat("not ", 100)) + "a"));
        Assert.Throws<QueryOptionException>(() => FilterParser.Parse(string.Concat(Enumerable.Repeat("tolower(", 100)) + "a"));
    }

    [Fact]
    public void A_long_flat_list_is_allowed_but_a_tree_taller_than_the_limit_is_not()
    {
        static string Ors(int count) => string.Join(" or ", Enumerable.Range(0, count).Select(i => $"id eq {i}"));

        Assert.IsType<BinaryExpression>(FilterParser.Parse(Ors(200)));
        var error = Assert.Throws<QueryOptionException>(() => FilterParser.Parse(Ors(FilterParser.MaxTreeHeight + 1)));
        Assert.Contains("more than 256 levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_longer_than_the_cap_is_refused_before_parsing()
    {
        var text = "name eq '" + new string('x', FilterParser.MaxLength) + "'";

        var error = Assert.Throws<QueryOptionException>(() => FilterParser.Parse(text));

        Assert.Equal("$filter: longer than 16384 characters", error.Message);
        Assert.Null(error.Position);
    }
}
