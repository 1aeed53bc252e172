using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NetTopologySuite.IO;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors.Query;

namespace Tweeling.Storage.Sqlite;

/// <summary>
/// Translates a SensorThings <c>$filter</c>/<c>$orderby</c> tree and a navigation scope into SQLite SQL over the
/// <c>sta_*</c> tables. Every literal becomes a parameter (<see cref="Parameters"/>); only table aliases, column
/// names and operators from fixed tables are written into the text.
/// </summary>
/// <remarks>
/// <para>
/// Semantics. A comparison with a missing value is false, also under <c>not</c> (<c>not (x eq 1)</c> holds for a
/// null <c>x</c>, as <c>x ne 1</c> does), so filters are two-valued as in OData. JSON members
/// (<c>properties/a/b</c>, <c>parameters/x</c>, <c>resultQuality/…</c>) and <c>result</c> take the type of what
/// they are compared with: <c>result gt 5</c> matches numeric results only, <c>result eq 'high'</c> text results
/// only. A path through a to-many navigation (<c>Datastreams/name</c>, <c>Thing/Locations/name</c>) holds when
/// some related entity satisfies the comparison (an EXISTS subquery); a to-one navigation is a correlated lookup.
/// </para>
/// <para>
/// Times are Unix milliseconds. A time property is an instant or an interval [start, end]; an instant is an
/// interval with start = end. Against an instant or interval <c>X</c>: <c>t lt X</c> means t ends before X starts,
/// <c>t le X</c> ends at or before, <c>t gt X</c> starts after X ends, <c>t ge X</c> starts at or after, and
/// <c>t eq X</c> has the same start and end. Date functions (<c>year</c>, <c>date</c>, …) read the start, in UTC.
/// </para>
/// <para>
/// Geometries are WKB in CRS84 (longitude, latitude); the <c>geo.*</c> and <c>st_*</c> functions are evaluated by
/// NetTopologySuite in functions registered on the connection (<see cref="SqliteSpatialFunctions"/>), planar in
/// those coordinates, so <c>geo.distance</c> and <c>geo.length</c> are in degrees, as FROST-Server answers for CRS84.
/// </para>
/// </remarks>
internal sealed partial class SqliteFilterTranslator
{
    private readonly List<(string Name, object Value)> _parameters = [];
    private readonly List<(string[] Prefix, Frame Frame)> _bound = [];
    private readonly DateTimeOffset _now;
    private Frame _root;
    private readonly SensorVisibility? _visibility;
    private int _aliases;

    /// <summary>Creates a translator for queries of <paramref name="set"/>, whose rows the SQL names <c>e</c>.</summary>
    /// <param name="set">The entity set queried.</param>
    /// <param name="now">The instant <c>now()</c> stands for.</param>
    /// <param name="visibility">What the caller may see, or <c>null</c> for everything.</param>
    public SqliteFilterTranslator(SensorEntitySet set, DateTimeOffset now, SensorVisibility? visibility = null)
    {
        _now = now;
        _root = new Frame("e", set);
        _visibility = visibility;
    }

    /// <summary>The parameters the SQL refers to, by name (<c>$f0</c>, …).</summary>
    public IReadOnlyList<(string Name, object Value)> Parameters => _parameters;

    /// <summary>Whether the SQL calls functions that <see cref="SqliteSpatialFunctions.Register"/> must add to the connection.</summary>
    public bool UsesCustomFunctions { get; private set; }

    /// <summary>The table of <paramref name="set"/>; for Observations, both kinds (<see cref="ObservationRows.Both"/>).</summary>
    public static string Table(SensorEntitySet set) => s_model[set].Table;

    /// <summary>The row source of the root <c>e</c>, as the last <see cref="FromObservations"/> or <see cref="Where(SensorScope?, FilterExpression?)"/> chose it.</summary>
    public string RootTable => TableOf(_root);

    /// <summary>
    /// Which Observations a query navigated by <paramref name="scope"/> reads: a Datastream's only those of
    /// <c>sta_observations</c> (the hot path keeps its table and primary key), a MultiDatastream's only those of
    /// <c>sta_multi_observations</c>, anything else both.
    /// </summary>
    public static ObservationRows RowsOf(SensorScope? scope) => scope switch
    {
        { Set: SensorEntitySet.Datastreams, Navigation: "Observations" } => ObservationRows.OfDatastreams,
        { Set: SensorEntitySet.MultiDatastreams, Navigation: "Observations" } => ObservationRows.OfMultiDatastreams,
        _ => ObservationRows.Both,
    };

    /// <summary>
    /// Makes the root <c>e</c> the Observations of <paramref name="rows"/>: a query of both kinds translates its
    /// WHERE and ORDER BY once per kind (one arm of a UNION ALL each), so that each arm reads along its own indexes.
    /// </summary>
    public void FromObservations(ObservationRows rows) => _root = new Frame("e", SensorEntitySet.Observations, rows);

    /// <summary>The condition of <paramref name="scope"/> and <paramref name="filter"/> on the row <c>e</c>, or <c>1</c>.</summary>
    /// <exception cref="ArgumentException">The scope's navigation does not exist or does not lead to the queried set.</exception>
    /// <exception cref="SensorQueryException">The filter names an unknown property or mixes types.</exception>
    public string Where(SensorScope? scope, FilterExpression? filter) => Where(scope, scope is null ? null : () => Parameter(scope.Id), filter);

    /// <summary>
    /// The condition of <paramref name="filter"/> on the row <c>e</c> navigated from the parent of <paramref name="scope"/>
    /// whose id is the SQL expression <paramref name="parentId"/> (a column of a table of parent ids), not the scope's id.
    /// </summary>
    /// <exception cref="ArgumentException">The scope's navigation does not exist or does not lead to the queried set.</exception>
    /// <exception cref="SensorQueryException">The filter names an unknown property or mixes types.</exception>
    public string WhereEach(SensorScope scope, string parentId, FilterExpression? filter) => Where(scope, () => parentId, filter);

