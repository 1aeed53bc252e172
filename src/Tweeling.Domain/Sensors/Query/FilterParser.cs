using System.Globalization;
using System.Text.RegularExpressions;

namespace Tweeling.Domain.Sensors.Query;

/// <summary>
/// Parses SensorThings API 1.1 <c>$filter</c> text into a <see cref="FilterExpression"/>.
/// </summary>
/// <remarks>
/// <para>
/// Hand-written because the STA dialect is not OData's: <c>geography'…'</c> literals, <c>st_*</c> functions and
/// unquoted ISO 8601 times are outside what OData libraries parse.
/// </para>
/// <para>
/// Precedence, loosest first: <c>or</c>, <c>and</c>, <c>not</c>, comparison (<c>eq ne gt ge lt le</c>),
/// <c>add sub</c>, <c>mul div mod</c>, unary <c>-</c>. Binary operators associate to the left. <c>not</c> binds
/// looser than comparison (as in SQL and CQL2) so that <c>not a eq b</c> means <c>not (a eq b)</c>; OData's
/// table, which ranks it with unary minus, would make that <c>(not a) eq b</c>, never what a user means.
/// </para>
/// <para>
/// Robustness: the value is capped at <see cref="MaxLength"/> characters, parentheses, calls and unary
/// operators at <see cref="MaxNestingDepth"/> levels, and the tree at <see cref="MaxTreeHeight"/> levels, so
/// parsing is linear in the input, never overflows the stack, and throws nothing but
/// <see cref="QueryOptionException"/>.
/// </para>
/// </remarks>
public static partial class FilterParser
{
    /// <summary>The longest option value accepted, in characters (16 KiB): far above any hand-written filter, far below a denial of service.</summary>
    public const int MaxLength = 16 * 1024;

    /// <summary>How deeply parentheses, function calls and unary operators may nest.</summary>
    public const int MaxNestingDepth = 64;

    /// <summary>
    /// How tall the tree may grow. Higher than <see cref="MaxNestingDepth"/> because a flat list such as
    /// <c>id eq 1 or id eq 2 or …</c> builds a tall left-leaning tree without any nesting in the text.
    /// </summary>
    public const int MaxTreeHeight = 256;

    /// <summary>Parses a <c>$filter</c> value (already URL-decoded).</summary>
    /// <param name="text">The filter text, e.g. <c>result gt 20 and phenomenonTime ge 2024-01-01T00:00:00Z</c>.</param>
    /// <returns>The expression tree.</returns>
    /// <exception cref="QueryOptionException">The text is not a valid filter (kind <see cref="QueryOptionErrorKind.BadRequest"/>).</exception>
    public static FilterExpression Parse(string text) => Parse(text, OptionContext.TopLevel("$filter"));

    internal static FilterExpression Parse(string text, OptionContext context)
    {
        var reader = Open(text, context);
        var expression = reader.ParseExpression();
        reader.ExpectEnd();
        return expression;
    }

    internal static IReadOnlyList<OrderByItem> ParseOrderBy(string text, OptionContext context)
    {
        var reader = Open(text, context);
        var items = new List<OrderByItem>();
        do
        {
            var expression = reader.ParseExpression();
            var descending = reader.TakeKeyword("desc");
            if (!descending)
            {
                reader.TakeKeyword("asc");
            }

            items.Add(new OrderByItem(expression, descending ? SortDirection.Descending : SortDirection.Ascending));
        }
        while (reader.TakeComma());

        reader.ExpectEnd();
        return items;
    }

    internal static IReadOnlyList<string> ParseSelect(string text, OptionContext context)
    {
        var reader = Open(text, context);
        var items = new List<string>();
        do
        {
            items.Add(reader.ParsePath());
        }
        while (reader.TakeComma());

        reader.ExpectEnd();
        return items;
    }

    private static Reader Open(string text, OptionContext context)
    {
        if (text.Length > MaxLength)
        {
            throw context.BadRequest($"longer than {MaxLength} characters");
        }

        return new Reader(text, context);
    }

