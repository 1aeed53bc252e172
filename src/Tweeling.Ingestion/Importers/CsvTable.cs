using Microsoft.VisualBasic.FileIO;

namespace Tweeling.Ingestion.Importers;

/// <summary>One data row of a CSV file, with the 1-based line it starts on.</summary>
internal sealed record CsvRow(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A comma-separated file with a header row, parsed with the framework's RFC 4180 parser
/// (<see cref="TextFieldParser"/>: quoted fields, doubled quotes, blank lines skipped).
/// </summary>
/// <remarks>Every row must have exactly as many fields as the header; a short or long row is an error naming its line.</remarks>
internal sealed record CsvTable(IReadOnlyList<string> Header, IReadOnlyList<CsvRow> Rows)
{
    /// <summary>Parses <paramref name="file"/>; a malformed line, a ragged row or a file without data rows is an <see cref="ImportException"/>.</summary>
    public static CsvTable Parse(SourceFile file)
    {
        using var parser = new TextFieldParser(new StringReader(file.Text))
        {
            TextFieldType = FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = true,
        };
        parser.SetDelimiters(",");
        string[]? header = null;
        var rows = new List<CsvRow>();
        while (!parser.EndOfData)
        {
            var line = (int)parser.LineNumber;
            string[]? fields;
            try
            {
                fields = parser.ReadFields();
            }
            catch (MalformedLineException e)
            {
                throw new ImportException(file.Path, $"line {e.LineNumber}", "malformed CSV: a quoted field is not closed properly", e);
            }

            if (fields is null)
            {
                continue;
            }

            if (header is null)
            {
                header = fields;
                var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null)
                {
                    throw new ImportException(file.Path, $"line {line}", $"malformed CSV: column '{duplicate.Key}' appears twice in the header");
                }
            }
            else if (fields.Length != header.Length)
            {
                throw new ImportException(file.Path, $"line {line}", $"malformed CSV: {fields.Length} fields where the header has {header.Length} columns");
            }
            else
            {
                rows.Add(new CsvRow(line, fields));
            }
        }

        return header is null || rows.Count == 0
            ? throw new ImportException(file.Path, null, "the file holds no data rows")
            : new CsvTable(header, rows);
    }

    /// <summary>The index of the first of <paramref name="names"/> present in the header (case-insensitive), or -1.</summary>
    public int IndexOf(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            for (var i = 0; i < Header.Count; i++)
            {
                if (string.Equals(Header[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }

        return -1;
    }
}
