namespace Tweeling.Domain.Sensors.Query;

/// <summary>The kinds of token in STA filter text.</summary>
internal enum TokenKind
{
    End,
    Identifier,
    String,
    Number,
    DateTime,
    TypedLiteral,
    LeftParen,
    RightParen,
    Comma,
    Slash,
    Minus,
}

/// <summary>A token: its kind and where it is in the text; values are decoded by the parser, which knows the sign.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int Length);

/// <summary>
/// Splits filter text into tokens, one at a time, in a single forward pass (so lexing is linear in the input).
/// </summary>
/// <remarks>
/// Three STA specifics shape it: unquoted ISO 8601 times (<c>2024-01-01T00:00:00Z</c>, recognised by four digits
/// and a dash, and taken whole with any <c>/end</c> of an interval), typed literals written as a name
/// immediately followed by a quote (<c>geography'…'</c>, <c>duration'…'</c>), and dotted function names
/// (<c>geo.distance</c>), which are identifiers.
/// </remarks>
internal sealed class FilterLexer(string text, OptionContext context)
{
    private int _position;

    public Token Next()
    {
        while (_position < text.Length && text[_position] is ' ' or '\t' or '\r' or '\n')
        {
            _position++;
        }

        var start = _position;
        if (start >= text.Length)
        {
            return new Token(TokenKind.End, start, 0);
        }

        var c = text[start];
        switch (c)
        {
            case '(':
                return Single(TokenKind.LeftParen);
            case ')':
                return Single(TokenKind.RightParen);
            case ',':
                return Single(TokenKind.Comma);
            case '/':
                return Single(TokenKind.Slash);
            case '-':
                return Single(TokenKind.Minus);
            case '\'':
                SkipQuoted();
                return new Token(TokenKind.String, start, _position - start);
        }

        if (char.IsAsciiDigit(c))
        {
            return IsDateTimeAhead() ? ScanDateTime() : ScanNumber();
        }

        if (IsIdentifierStart(c))
        {
            while (_position < text.Length && IsIdentifierPart(text[_position]))
            {
                _position++;
            }

            if (_position < text.Length && text[_position] == '\'')
            {
                SkipQuoted();
                return new Token(TokenKind.TypedLiteral, start, _position - start);
            }

            return new Token(TokenKind.Identifier, start, _position - start);
        }

        throw context.BadRequest($"unexpected character {Describe(c)}", start);
    }

    /// <summary>Letters, <c>_</c> and <c>@</c> (for <c>@iot.id</c>) start a name.</summary>
    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '@';

    /// <summary>Names continue with letters, digits, <c>_</c>, <c>@</c> and <c>.</c> (for <c>geo.distance</c>, <c>@iot.id</c>).</summary>
    public static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '.';

    /// <summary>A character for a message: printable ASCII quoted, anything else as its code point.</summary>
    public static string Describe(char c) => c is >= ' ' and <= '~' ? $"'{c}'" : $"U+{(int)c:X4}";

    private Token Single(TokenKind kind)
    {
        _position++;
        return new Token(kind, _position - 1, 1);
    }

    /// <summary>Skips a quoted string from its opening quote; a doubled quote is an escaped quote.</summary>
    private void SkipQuoted()
    {
        var open = text.IndexOf('\'', _position);
        var i = open + 1;
        while (true)
        {
            var close = text.IndexOf('\'', i);
            if (close < 0)
            {
                throw context.BadRequest("unterminated string literal", open);
            }

            if (close + 1 < text.Length && text[close + 1] == '\'')
            {
                i = close + 2;
                continue;
            }

            _position = close + 1;
            return;
        }
    }

    private bool IsDateTimeAhead() =>
        _position + 4 < text.Length
        && char.IsAsciiDigit(text[_position + 1])
        && char.IsAsciiDigit(text[_position + 2])
        && char.IsAsciiDigit(text[_position + 3])
        && text[_position + 4] == '-';

    private Token ScanDateTime()
    {
        var start = _position;
        while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is ':' or '.' or '+' or '-' or '/'))
        {
            _position++;
        }

        return new Token(TokenKind.DateTime, start, _position - start);
    }

    private Token ScanNumber()
    {
        var start = _position;
        SkipDigits();
        if (_position < text.Length && text[_position] == '.')
        {
            _position++;
            RequireDigits(start);
        }

        if (_position < text.Length && text[_position] is 'e' or 'E')
        {
            _position++;
            if (_position < text.Length && text[_position] is '+' or '-')
            {
                _position++;
            }

            RequireDigits(start);
        }

        if (_position < text.Length && (IsIdentifierPart(text[_position]) || text[_position] == '\''))
        {
            throw context.BadRequest("malformed number", start);
        }

        return new Token(TokenKind.Number, start, _position - start);
    }

    private void RequireDigits(int numberStart)
    {
        if (_position >= text.Length || !char.IsAsciiDigit(text[_position]))
        {
            throw context.BadRequest("malformed number", numberStart);
        }

        SkipDigits();
    }

    private void SkipDigits()
    {
        while (_position < text.Length && char.IsAsciiDigit(text[_position]))
        {
            _position++;
        }
    }
}
