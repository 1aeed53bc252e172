using System.Globalization;
using System.Text;

namespace Tweeling.Domain.Sensors.Query;

/// <summary>
/// A node of a parsed <c>$filter</c> (or <c>$orderby</c>) expression. It lives in the domain so that each
/// storage adapter can translate it into its own query language; evaluation is up to that adapter.
/// </summary>
/// <remarks>
/// Two printed forms exist. <see cref="ToString"/> writes a fully parenthesised prefix form such as
/// <c>(eq (substring name 4 3) 'g 4')</c>: one spelling per tree, so tests and logs compare trees as text.
/// <see cref="ToQueryText"/> writes the tree back as STA filter text with only the parentheses precedence
/// needs, which parses to an equal tree and never nests deeper than the text the tree was parsed from (so it
/// stays within the parser's limits); endpoints use it to carry options into <c>@iot.nextLink</c>.
/// </remarks>
public abstract record FilterExpression
{
    private protected FilterExpression()
    {
    }

    /// <summary>
    /// The height of the tree below and including this node. The parser caps it so that evaluators and
    /// printers, which recurse, never meet a tree deep enough to overflow the stack.
    /// </summary>
    internal abstract int Height { get; }

    /// <summary>How tightly the node binds when written as filter text: 1 for <c>or</c> up to 8 for literals, paths and calls.</summary>
    internal virtual int Precedence => 8;

    /// <summary>The canonical, fully parenthesised prefix form, e.g. <c>(and (eq a 1) (not b))</c>.</summary>
    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        WriteCanonical(builder);
        return builder.ToString();
    }

    /// <summary>The expression as STA filter text with the parentheses it needs, e.g. <c>a eq 1 and not b</c>.</summary>
    public string ToQueryText()
    {
        var builder = new StringBuilder();
        WriteQuery(builder);
        return builder.ToString();
    }

    internal abstract void WriteCanonical(StringBuilder builder);

    /// <summary>Literals and paths are spelt the same in both forms; operators and calls override this.</summary>
    internal virtual void WriteQuery(StringBuilder builder) => WriteCanonical(builder);

    /// <summary>Writes an operand, in parentheses if it binds looser than <paramref name="minimum"/>.</summary>
    private protected static void WriteOperand(StringBuilder builder, FilterExpression operand, int minimum)
    {
        if (operand.Precedence >= minimum)
        {
            operand.WriteQuery(builder);
            return;
        }

        builder.Append('(');
        operand.WriteQuery(builder);
        builder.Append(')');
    }

    private protected static void WriteQuoted(StringBuilder builder, string value) =>
        builder.Append('\'').Append(value.Replace("'", "''", StringComparison.Ordinal)).Append('\'');

    private protected static void WriteInstant(StringBuilder builder, DateTimeOffset value) =>
        builder.Append(value.Offset == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
}

/// <summary>A string literal, <c>'O''Brien'</c> in the text; <see cref="Value"/> holds it unescaped.</summary>
/// <param name="Value">The string without quotes, doubled quotes undone.</param>
public sealed record StringLiteral(string Value) : FilterExpression
{
    internal override int Height => 1;

    internal override void WriteCanonical(StringBuilder builder) => WriteQuoted(builder, Value);
}

/// <summary>An integer literal that fits in 64 bits; larger integers become <see cref="DoubleLiteral"/>.</summary>
/// <param name="Value">The value, sign included (<c>-5</c> is one literal, not a negation).</param>
public sealed record IntegerLiteral(long Value) : FilterExpression
{
    internal override int Height => 1;

    internal override void WriteCanonical(StringBuilder builder) => builder.Append(Value.ToString(CultureInfo.InvariantCulture));
}

/// <summary>A decimal or exponent literal such as <c>1.5</c> or <c>2e3</c>; always finite.</summary>
/// <param name="Value">The value, sign included.</param>
public sealed record DoubleLiteral(double Value) : FilterExpression
{
    internal override int Height => 1;

    /// <summary>Always written with a point or exponent so that it reads back as a double, not an integer.</summary>
    internal override void WriteCanonical(StringBuilder builder)
    {
        var text = Value.ToString("R", CultureInfo.InvariantCulture);
        builder.Append(text);
        if (text.AsSpan().IndexOfAny('.', 'E') < 0)
        {
            builder.Append(".0");
        }
    }
}

/// <summary>The literal <c>true</c> or <c>false</c>.</summary>
/// <param name="Value">The value.</param>
public sealed record BooleanLiteral(bool Value) : FilterExpression
{
    internal override int Height => 1;

    internal override void WriteCanonical(StringBuilder builder) => builder.Append(Value ? "true" : "false");
}

