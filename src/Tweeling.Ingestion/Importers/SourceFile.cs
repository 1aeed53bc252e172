using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Tweeling.Domain.Catalog;

namespace Tweeling.Ingestion.Importers;

/// <summary>
/// A source file read whole into memory, with the facts the catalog's lineage records about it.
/// </summary>
/// <remarks>
/// Reading the whole file first is what makes "validate everything before writing anything" cheap; the
/// sources these importers take (CBS maps per municipality, 3DBAG tiles, OSM extracts of one city) are
/// megabytes, not gigabytes.
/// </remarks>
internal sealed partial record SourceFile(string Path, string Name, byte[] Bytes, string Sha256)
{
    /// <summary>Reads <paramref name="path"/>; a missing, unreadable or empty file is an <see cref="ImportException"/>.</summary>
    public static SourceFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImportException(path, null, "file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportException(path, null, $"cannot read the file: {e.Message}", e);
        }

        if (bytes.Length == 0 || bytes.AsSpan().Trim(" \t\r\n"u8).Length == 0 || IsOnlyBom(bytes))
        {
            throw new ImportException(path, null, "the file is empty");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return new SourceFile(path, System.IO.Path.GetFileName(path), bytes, hash);
    }

    /// <summary>The file's content without a UTF-8 byte order mark, which System.Text.Json rejects.</summary>
    public ReadOnlyMemory<byte> Utf8 => Bytes.AsMemory(Bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0);

    /// <summary>The file's content as text.</summary>
    public string Text => Encoding.UTF8.GetString(Utf8.Span);

    /// <summary>
    /// The dataset id: <paramref name="requested"/> when given (it must be URL-safe), else the kind and the
    /// file name without extensions, lower case, with every run of other characters turned into one dash.
    /// </summary>
    public string DatasetId(string kind, string? requested)
    {
        if (requested is not null)
        {
            return UrlSafeId().IsMatch(requested)
                ? requested
                : throw new ImportException(Path, null, $"dataset id '{requested}' is not URL-safe: use lower-case letters, digits, '.', '_' and '-'");
        }

        var stem = Name;
        while (System.IO.Path.HasExtension(stem))
        {
            stem = System.IO.Path.GetFileNameWithoutExtension(stem);
        }

        var slug = NotSlug().Replace(stem.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? kind : $"{kind}-{slug}";
    }

    /// <summary>The <c>dct:provenance</c> text: which file, its hash, which importer, when.</summary>
    public string Lineage(string kind, DateTimeOffset now) => string.Create(
        CultureInfo.InvariantCulture,
        $"Imported with 'tweeling import {kind}' from file {Name} (sha256 {Sha256}, {Bytes.Length} bytes) on {now:yyyy-MM-dd'T'HH:mm:ss'Z'}; geometry transformed to RD New (EPSG:28992).");

    /// <summary>The first four-digit year (1900–2099) in the file name, e.g. 2024 in <c>kwb2024_dordrecht.csv</c>.</summary>
    public int? YearInName()
    {
        var match = YearPattern().Match(Name);
        return match.Success ? int.Parse(match.Value, CultureInfo.InvariantCulture) : null;
    }

    private static bool IsOnlyBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith("\uFEFF"u8) && bytes.AsSpan(3).Trim(" \t\r\n"u8).Length == 0;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex UrlSafeId();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();

    [GeneratedRegex("(?<![0-9])(19|20)[0-9]{2}(?![0-9])")]
    private static partial Regex YearPattern();
}

/// <summary>The publishers and contact the importers put in dataset metadata.</summary>
internal static class Agents
{
    public static Agent Cbs { get; } = new("Centraal Bureau voor de Statistiek (CBS)", "https://www.cbs.nl");

    public static Agent CbsAndKadaster { get; } = new("CBS en Kadaster", "https://www.pdok.nl/introductie/-/article/cbs-wijken-en-buurten");

    public static Agent TuDelft3dbag { get; } = new("3D geoinformation group, TU Delft (3DBAG)", "https://3dbag.nl");

    public static Agent OpenStreetMapFoundation { get; } = new("OpenStreetMap Foundation", "https://osmfoundation.org");

    public static Agent OpenStreetMapContributors { get; } = new("OpenStreetMap contributors", "https://www.openstreetmap.org/copyright");

    public static Agent Unknown { get; } = new("Unknown (not documented in the source)", "urn:tweeling:agent:unknown");

    public static ContactPoint DataTeam { get; } = new("Datateam digitale tweeling", "data@tweeling.invalid");

    /// <summary>ODbL 1.0, the OpenStreetMap licence.</summary>
    public const string LicenseOdbl = "https://opendatacommons.org/licenses/odbl/1-0/";

    /// <summary>Legal basis for open, non-personal public data.</summary>
    public const string PublicTaskBasis = "Open data without personal data, reused under the licence of its source.";
}