    private string Where(SensorScope? scope, Func<string>? parentId, FilterExpression? filter)
    {
        var conditions = new List<string>();
        if (scope is not null)
        {
            if (!s_model[scope.Set].Navigations.TryGetValue(scope.Navigation, out var navigation) || navigation.Target != _root.Set)
            {
                throw new ArgumentException($"{scope.Set} has no navigation property '{scope.Navigation}' to {_root.Set}.", nameof(scope));
            }

            var id = parentId!();
            if (scope is { Set: SensorEntitySet.Datastreams, Navigation: "Observations" })
            {
                _scopeDatastream = id;
            }
            else if (scope is { Set: SensorEntitySet.MultiDatastreams, Navigation: "Observations" })
            {
                _scopeMultiDatastream = id;
            }

            if (RowsOf(scope) is var rows and not ObservationRows.Both)
            {
                _root = _root with { Rows = rows };
            }

            var parent = s_model[scope.Set].Table;
            conditions.Add(navigation.Condition(column => column == "id" ? id : $"(SELECT {column} FROM {parent} WHERE id = {id})", _root.Alias));
        }

        if (filter is not null)
        {
            conditions.Add(Predicate(filter));
        }

        if (_visibility is not null)
        {
            conditions.Add(Visible(_root));
        }

        return conditions.Count == 0 ? "1" : string.Join(" AND ", conditions);
    }

    /// <summary>
    /// The ORDER BY list: the keys, then the id in the direction of the last key (so that an index on
    /// (…, key, id) serves both directions without a sort).
    /// </summary>
    public string OrderBy(IReadOnlyList<OrderByItem> orderBy) =>
        string.Join(", ", OrderKeys(orderBy).Select(k => k.Sql + (k.Descending ? " DESC" : "")));

    /// <summary>The keys of <see cref="OrderBy"/> one by one, each with its direction, for a compound SELECT that sorts on them as result columns.</summary>
    public IReadOnlyList<(string Sql, bool Descending)> OrderKeys(IReadOnlyList<OrderByItem> orderBy)
    {
        var keys = new List<(string Sql, bool Descending)>();
        foreach (var item in orderBy)
        {
            if (FindToMany(item.Expression) is not null)
            {
                throw new SensorQueryException($"$orderby: '{item.Expression.ToQueryText()}' goes through a to-many navigation property, so an entity has no single value to sort on.");
            }

            var value = Translate(item.Expression);
            if (value.Kind == Kind.Geometry)
            {
                throw new SensorQueryException($"$orderby: '{item.Expression.ToQueryText()}' is a geometry, which has no order.");
            }

            keys.Add((value.Sql, item.Direction == SortDirection.Descending));
        }

        var last = orderBy.Count > 0 ? orderBy[^1].Direction : SortDirection.Ascending;
        keys.Add((_root.Alias + ".id", last == SortDirection.Descending));
        return keys;
    }

    private string Parameter(object value)
    {
        var name = "$f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value));
        return name;
    }

    private string NewAlias() => "n" + (++_aliases).ToString(CultureInfo.InvariantCulture);

    // ---- predicates -------------------------------------------------------------------------------------

    private string Predicate(FilterExpression expression)
    {
        switch (expression)
        {
            case BinaryExpression { Operator: BinaryOperator.And or BinaryOperator.Or } logical:
                return $"({Predicate(logical.Left)} {(logical.Operator == BinaryOperator.And ? "AND" : "OR")} {Predicate(logical.Right)})";
            case UnaryExpression { Operator: UnaryOperator.Not } not:
                return $"(NOT coalesce({Predicate(not.Operand)}, 0))";
        }

        if (FindToMany(expression) is { } toMany)
        {
            return Exists(toMany, expression);
        }

        var value = Translate(expression);
        return value.Kind switch
        {
            Kind.Boolean => value.Sql,
            Kind.Json => $"({value.Typed!(Kind.Boolean)} = 1)",
            _ => throw new SensorQueryException($"$filter: '{expression.ToQueryText()}' is a {Describe(value.Kind)}, not a condition (true or false)."),
        };
    }

    /// <summary>
    /// <c>EXISTS (SELECT 1 FROM … WHERE …)</c> over the related entities of a to-many navigation prefix, with
    /// the paths below that prefix bound to them while <paramref name="leaf"/> is translated.
    /// </summary>
    private string Exists(ToMany toMany, FilterExpression leaf)
    {
        var from = new List<string>();
        var where = new List<string>();
        var frame = toMany.Start;
        foreach (var name in toMany.Navigations)
        {
            var navigation = s_model[frame.Set].Navigations[name];
            var next = new Frame(NewAlias(), navigation.Target, navigation.Rows);
            from.Add($"{TableOf(next)} {next.Alias}");
            var outer = frame;
            where.Add(navigation.Condition(column => ColumnOf(outer, column), next.Alias));

            // A related entity the caller may not see must not decide the filter either. Locations are reached
            // only from Things and HistoricalLocations, which are visible here, so they are visible too.
            if (_visibility is not null && next.Set != SensorEntitySet.Locations)
            {
                where.Add(Visible(next));
            }

            frame = next;
        }

        _bound.Add((toMany.Prefix, frame));
        try
        {
            where.Add(Predicate(leaf));
        }
        finally
        {
            _bound.RemoveAt(_bound.Count - 1);
        }

        return $"EXISTS (SELECT 1 FROM {string.Join(", ", from)} WHERE {string.Join(" AND ", where)})";
    }

    /// <summary>The first path in <paramref name="expression"/> that reaches a to-many navigation not bound yet.</summary>
    private ToMany? FindToMany(FilterExpression expression)
    {
        switch (expression)
        {
            case PropertyPath path:
                var (frame, segments, offset) = Start(path);
                var current = frame.Set;
                for (var i = offset; i < segments.Length; i++)
                {
                    if (!s_model[current].Navigations.TryGetValue(segments[i], out var navigation))
                    {
                        return null;
                    }

                    // A to-many navigation that ends the path names no property; Resolve refuses it.
                    if (navigation.ToMany && i < segments.Length - 1)
                    {
                        return new ToMany(frame, segments[..(i + 1)], segments[offset..(i + 1)]);
                    }

                    current = navigation.Target;
                }

                return null;
            case BinaryExpression binary:
                return FindToMany(binary.Left) ?? FindToMany(binary.Right);
            case UnaryExpression unary:
                return FindToMany(unary.Operand);
            case FunctionCall call:
                return call.Arguments.Select(FindToMany).FirstOrDefault(t => t is not null);
            default:
                return null;
        }
    }