/// <summary>The literal <c>null</c>.</summary>
public sealed record NullLiteral : FilterExpression
{
    private NullLiteral()
    {
    }

    /// <summary>The only instance; <c>null</c> carries no data.</summary>
    public static NullLiteral Instance { get; } = new();

    internal override int Height => 1;

    internal override void WriteCanonical(StringBuilder builder) => builder.Append("null");
}

/// <summary>
/// An unquoted ISO 8601 time such as <c>2024-01-01T00:00:00Z</c>. A time without offset is taken as UTC,
/// as FROST-Server does; a date alone is midnight UTC.
/// </summary>
/// <param name="Value">The instant, with the offset it was written with.</param>
public sealed record InstantLiteral(DateTimeOffset Value) : FilterExpression
{
    internal override int Height => 1;

    internal override void WriteCanonical(StringBuilder builder) => WriteInstant(builder, Value);
}

/// <summary>An ISO 8601 interval <c>start/end</c>, used for <c>phenomenonTime</c> and <c>validTime</c>; start is not after end.</summary>
/// <param name="Start">The start instant.</param>
/// <param name="End">The end instant.</param>
public sealed record IntervalLiteral(DateTimeOffset Start, DateTimeOffset End) : FilterExpression
{
    internal override int Height => 1;

    internal override void WriteCanonical(StringBuilder builder)
    {
        WriteInstant(builder, Start);
        builder.Append('/');
        WriteInstant(builder, End);
    }
}

/// <summary>
/// A duration literal <c>duration'P1DT2H'</c> (a FROST-Server extension). It is kept as validated ISO 8601
/// text because months and years have no fixed length: only the evaluator, knowing the instant it is added
/// to, can turn it into time.
/// </summary>
/// <param name="Iso8601">The duration text between the quotes, e.g. <c>P1DT2H</c>.</param>
public sealed record DurationLiteral(string Iso8601) : FilterExpression
{
    internal override int Height => 1;

    internal override void WriteCanonical(StringBuilder builder)
    {
        builder.Append("duration");
        WriteQuoted(builder, Iso8601);
    }
}

/// <summary>
/// A geography literal <c>geography'POINT(4.6 51.8)'</c>. The WKT is kept as text: parsing geometry belongs to
/// the evaluator, which knows the CRS (WGS 84 longitude/latitude) and the geometry library in use.
/// </summary>
/// <param name="Wkt">The well-known text between the quotes.</param>
public sealed record GeographyLiteral(string Wkt) : FilterExpression
{
    internal override int Height => 1;

    internal override void WriteCanonical(StringBuilder builder)
    {
        builder.Append("geography");
        WriteQuoted(builder, Wkt);
    }
}

/// <summary>
/// A property or navigation path such as <c>result</c>, <c>Datastream/name</c> or <c>properties/owner</c>.
/// Which segments exist is decided by the evaluator against the data model, not by the parser.
/// </summary>
/// <param name="Path">The segments joined by <c>/</c>; a string so that paths compare by value.</param>
public sealed record PropertyPath(string Path) : FilterExpression
{
    /// <summary>The path's segments, e.g. <c>["Datastream", "name"]</c>.</summary>
    public IReadOnlyList<string> Segments => Path.Split('/');

    internal override int Height => 1;

    internal override void WriteCanonical(StringBuilder builder) => builder.Append(Path);
}

/// <summary>The binary operators of STA <c>$filter</c>.</summary>
public enum BinaryOperator
{
    /// <summary><c>eq</c>, equal.</summary>
    Eq,

    /// <summary><c>ne</c>, not equal.</summary>
    Ne,

    /// <summary><c>gt</c>, greater than.</summary>
    Gt,

    /// <summary><c>ge</c>, greater than or equal.</summary>
    Ge,

    /// <summary><c>lt</c>, less than.</summary>
    Lt,

    /// <summary><c>le</c>, less than or equal.</summary>
    Le,

    /// <summary><c>and</c>, logical and.</summary>
    And,

    /// <summary><c>or</c>, logical or.</summary>
    Or,

    /// <summary><c>add</c>, addition.</summary>
    Add,

    /// <summary><c>sub</c>, subtraction.</summary>
    Sub,

    /// <summary><c>mul</c>, multiplication.</summary>
    Mul,

    /// <summary><c>div</c>, division.</summary>
    Div,

    /// <summary><c>mod</c>, remainder.</summary>
    Mod,
}

/// <summary>The unary operators of STA <c>$filter</c>.</summary>
public enum UnaryOperator
{
    /// <summary><c>not</c>, logical negation.</summary>
    Not,

    /// <summary><c>-</c>, arithmetic negation (of anything but a number literal, which carries its own sign).</summary>
    Negate,
}