    [GeneratedRegex(@"^P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDuration();

    /// <summary>Recursive descent over one option value, one token of look-ahead.</summary>
    private sealed class Reader
    {
        private static readonly string[] s_dateTimeFormats =
        [
            "yyyy-MM-dd",
            "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mmzzz",
            "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:sszzz",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        ];

        private static readonly HashSet<string> s_reserved = new(StringComparer.Ordinal)
        {
            "and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le", "add", "sub", "mul", "div", "mod",
        };

        private readonly string _text;
        private readonly OptionContext _context;
        private readonly FilterLexer _lexer;
        private Token _current;
        private int _depth;

        public Reader(string text, OptionContext context)
        {
            _text = text;
            _context = context;
            _lexer = new FilterLexer(text, context);
            _current = _lexer.Next();
        }

        public FilterExpression ParseExpression()
        {
            var left = ParseAnd();
            while (IsKeyword("or"))
            {
                var at = Advance();
                left = Checked(new BinaryExpression(BinaryOperator.Or, left, ParseAnd()), at);
            }

            return left;
        }

        public void ExpectEnd()
        {
            if (_current.Kind != TokenKind.End)
            {
                throw _context.BadRequest($"unexpected {Describe(_current)} after the end of the expression", _current.Start);
            }
        }

        public bool TakeKeyword(string keyword)
        {
            if (!IsKeyword(keyword))
            {
                return false;
            }

            Advance();
            return true;
        }

        public bool TakeComma()
        {
            if (_current.Kind != TokenKind.Comma)
            {
                return false;
            }

            Advance();
            return true;
        }

        public string ParsePath()
        {
            var start = Expect(TokenKind.Identifier, "a property name");
            var end = start.Start + start.Length;
            while (_current.Kind == TokenKind.Slash)
            {
                Advance();
                var segment = Expect(TokenKind.Identifier, "a property name after '/'");
                if (s_reserved.Contains(_text.Substring(segment.Start, segment.Length)))
                {
                    // Spaces around '/' are allowed, so without this "Datastream/ eq 1" would read 'eq' as a property.
                    throw _context.BadRequest($"expected a property name after '/' but found the operator '{_text.Substring(segment.Start, segment.Length)}'", segment.Start);
                }

                end = segment.Start + segment.Length;
            }

            // Spaces around '/' are tolerated but not kept: the path is rebuilt from its segments.
            return string.Join('/', _text[start.Start..end].Split('/').Select(s => s.Trim()));
        }

        private FilterExpression ParseAnd()
        {
            var left = ParseNot();
            while (IsKeyword("and"))
            {
                var at = Advance();
                left = Checked(new BinaryExpression(BinaryOperator.And, left, ParseNot()), at);
            }

            return left;
        }

        private FilterExpression ParseNot()
        {
            if (!IsKeyword("not"))
            {
                return ParseComparison();
            }

            var at = Advance();
            Enter(at);
            var operand = ParseNot();
            _depth--;
            return Checked(new UnaryExpression(UnaryOperator.Not, operand), at);
        }

        private FilterExpression ParseComparison()
        {
            var left = ParseAdditive();
            while (true)
            {
                BinaryOperator op;
                if (IsKeyword("eq")) { op = BinaryOperator.Eq; }
                else if (IsKeyword("ne")) { op = BinaryOperator.Ne; }
                else if (IsKeyword("gt")) { op = BinaryOperator.Gt; }
                else if (IsKeyword("ge")) { op = BinaryOperator.Ge; }
                else if (IsKeyword("lt")) { op = BinaryOperator.Lt; }
                else if (IsKeyword("le")) { op = BinaryOperator.Le; }
                else { return left; }

                var at = Advance();
                left = Checked(new BinaryExpression(op, left, ParseAdditive()), at);
            }
        }

        private FilterExpression ParseAdditive()
        {
            var left = ParseMultiplicative();
            while (true)
            {
                BinaryOperator op;
                if (IsKeyword("add")) { op = BinaryOperator.Add; }
                else if (IsKeyword("sub")) { op = BinaryOperator.Sub; }
                else { return left; }

                var at = Advance();
                left = Checked(new BinaryExpression(op, left, ParseMultiplicative()), at);
            }
        }

        private FilterExpression ParseMultiplicative()
        {
            var left = ParseUnary();
            while (true)
            {
                BinaryOperator op;
                if (IsKeyword("mul")) { op = BinaryOperator.Mul; }
                else if (IsKeyword("div")) { op = BinaryOperator.Div; }
                else if (IsKeyword("mod")) { op = BinaryOperator.Mod; }
                else { return left; }

                var at = Advance();
                left = Checked(new BinaryExpression(op, left, ParseUnary()), at);
            }
        }

        /// <summary>A minus directly before a number is the number's sign, so <c>-9223372036854775808</c> fits a long.</summary>
        private FilterExpression ParseUnary()
        {
            if (_current.Kind != TokenKind.Minus)
            {
                return ParsePrimary();
            }

            var at = Advance();
            if (_current.Kind == TokenKind.Number)
            {
                var number = _current;
                Advance();
                return Number(number, negative: true);
            }

            Enter(at);
            var operand = ParseUnary();
            _depth--;
            return Checked(new UnaryExpression(UnaryOperator.Negate, operand), at);
        }

        private FilterExpression ParsePrimary()
        {
            var token = _current;
            switch (token.Kind)
            {
                case TokenKind.LeftParen:
                    Advance();
                    Enter(token.Start);
                    var inner = ParseExpression();
                    Expect(TokenKind.RightParen, "')'");
                    _depth--;
                    return inner;
                case TokenKind.String:
                    Advance();
                    return new StringLiteral(Unquote(token.Start, token.Length));
                case TokenKind.Number:
                    Advance();
                    return Number(token, negative: false);
                case TokenKind.DateTime:
                    Advance();
                    return DateTimeLiteral(token);
                case TokenKind.TypedLiteral:
                    Advance();
                    return TypedLiteral(token);
                case TokenKind.Identifier:
                    return ParseName(token);
                default:
                    throw _context.BadRequest($"expected an expression but found {Describe(token)}", token.Start);
            }
        }

        private FilterExpression ParseName(Token token)
        {
            var name = _text.Substring(token.Start, token.Length);
            switch (name)
            {
                case "true":
                    Advance();
                    return new BooleanLiteral(true);
                case "false":
                    Advance();
                    return new BooleanLiteral(false);
                case "null":
                    Advance();
                    return NullLiteral.Instance;
            }

            if (s_reserved.Contains(name))
            {
                throw _context.BadRequest($"expected an expression but found the operator '{name}'", token.Start);
            }

            var path = ParsePath();
            if (_current.Kind != TokenKind.LeftParen)
            {
                return new PropertyPath(path);
            }

            if (!FilterFunctions.Known.TryGetValue(path, out var arity))
            {
                throw _context.BadRequest($"unknown function '{Shorten(path)}'", token.Start);
            }

            Enter(_current.Start);
            Advance();
            var arguments = new List<FilterExpression>();
            if (_current.Kind != TokenKind.RightParen)
            {
                do
                {
                    arguments.Add(ParseExpression());
                }
                while (TakeComma());
            }

            Expect(TokenKind.RightParen, "',' or ')'");
            _depth--;
            if (arguments.Count < arity.Min || arguments.Count > arity.Max)
            {
                var expected = arity.Min == arity.Max ? $"{arity.Min}" : $"{arity.Min} or {arity.Max}";
                var noun = arity.Max == 1 ? "argument" : "arguments";
                throw _context.BadRequest($"function '{path}' takes {expected} {noun}, not {arguments.Count}", token.Start);
            }

            return Checked(new FunctionCall(path, arguments), token.Start);
        }

        private FilterExpression Number(Token token, bool negative)
        {
            var digits = _text.AsSpan(token.Start, token.Length);
            var text = negative ? string.Concat("-", digits) : digits.ToString();
            if (digits.IndexOfAny('.', 'e', 'E') < 0 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return new IntegerLiteral(integer);
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
            {
                return new DoubleLiteral(real);
            }

            throw _context.BadRequest($"number '{Shorten(text)}' is out of range", token.Start);
        }

        private FilterExpression DateTimeLiteral(Token token)
        {
            var text = _text.AsSpan(token.Start, token.Length);
            var slash = text.IndexOf('/');
            if (slash < 0)
            {
                return new InstantLiteral(Instant(text, token.Start));
            }

            var start = Instant(text[..slash], token.Start);
            var end = Instant(text[(slash + 1)..], token.Start + slash + 1);
            if (end < start)
            {
                throw _context.BadRequest("interval ends before it starts", token.Start);
            }

            return new IntervalLiteral(start, end);
        }

        private DateTimeOffset Instant(ReadOnlySpan<char> text, int position) =>
            DateTimeOffset.TryParseExact(text, s_dateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value
                : throw _context.BadRequest($"'{Shorten(text.ToString())}' is not an ISO 8601 date or time", position);

        private FilterExpression TypedLiteral(Token token)
        {
            var quote = _text.IndexOf('\'', token.Start);
            var prefix = _text[token.Start..quote];
            var content = Unquote(quote, token.Start + token.Length - quote);
            switch (prefix)
            {
                case "geography":
                    return string.IsNullOrWhiteSpace(content)
                        ? throw _context.BadRequest("empty geography literal", token.Start)
                        : new GeographyLiteral(content);
                case "duration":
                    return IsoDuration().IsMatch(content)
                        ? new DurationLiteral(content)
                        : throw _context.BadRequest($"'{Shorten(content)}' is not an ISO 8601 duration", token.Start);
                default:
                    throw _context.BadRequest($"unknown literal type '{Shorten(prefix)}' (expected geography or duration)", token.Start);
            }
        }

        private string Unquote(int start, int length) =>
            _text.Substring(start + 1, length - 2).Replace("''", "'", StringComparison.Ordinal);

        private FilterExpression Checked(FilterExpression expression, int position) =>
            expression.Height > MaxTreeHeight
                ? throw _context.BadRequest($"expression is more than {MaxTreeHeight} levels deep", position)
                : expression;

        private void Enter(int position)
        {
            if (++_depth > MaxNestingDepth)
            {
                throw _context.BadRequest($"nested more than {MaxNestingDepth} levels deep", position);
            }
        }

        private bool IsKeyword(string keyword) =>
            _current.Kind == TokenKind.Identifier && _text.AsSpan(_current.Start, _current.Length).SequenceEqual(keyword);

        /// <summary>Moves to the next token and returns the position of the one left behind.</summary>
        private int Advance()
        {
            var position = _current.Start;
            _current = _lexer.Next();
            return position;
        }

        private Token Expect(TokenKind kind, string what)
        {
            var token = _current;
            if (token.Kind != kind)
            {
                throw _context.BadRequest($"expected {what} but found {Describe(token)}", token.Start);
            }

            _current = _lexer.Next();
            return token;
        }

        private string Describe(Token token) =>
            token.Kind == TokenKind.End ? "end of input" : $"'{Shorten(_text.Substring(token.Start, token.Length))}'";

        private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
    }
}
