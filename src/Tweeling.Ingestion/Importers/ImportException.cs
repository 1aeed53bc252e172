namespace Tweeling.Ingestion.Importers;

/// <summary>
/// A source file could not be imported. Nothing was written: the import's transaction was never committed.
/// </summary>
/// <remarks>
/// The message names the file, where in it the problem is and why, so a user can fix the file without a
/// debugger, e.g. <c>buurten.geojson, feature 'BU05050100': self-intersection at (4.665 51.818)</c>.
/// </remarks>
public sealed class ImportException : Exception
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="filePath">The file being imported.</param>
    /// <param name="location">Where in the file, e.g. <c>line 7</c> or <c>feature 'BU05050100'</c>; <c>null</c> for the file as a whole.</param>
    /// <param name="reason">What is wrong, in words a data steward understands.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ImportException(string filePath, string? location, string reason, Exception? innerException = null)
        : base(Compose(filePath, location, reason), innerException)
    {
        FilePath = filePath;
        Location = location;
        Reason = reason;
    }

    /// <summary>The file being imported, as given.</summary>
    public string FilePath { get; }

    /// <summary>Where in the file, e.g. <c>line 7</c>, <c>feature #12</c>; <c>null</c> when the problem concerns the whole file.</summary>
    public string? Location { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }

    private static string Compose(string filePath, string? location, string reason) =>
        location is null
            ? $"{Path.GetFileName(filePath)}: {reason}"
            : $"{Path.GetFileName(filePath)}, {location}: {reason}";
}