/// <summary>A binary operation such as <c>a add b</c>.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
public sealed record BinaryExpression(BinaryOperator Operator, FilterExpression Left, FilterExpression Right) : FilterExpression
{
    internal override int Height { get; } = 1 + Math.Max(Left.Height, Right.Height);

    internal override int Precedence => Operator switch
    {
        BinaryOperator.Or => 1,
        BinaryOperator.And => 2,
        BinaryOperator.Add or BinaryOperator.Sub => 5,
        BinaryOperator.Mul or BinaryOperator.Div or BinaryOperator.Mod => 6,
        _ => 4,
    };

    /// <summary>The operator as written in filter text, e.g. <c>eq</c>.</summary>
    public static string Keyword(BinaryOperator op) => op switch
    {
        BinaryOperator.Eq => "eq",
        BinaryOperator.Ne => "ne",
        BinaryOperator.Gt => "gt",
        BinaryOperator.Ge => "ge",
        BinaryOperator.Lt => "lt",
        BinaryOperator.Le => "le",
        BinaryOperator.And => "and",
        BinaryOperator.Or => "or",
        BinaryOperator.Add => "add",
        BinaryOperator.Sub => "sub",
        BinaryOperator.Mul => "mul",
        BinaryOperator.Div => "div",
        BinaryOperator.Mod => "mod",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    internal override void WriteCanonical(StringBuilder builder)
    {
        builder.Append('(').Append(Keyword(Operator)).Append(' ');
        Left.WriteCanonical(builder);
        builder.Append(' ');
        Right.WriteCanonical(builder);
        builder.Append(')');
    }

    /// <summary>Operators associate to the left, so a right operand of equal precedence needs parentheses.</summary>
    internal override void WriteQuery(StringBuilder builder)
    {
        WriteOperand(builder, Left, Precedence);
        builder.Append(' ').Append(Keyword(Operator)).Append(' ');
        WriteOperand(builder, Right, Precedence + 1);
    }
}

/// <summary>A unary operation: <c>not a</c> or <c>-a</c>.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Operand">The operand.</param>
public sealed record UnaryExpression(UnaryOperator Operator, FilterExpression Operand) : FilterExpression
{
    internal override int Height { get; } = 1 + Operand.Height;

    internal override int Precedence => Operator == UnaryOperator.Not ? 3 : 7;

    internal override void WriteCanonical(StringBuilder builder)
    {
        builder.Append(Operator == UnaryOperator.Not ? "(not " : "(neg ");
        Operand.WriteCanonical(builder);
        builder.Append(')');
    }

    /// <summary>
    /// A minus directly before a number would be read as the number's sign, so a negated non-negative number
    /// is written <c>-(5)</c>, and a negated negative one <c>- -5</c>.
    /// </summary>
    internal override void WriteQuery(StringBuilder builder)
    {
        if (Operator == UnaryOperator.Not)
        {
            builder.Append("not ");
            WriteOperand(builder, Operand, Precedence);
            return;
        }

        if (Operand is IntegerLiteral { Value: < 0 } || (Operand is DoubleLiteral real && double.IsNegative(real.Value)))
        {
            builder.Append("- ");
            Operand.WriteQuery(builder);
        }
        else if (Operand is IntegerLiteral or DoubleLiteral)
        {
            builder.Append("-(");
            Operand.WriteQuery(builder);
            builder.Append(')');
        }
        else
        {
            builder.Append('-');
            WriteOperand(builder, Operand, Precedence);
        }
    }
}

/// <summary>A call of one of <see cref="FilterFunctions.Known"/>, with an argument count the table allows.</summary>
/// <param name="Name">The function name, e.g. <c>st_within</c>.</param>
/// <param name="Arguments">The arguments in order.</param>
public sealed record FunctionCall(string Name, IReadOnlyList<FilterExpression> Arguments) : FilterExpression
{
    internal override int Height { get; } = 1 + Arguments.Select(a => a.Height).DefaultIfEmpty(0).Max();

    /// <summary>Compares the arguments element by element; a record would compare the list's reference.</summary>
    public bool Equals(FunctionCall? other) =>
        other is not null && Name == other.Name && Arguments.SequenceEqual(other.Arguments);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        foreach (var argument in Arguments)
        {
            hash.Add(argument);
        }

        return hash.ToHashCode();
    }

    internal override void WriteCanonical(StringBuilder builder)
    {
        builder.Append('(').Append(Name);
        foreach (var argument in Arguments)
        {
            builder.Append(' ');
            argument.WriteCanonical(builder);
        }

        builder.Append(')');
    }

    internal override void WriteQuery(StringBuilder builder)
    {
        builder.Append(Name).Append('(');
        for (var i = 0; i < Arguments.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            Arguments[i].WriteQuery(builder);
        }

        builder.Append(')');
    }
}