    /// <summary>Where a path starts: the frame of the longest bound prefix it begins with (or the root), and the index of its first segment after that prefix.</summary>
    private (Frame Frame, string[] Segments, int Offset) Start(PropertyPath path)
    {
        var segments = path.Path.Split('/');
        for (var i = _bound.Count - 1; i >= 0; i--)
        {
            var (prefix, frame) = _bound[i];
            if (prefix.Length < segments.Length && segments.AsSpan(0, prefix.Length).SequenceEqual(prefix))
            {
                return (frame, segments, prefix.Length);
            }
        }

        return (_root, segments, 0);
    }

    // ---- values -----------------------------------------------------------------------------------------

    private Value Translate(FilterExpression expression) => expression switch
    {
        StringLiteral s => new Value(Kind.String, Parameter(s.Value)),
        IntegerLiteral i => new Value(Kind.Number, Parameter(i.Value)),
        DoubleLiteral d => new Value(Kind.Number, Parameter(d.Value)),
        BooleanLiteral b => new Value(Kind.Boolean, b.Value ? "1" : "0"),
        NullLiteral => new Value(Kind.Null, "NULL"),
        InstantLiteral instant => Instant(Parameter(instant.Value.ToUnixTimeMilliseconds())),
        IntervalLiteral interval => new Value(Kind.Time, Parameter(interval.Start.ToUnixTimeMilliseconds()), Parameter(interval.End.ToUnixTimeMilliseconds())),
        DurationLiteral duration => new Value(Kind.Duration, Parameter(DurationMilliseconds(duration.Iso8601))),
        GeographyLiteral geography => new Value(Kind.Geometry, Parameter(Wkb(geography.Wkt))),
        PropertyPath path => Path(path),
        BinaryExpression binary when binary.Operator is BinaryOperator.And or BinaryOperator.Or => new Value(Kind.Boolean, Predicate(binary)),
        UnaryExpression { Operator: UnaryOperator.Not } not => new Value(Kind.Boolean, Predicate(not)),
        BinaryExpression { Operator: BinaryOperator.Eq or BinaryOperator.Ne or BinaryOperator.Gt or BinaryOperator.Ge or BinaryOperator.Lt or BinaryOperator.Le } comparison => Compare(comparison),
        BinaryExpression arithmetic => Arithmetic(arithmetic),
        UnaryExpression negate => new Value(Kind.Number, $"(-{As(Kind.Number, negate.Operand, "-")})"),
        FunctionCall call => Function(call),
        _ => throw new SensorQueryException($"$filter: '{expression.ToQueryText()}' cannot be evaluated."),
    };

    private static Value Instant(string sql) => new(Kind.Time, sql, sql);

    private Value Compare(BinaryExpression comparison)
    {
        var op = comparison.Operator;
        var left = Translate(comparison.Left);
        var right = Translate(comparison.Right);
        if (left.Kind == Kind.Null || right.Kind == Kind.Null)
        {
            var sql = (left.Kind == Kind.Null ? right : left).Sql;
            return op switch
            {
                BinaryOperator.Eq => new Value(Kind.Boolean, $"({sql} IS NULL)"),
                BinaryOperator.Ne => new Value(Kind.Boolean, $"({sql} IS NOT NULL)"),
                _ => throw TypeError(comparison, $"null cannot be compared with '{BinaryExpression.Keyword(op)}'"),
            };
        }

        (left, right) = Unify(comparison, left, right);
        if (left.Kind == Kind.Geometry || left.Kind == Kind.Duration)
        {
            throw TypeError(comparison, $"a {Describe(left.Kind)} cannot be compared with '{BinaryExpression.Keyword(op)}'; use st_equals for geometries");
        }

        if (left.Kind == Kind.Time)
        {
            return new Value(Kind.Boolean, CompareTimes(op, left, right));
        }

        return new Value(Kind.Boolean, op switch
        {
            BinaryOperator.Ne => $"({left.Sql} IS NOT {right.Sql})",
            _ => $"({left.Sql} {Sql(op)} {right.Sql})",
        });
    }

    /// <summary>Interval comparisons as the class remarks define them; a start-only bound is added so that an index on the start column serves <c>lt</c> and <c>le</c>.</summary>
    private static string CompareTimes(BinaryOperator op, Value left, Value right)
    {
        var (ls, le, rs, re) = (left.Sql, left.End!, right.Sql, right.End!);
        string Before(string comparison) =>
            le == ls ? $"({ls} {comparison} {rs})" : $"({ls} {comparison} {rs} AND {le} {comparison} {rs})";
        return op switch
        {
            BinaryOperator.Lt => Before("<"),
            BinaryOperator.Le => Before("<="),
            BinaryOperator.Gt => $"({ls} > {re})",
            BinaryOperator.Ge => $"({ls} >= {re})",
            BinaryOperator.Eq => $"({ls} = {rs} AND {le} = {re})",
            _ => $"(NOT coalesce({ls} = {rs} AND {le} = {re}, 0))",
        };
    }

    /// <summary>Gives both sides of a comparison one type: a JSON value takes the other side's type; a string literal compared with a time is read as a time.</summary>
    private (Value Left, Value Right) Unify(FilterExpression expression, Value left, Value right)
    {
        if (left.Kind == Kind.Json && right.Kind == Kind.Json)
        {
            return (left, right);
        }

        if (left.Kind == Kind.Json)
        {
            return (Coerce(left, right.Kind, expression), right);
        }

        if (right.Kind == Kind.Json)
        {
            return (left, Coerce(right, left.Kind, expression));
        }

        if (left.Kind == Kind.Time && right.Kind == Kind.String && expression is BinaryExpression { Right: StringLiteral text })
        {
            return (left, Instant(Parameter(ParseInstant(text.Value, expression))));
        }

        if (right.Kind == Kind.Time && left.Kind == Kind.String && expression is BinaryExpression { Left: StringLiteral leftText })
        {
            return (Instant(Parameter(ParseInstant(leftText.Value, expression))), right);
        }

        if (left.Kind != right.Kind)
        {
            throw TypeError(expression, $"a {Describe(left.Kind)} cannot be compared with a {Describe(right.Kind)}");
        }

        return (left, right);
    }

    private static Value Coerce(Value json, Kind kind, FilterExpression expression) => kind switch
    {
        Kind.Number or Kind.String or Kind.Boolean => new Value(kind, json.Typed!(kind)),
        Kind.Time => Instant($"(CAST(strftime('%s', {json.Typed!(Kind.String)}) AS INTEGER) * 1000)"),
        _ => throw TypeError(expression, $"a JSON value cannot be compared with a {Describe(kind)}"),
    };

    private Value Arithmetic(BinaryExpression arithmetic)
    {
        var left = Translate(arithmetic.Left);
        var right = Translate(arithmetic.Right);
        if (left.Kind == Kind.Time && right.Kind == Kind.Duration && arithmetic.Operator is BinaryOperator.Add or BinaryOperator.Sub)
        {
            var sign = arithmetic.Operator == BinaryOperator.Add ? "+" : "-";
            return new Value(Kind.Time, $"({left.Sql} {sign} {right.Sql})", $"({left.End} {sign} {right.Sql})");
        }

        var keyword = BinaryExpression.Keyword(arithmetic.Operator);
        var l = AsNumber(left, arithmetic.Left, keyword);
        var r = AsNumber(right, arithmetic.Right, keyword);
        return new Value(Kind.Number, arithmetic.Operator switch
        {
            BinaryOperator.Add => $"({l} + {r})",
            BinaryOperator.Sub => $"({l} - {r})",
            BinaryOperator.Mul => $"({l} * {r})",

            // Real division, as OData's div on decimals: 7 div 2 is 3.5, not SQLite's integer 3. By zero it is null.
            BinaryOperator.Div => $"(CAST({l} AS REAL) / {r})",
            _ => $"mod({l}, {r})",
        });
    }

    private string As(Kind kind, FilterExpression expression, string function)
    {
        var value = Translate(expression);
        return kind == Kind.Number ? AsNumber(value, expression, function) : Require(value, kind, expression, function);
    }

    private static string AsNumber(Value value, FilterExpression expression, string function) => Require(value, Kind.Number, expression, function);

    private static string Require(Value value, Kind kind, FilterExpression expression, string function) =>
        value.Kind == kind ? value.Sql
        : value.Kind == Kind.Json && kind is Kind.Number or Kind.String or Kind.Boolean ? value.Typed!(kind)
        : throw new SensorQueryException($"$filter: {function} needs a {Describe(kind)}, but '{expression.ToQueryText()}' is a {Describe(value.Kind)}.");

    private Value Function(FunctionCall call)
    {
        var a = call.Arguments;
        string Text(int i) => As(Kind.String, a[i], call.Name);
        string Number(int i) => As(Kind.Number, a[i], call.Name);
        Value Time(int i)
        {
            var value = Translate(a[i]);
            return value.Kind == Kind.Time ? value
                : throw new SensorQueryException($"$filter: {call.Name} needs a time, but '{a[i].ToQueryText()}' is a {Describe(value.Kind)}.");
        }

        string Geometry(int i)
        {
            UsesCustomFunctions = true;
            return As(Kind.Geometry, a[i], call.Name);
        }

        string Part(string format) => $"CAST(strftime('{format}', {Time(0).Sql} / 1000.0, 'unixepoch') AS INTEGER)";

        switch (call.Name)
        {
            case "substringof":
                return new Value(Kind.Boolean, $"(instr({Text(1)}, {Text(0)}) > 0)");
            case "startswith":
                {
                    var (s, p) = (Text(0), Text(1));
                    return new Value(Kind.Boolean, $"(substr({s}, 1, length({p})) = {p})");
                }

            case "endswith":
                {
                    var (s, p) = (Text(0), Text(1));
                    return new Value(Kind.Boolean, $"(length({p}) = 0 OR (length({s}) >= length({p}) AND substr({s}, -length({p})) = {p}))");
                }

            case "length":
                return new Value(Kind.Number, $"length({Text(0)})");
            case "indexof":
                return new Value(Kind.Number, $"(instr({Text(0)}, {Text(1)}) - 1)");
            case "substring":
                return new Value(Kind.String, a.Count == 2
                    ? $"substr({Text(0)}, {Number(1)} + 1)"
                    : $"substr({Text(0)}, {Number(1)} + 1, {Number(2)})");
            case "tolower":
                UsesCustomFunctions = true;
                return new Value(Kind.String, $"{SqliteSpatialFunctions.Lower}({Text(0)})");
            case "toupper":
                UsesCustomFunctions = true;
                return new Value(Kind.String, $"{SqliteSpatialFunctions.Upper}({Text(0)})");
            case "trim":
                return new Value(Kind.String, $"trim({Text(0)})");
            case "concat":
                return new Value(Kind.String, $"({Text(0)} || {Text(1)})");
            case "year":
                return new Value(Kind.Number, Part("%Y"));
            case "month":
                return new Value(Kind.Number, Part("%m"));
            case "day":
                return new Value(Kind.Number, Part("%d"));
            case "hour":
                return new Value(Kind.Number, Part("%H"));
            case "minute":
                return new Value(Kind.Number, Part("%M"));
            case "second":
                return new Value(Kind.Number, Part("%S"));
            case "fractionalseconds":
                {
                    var t = Time(0).Sql;
                    return new Value(Kind.Number, $"(((({t}) % 1000) + 1000) % 1000 / 1000.0)");
                }

            case "date":
                {
                    var t = Time(0).Sql;
                    return Instant($"({t} - (((({t}) % 86400000) + 86400000) % 86400000))");
                }

            case "time":
                return new Value(Kind.String, $"strftime('%H:%M:%f', {Time(0).Sql} / 1000.0, 'unixepoch')");
            case "totaloffsetminutes":
                // Times are stored in UTC, so every offset is zero; the argument is still type-checked.
                _ = Time(0);
                return new Value(Kind.Number, "0");
            case "now":
                return Instant(Parameter(_now.ToUnixTimeMilliseconds()));
            case "mindatetime":
                return Instant(Parameter(DateTimeOffset.MinValue.ToUnixTimeMilliseconds()));
            case "maxdatetime":
                return Instant(Parameter(DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));
            case "round":
                return new Value(Kind.Number, $"round({Number(0)})");
            case "floor":
                return new Value(Kind.Number, $"floor({Number(0)})");
            case "ceiling":
                return new Value(Kind.Number, $"ceiling({Number(0)})");
            case "geo.distance":
                return new Value(Kind.Number, $"{SqliteSpatialFunctions.Distance}({Geometry(0)}, {Geometry(1)})");
            case "geo.length":
                return new Value(Kind.Number, $"{SqliteSpatialFunctions.Length}({Geometry(0)})");
            case "geo.intersects":
                return new Value(Kind.Boolean, $"({SqliteSpatialFunctions.Predicate("st_intersects")}({Geometry(0)}, {Geometry(1)}) = 1)");
            case "st_relate":
                if (a[2] is StringLiteral { Value: var pattern } && !RelatePattern().IsMatch(pattern))
                {
                    throw new SensorQueryException($"$filter: st_relate needs a DE-9IM pattern of nine characters T, F, 0, 1, 2 or *, not '{pattern}'.");
                }

                return new Value(Kind.Boolean, $"({SqliteSpatialFunctions.Relate}({Geometry(0)}, {Geometry(1)}, {Text(2)}) = 1)");
            default:
                if (SqliteSpatialFunctions.Predicates.Contains(call.Name))
                {
                    return new Value(Kind.Boolean, $"({SqliteSpatialFunctions.Predicate(call.Name)}({Geometry(0)}, {Geometry(1)}) = 1)");
                }

                throw new SensorQueryException($"$filter: the function {call.Name} is not supported.");
        }
    }

    // ---- paths ------------------------------------------------------------------------------------------

    private Value Path(PropertyPath path)
    {
        var (frame, segments, offset) = Start(path);
        return Resolve(frame, segments, offset, path);
    }

    private Value Resolve(Frame frame, string[] segments, int index, PropertyPath path)
    {
        var model = s_model[frame.Set];
        var name = segments[index];
        if (model.Navigations.TryGetValue(name, out var navigation))
        {
            if (navigation.ToMany)
            {
                throw new SensorQueryException($"'{path.Path}' goes through the to-many navigation property {name}, which has no single value here.");
            }

            if (index == segments.Length - 1)
            {
                throw new SensorQueryException($"'{path.Path}' names the navigation property {name}, not a property; add one, e.g. {name}/id.");
            }

            var next = new Frame(NewAlias(), navigation.Target, navigation.Rows);
            var inner = Resolve(next, segments, index + 1, path);
            var condition = navigation.Condition(column => ColumnOf(frame, column), next.Alias);
            var table = TableOf(next);
            return inner.Map(sql => $"(SELECT {sql} FROM {table} {next.Alias} WHERE {condition})");
        }

        if (!model.Properties.TryGetValue(name, out var property))
        {
            throw new SensorQueryException(
                $"'{path.Path}': {EntityType(frame.Set)} has no property or navigation property '{name}'; it has {string.Join(", ", model.Properties.Keys.Concat(model.Navigations.Keys))}.");
        }

        return property(frame.Alias, segments[(index + 1)..], path, this);
    }

    private static SensorQueryException TypeError(FilterExpression expression, string reason) =>
        new($"$filter: in '{expression.ToQueryText()}', {reason}.");

    private static string Sql(BinaryOperator op) => op switch
    {
        BinaryOperator.Eq => "=",
        BinaryOperator.Gt => ">",
        BinaryOperator.Ge => ">=",
        BinaryOperator.Lt => "<",
        _ => "<=",
    };

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Number => "number",
        Kind.String => "string",
        Kind.Boolean => "boolean",
        Kind.Time => "time",
        Kind.Geometry => "geometry",
        Kind.Json => "JSON value",
        Kind.Null => "null",
        _ => "duration",
    };

    private static string EntityType(SensorEntitySet set) => set switch
    {
        SensorEntitySet.Things => "Thing",
        SensorEntitySet.Locations => "Location",
        SensorEntitySet.HistoricalLocations => "HistoricalLocation",
        SensorEntitySet.Datastreams => "Datastream",
        SensorEntitySet.Sensors => "Sensor",
        SensorEntitySet.ObservedProperties => "ObservedProperty",
        SensorEntitySet.Observations => "Observation",
        SensorEntitySet.MultiDatastreams => "MultiDatastream",
        _ => "FeatureOfInterest",
    };

    private static long ParseInstant(string text, FilterExpression expression) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.ToUnixTimeMilliseconds()
            : throw TypeError(expression, $"'{text}' is not an ISO 8601 time");

    /// <summary>
    /// A fixed-length ISO 8601 duration (weeks, days, hours, minutes, seconds) in milliseconds. Years and months
    /// have no fixed length, so they are refused rather than approximated.
    /// </summary>
    private static long DurationMilliseconds(string iso)
    {
        var match = DurationPattern().Match(iso);
        if (!match.Success || match.Groups["y"].Success || match.Groups["mo"].Success)
        {
            throw new SensorQueryException($"$filter: duration'{iso}' is not supported: use weeks, days, hours, minutes and seconds (years and months have no fixed length).");
        }

        double Part(string group) => match.Groups[group].Success ? double.Parse(match.Groups[group].ValueSpan, CultureInfo.InvariantCulture) : 0;
        var ms = (((((Part("w") * 7) + Part("d")) * 24 + Part("h")) * 60 + Part("mi")) * 60 + Part("s")) * 1000;
        return (long)Math.Round(ms) * (match.Groups["neg"].Success ? -1 : 1);
    }

    [GeneratedRegex(@"^(?<neg>-)?P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex("^[TF012*]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex RelatePattern();

    private static byte[] Wkb(string wkt)
    {
        try
        {
            var geometry = new WKTReader().Read(wkt);

            // An invalid literal (a self-intersecting polygon) would make the spatial predicates answer
            // arbitrarily or fail row by row, so it is refused with the reason.
            var validity = new NetTopologySuite.Operation.Valid.IsValidOp(geometry);
            if (!validity.IsValid)
            {
                throw new SensorQueryException($"$filter: geography'{wkt}' is not a valid geometry: {validity.ValidationError.Message} at {validity.ValidationError.Coordinate}.");
            }

            return new WKBWriter().Write(geometry);
        }
        catch (ParseException e)
        {
            throw new SensorQueryException($"$filter: geography'{wkt}' is not valid WKT: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new SensorQueryException($"$filter: geography'{wkt}' is not a valid geometry: {e.Message}");
        }
    }

    /// <summary>A JSON path for <c>json_extract</c>, each key quoted, e.g. <c>$."a"."b"</c>.</summary>
    private static string JsonPath(IEnumerable<string> keys)
    {
        var path = new StringBuilder("$");
        foreach (var key in keys)
        {
            path.Append(".\"").Append(key.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }

        return path.ToString();
    }

    // ---- the data model ---------------------------------------------------------------------------------

    /// <summary>The SQL types a translated expression can have.</summary>
    private enum Kind
    {
        Number,
        String,
        Boolean,
        Time,
        Geometry,
        Json,
        Null,
        Duration,
    }

    /// <summary>
    /// A translated expression. A time carries its start in <see cref="Sql"/> and its end in <see cref="End"/>
    /// (the same text for an instant); a JSON value can be read as a number, string or boolean with <see cref="Typed"/>.
    /// </summary>
    private sealed record Value(Kind Kind, string Sql, string? End = null, Func<Kind, string>? Typed = null)
    {
        /// <summary>The same value with every SQL text wrapped, e.g. in a correlated subquery.</summary>
        public Value Map(Func<string, string> wrap) =>
            new(Kind, wrap(Sql), End is null ? null : End == Sql ? wrap(Sql) : wrap(End), Typed is null ? null : kind => wrap(Typed(kind)));
    }

    /// <summary>A row source in the SQL: its alias and entity set, and for Observations which kinds it holds.</summary>
    private sealed record Frame(string Alias, SensorEntitySet Set, ObservationRows Rows = ObservationRows.Both);

    /// <summary>
    /// The Observations of MultiDatastreams with the columns of <c>sta_observations</c> (no Datastream, no number)
    /// and their <c>multi_datastream_id</c> last. A simple subquery, which SQLite flattens into the query, so a read
    /// of one MultiDatastream's Observations still goes along the table's primary key.
    /// </summary>
    private const string MultiObservationRows =
        "(SELECT id, NULL AS datastream_id, feature_of_interest_id, phenomenon_start, phenomenon_end, result_time, NULL AS result, result_json, result_quality, valid_start, valid_end, parameters, multi_datastream_id FROM sta_multi_observations)";

    /// <summary>
    /// Both kinds of Observations, for a navigation through a filter (<c>FeaturesOfInterest?$filter=Observations/…</c>)
    /// or a look-up by id, where SQLite pushes the condition into each arm. A page of both kinds is not read from here but
    /// from a compound SELECT of two arms that each sort along their own index (<c>SqliteSensorStore.Translate</c>).
    /// </summary>
    private const string BothObservationRows =
        "(SELECT id, datastream_id, feature_of_interest_id, phenomenon_start, phenomenon_end, result_time, result, result_json, result_quality, valid_start, valid_end, parameters, NULL AS multi_datastream_id FROM sta_observations"
        + " UNION ALL SELECT id, NULL, feature_of_interest_id, phenomenon_start, phenomenon_end, result_time, NULL, result_json, result_quality, valid_start, valid_end, parameters, multi_datastream_id FROM sta_multi_observations)";

    /// <summary>The table or subquery a frame reads.</summary>
    private static string TableOf(Frame frame) => frame switch
    {
        { Set: SensorEntitySet.Observations, Rows: ObservationRows.OfDatastreams } => "sta_observations",
        { Set: SensorEntitySet.Observations, Rows: ObservationRows.OfMultiDatastreams } => MultiObservationRows,
        _ => s_model[frame.Set].Table,
    };

    /// <summary>A column of a frame's row; <c>sta_observations</c> has no <c>multi_datastream_id</c>, so there it is NULL.</summary>
    private static string ColumnOf(Frame frame, string column) =>
        frame is { Set: SensorEntitySet.Observations, Rows: ObservationRows.OfDatastreams } && column == "multi_datastream_id" ? "NULL" : $"{frame.Alias}.{column}";

    /// <summary>A path prefix ending in a to-many navigation, relative to <paramref name="Start"/>.</summary>
    private sealed record ToMany(Frame Start, string[] Prefix, string[] Navigations);

    /// <summary>Resolves a property on an alias; the rest of the path is for JSON members and unitOfMeasurement.</summary>
    private delegate Value PropertyResolver(string alias, string[] rest, PropertyPath path, SqliteFilterTranslator translator);

    /// <summary>
    /// A navigation property: its target set, whether it leads to many, and the join condition given the outer
    /// entity's columns (<c>outer("id")</c>) and the inner alias.
    /// </summary>
    private sealed record Navigation(SensorEntitySet Target, bool ToMany, Func<Func<string, string>, string, string> Condition, ObservationRows Rows = ObservationRows.Both);

    private sealed record SetModel(string Table, Dictionary<string, PropertyResolver> Properties, Dictionary<string, Navigation> Navigations);

    private static readonly Dictionary<SensorEntitySet, SetModel> s_model = BuildModel();

    private static Dictionary<SensorEntitySet, SetModel> BuildModel()
    {
        static PropertyResolver Id() => (alias, rest, path, _) => Leaf(rest, path, new Value(Kind.Number, $"{alias}.id"));
        static PropertyResolver Text(string column) => (alias, rest, path, _) => Leaf(rest, path, new Value(Kind.String, $"{alias}.{column}"));
        static PropertyResolver Geometry(string column) => (alias, rest, path, _) => Leaf(rest, path, new Value(Kind.Geometry, $"{alias}.{column}"));
        static PropertyResolver InstantColumn(string column) => (alias, rest, path, _) => Leaf(rest, path, Instant($"{alias}.{column}"));
        static PropertyResolver Interval(string start, string end) => (alias, rest, path, _) =>
            Leaf(rest, path, new Value(Kind.Time, $"{alias}.{start}", $"coalesce({alias}.{end}, {alias}.{start})"));
        static PropertyResolver Json(string column) => (alias, rest, path, translator) =>
        {
            var jsonPath = translator.Parameter(JsonPath(rest));
            var source = $"{alias}.{column}";
            return new Value(Kind.Json, $"json_extract({source}, {jsonPath})", null, kind => TypedJson(source, jsonPath, kind));
        };

        PropertyResolver unit = (alias, rest, path, _) => rest switch
        {
            ["name"] => new Value(Kind.String, $"{alias}.unit_name"),
            ["symbol"] => new Value(Kind.String, $"{alias}.unit_symbol"),
            ["definition"] => new Value(Kind.String, $"{alias}.unit_definition"),
            _ => throw new SensorQueryException($"'{path.Path}': unitOfMeasurement has the members name, symbol and definition."),
        };
        PropertyResolver result = (alias, rest, path, translator) =>
        {
            if (rest.Length > 0)
            {
                var jsonPath = translator.Parameter(JsonPath(rest));
                var member = $"{alias}.result_json";
                return new Value(Kind.Json, $"json_extract({member}, {jsonPath})", null, kind => TypedJson(member, jsonPath, kind));
            }

            // Numbers live in the REAL column, everything else as JSON text.
            var json = $"{alias}.result_json";
            return new Value(Kind.Json, $"coalesce({alias}.result, json_extract({json}, '$'))", null, kind => kind == Kind.Number
                ? $"{alias}.result"
                : TypedJson(json, "'$'", kind));
        };

        var things = new Dictionary<string, PropertyResolver>
        {
            ["id"] = Id(),
            ["name"] = Text("name"),
            ["description"] = Text("description"),
            ["properties"] = Json("properties"),
        };
        var locations = new Dictionary<string, PropertyResolver>
        {
            ["id"] = Id(),
            ["name"] = Text("name"),
            ["description"] = Text("description"),
            ["encodingType"] = Text("encoding_type"),
            ["location"] = Geometry("location"),
            ["properties"] = Json("properties"),
        };
        var historical = new Dictionary<string, PropertyResolver>
        {
            ["id"] = Id(),
            ["time"] = InstantColumn("time"),
        };
        var datastreams = new Dictionary<string, PropertyResolver>
        {
            ["id"] = Id(),
            ["name"] = Text("name"),
            ["description"] = Text("description"),
            ["unitOfMeasurement"] = unit,
            ["observationType"] = Text("observation_type"),
            ["observedArea"] = Geometry("observed_area"),
            ["phenomenonTime"] = Interval("phenomenon_start", "phenomenon_end"),
            ["resultTime"] = Interval("result_start", "result_end"),
            ["properties"] = Json("properties"),
        };
        var sensors = new Dictionary<string, PropertyResolver>
        {
            ["id"] = Id(),
            ["name"] = Text("name"),
            ["description"] = Text("description"),
            ["encodingType"] = Text("encoding_type"),
            ["metadata"] = Text("metadata"),
            ["properties"] = Json("properties"),
        };
        var observed = new Dictionary<string, PropertyResolver>
        {
            ["id"] = Id(),
            ["name"] = Text("name"),
            ["definition"] = Text("definition"),
            ["description"] = Text("description"),
            ["properties"] = Json("properties"),
        };
        var observations = new Dictionary<string, PropertyResolver>
        {
            ["id"] = Id(),
            ["phenomenonTime"] = Interval("phenomenon_start", "phenomenon_end"),
            ["resultTime"] = InstantColumn("result_time"),
            ["result"] = result,
            ["resultQuality"] = Json("result_quality"),
            ["validTime"] = Interval("valid_start", "valid_end"),
            ["parameters"] = Json("parameters"),
        };
        var multiDatastreams = new Dictionary<string, PropertyResolver>
        {
            ["id"] = Id(),
            ["name"] = Text("name"),
            ["description"] = Text("description"),
            ["unitOfMeasurements"] = Json("unit_of_measurements"),
            ["observationType"] = Text("observation_type"),
            ["multiObservationDataTypes"] = Json("multi_observation_data_types"),
            ["observedArea"] = Geometry("observed_area"),
            ["phenomenonTime"] = Interval("phenomenon_start", "phenomenon_end"),
            ["resultTime"] = Interval("result_start", "result_end"),
            ["properties"] = Json("properties"),
        };
        var features = new Dictionary<string, PropertyResolver>
        {
            ["id"] = Id(),
            ["name"] = Text("name"),
            ["description"] = Text("description"),
            ["encodingType"] = Text("encoding_type"),
            ["feature"] = Geometry("feature"),
            ["properties"] = Json("properties"),
        };

        return new Dictionary<SensorEntitySet, SetModel>
        {
            [SensorEntitySet.Things] = new("sta_things", things, new()
            {
                ["Locations"] = new(SensorEntitySet.Locations, true, (o, b) => $"{b}.id IN (SELECT location_id FROM sta_thing_locations WHERE thing_id = {o("id")})"),
                ["HistoricalLocations"] = new(SensorEntitySet.HistoricalLocations, true, (o, b) => $"{b}.thing_id = {o("id")}"),
                ["Datastreams"] = new(SensorEntitySet.Datastreams, true, (o, b) => $"{b}.thing_id = {o("id")}"),
                ["MultiDatastreams"] = new(SensorEntitySet.MultiDatastreams, true, (o, b) => $"{b}.thing_id = {o("id")}"),
            }),
            [SensorEntitySet.Locations] = new("sta_locations", locations, new()
            {
                ["Things"] = new(SensorEntitySet.Things, true, (o, b) => $"{b}.id IN (SELECT thing_id FROM sta_thing_locations WHERE location_id = {o("id")})"),
                ["HistoricalLocations"] = new(SensorEntitySet.HistoricalLocations, true, (o, b) => $"EXISTS (SELECT 1 FROM json_each({b}.location_ids) WHERE value = {o("id")})"),
            }),
            [SensorEntitySet.HistoricalLocations] = new("sta_historical_locations", historical, new()
            {
                ["Thing"] = new(SensorEntitySet.Things, false, (o, b) => $"{b}.id = {o("thing_id")}"),
                ["Locations"] = new(SensorEntitySet.Locations, true, (o, b) => $"{b}.id IN (SELECT value FROM json_each({o("location_ids")}))"),
            }),
            [SensorEntitySet.Datastreams] = new("sta_datastreams", datastreams, new()
            {
                ["Thing"] = new(SensorEntitySet.Things, false, (o, b) => $"{b}.id = {o("thing_id")}"),
                ["Sensor"] = new(SensorEntitySet.Sensors, false, (o, b) => $"{b}.id = {o("sensor_id")}"),
                ["ObservedProperty"] = new(SensorEntitySet.ObservedProperties, false, (o, b) => $"{b}.id = {o("observed_property_id")}"),
                ["Observations"] = new(SensorEntitySet.Observations, true, (o, b) => $"{b}.datastream_id = {o("id")}", ObservationRows.OfDatastreams),
            }),
            [SensorEntitySet.Sensors] = new("sta_sensors", sensors, new()
            {
                ["Datastreams"] = new(SensorEntitySet.Datastreams, true, (o, b) => $"{b}.sensor_id = {o("id")}"),
                ["MultiDatastreams"] = new(SensorEntitySet.MultiDatastreams, true, (o, b) => $"{b}.sensor_id = {o("id")}"),
            }),
            [SensorEntitySet.ObservedProperties] = new("sta_observed_properties", observed, new()
            {
                ["Datastreams"] = new(SensorEntitySet.Datastreams, true, (o, b) => $"{b}.observed_property_id = {o("id")}"),
                ["MultiDatastreams"] = new(SensorEntitySet.MultiDatastreams, true, (o, b) => $"{b}.id IN (SELECT multi_datastream_id FROM sta_multi_datastream_observed_properties WHERE observed_property_id = {o("id")})"),
            }),
            [SensorEntitySet.Observations] = new(BothObservationRows, observations, new()
            {
                ["Datastream"] = new(SensorEntitySet.Datastreams, false, (o, b) => $"{b}.id = {o("datastream_id")}"),
                ["MultiDatastream"] = new(SensorEntitySet.MultiDatastreams, false, (o, b) => $"{b}.id = {o("multi_datastream_id")}"),
                ["FeatureOfInterest"] = new(SensorEntitySet.FeaturesOfInterest, false, (o, b) => $"{b}.id = {o("feature_of_interest_id")}"),
            }),
            [SensorEntitySet.FeaturesOfInterest] = new("sta_features_of_interest", features, new()
            {
                ["Observations"] = new(SensorEntitySet.Observations, true, (o, b) => $"{b}.feature_of_interest_id = {o("id")}"),
            }),

            // The MultiDatastream extension.
            [SensorEntitySet.MultiDatastreams] = new("sta_multi_datastreams", multiDatastreams, new()
            {
                ["Observations"] = new(SensorEntitySet.Observations, true, (o, b) => $"{b}.multi_datastream_id = {o("id")}", ObservationRows.OfMultiDatastreams),
                ["Thing"] = new(SensorEntitySet.Things, false, (o, b) => $"{b}.id = {o("thing_id")}"),
                ["Sensor"] = new(SensorEntitySet.Sensors, false, (o, b) => $"{b}.id = {o("sensor_id")}"),
                ["ObservedProperties"] = new(SensorEntitySet.ObservedProperties, true, (o, b) => $"{b}.id IN (SELECT observed_property_id FROM sta_multi_datastream_observed_properties WHERE multi_datastream_id = {o("id")})"),
            }),
        };
    }

    /// <summary>A plain property has no members: <c>name/x</c> is an unknown property.</summary>
    private static Value Leaf(string[] rest, PropertyPath path, Value value) =>
        rest.Length == 0 ? value : throw new SensorQueryException($"'{path.Path}': '{rest[0]}' is not a member of a property that has no members.");

    /// <summary>The JSON member as a number, string or boolean (1/0), or null when it holds another type.</summary>
    private static string TypedJson(string source, string path, Kind kind) => kind switch
    {
        Kind.Number => $"(CASE WHEN json_type({source}, {path}) IN ('integer', 'real') THEN json_extract({source}, {path}) END)",
        Kind.String => $"(CASE WHEN json_type({source}, {path}) = 'text' THEN json_extract({source}, {path}) END)",
        _ => $"(CASE WHEN json_type({source}, {path}) IN ('true', 'false') THEN json_extract({source}, {path}) END)",
    };
}

/// <summary>Which Observations a row source of the Observations set holds.</summary>
internal enum ObservationRows
{
    /// <summary>Both kinds: <c>Observations</c>, <c>FeaturesOfInterest(id)/Observations</c>, a look-up by id.</summary>
    Both,

    /// <summary>Those of Datastreams only (<c>sta_observations</c>).</summary>
    OfDatastreams,

    /// <summary>Those of MultiDatastreams only (<c>sta_multi_observations</c>).</summary>
    OfMultiDatastreams,
}
