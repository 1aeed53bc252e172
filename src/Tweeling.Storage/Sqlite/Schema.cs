namespace Tweeling.Storage.Sqlite;

/// <summary>The SQLite schema of the twin store, applied when a store file is opened.</summary>
/// <remarks>
/// Times are Unix milliseconds (UTC). Geometry is WKB in EPSG:28992; its bounding box lives in an
/// R*Tree per collection (<see cref="BboxTable"/>), so a bbox read touches only nearby features of its
/// own collection. The R*Tree also carries validity and dataset as auxiliary columns, so a bbox read
/// filters on them without reading the features table, and fetches only the rows of the page it returns. Feature properties are a JSON object, filtered
/// with <c>json_extract</c>. Per-collection extents, counts, datasets, the latest version start and the
/// number of ended versions are kept in <c>collection_stats</c>, updated when a write commits, so listing
/// collections never scans features and a read can tell when a filter would select everything.
/// </remarks>
internal static class Schema
{
    public const int Version = 1;

    /// <summary>
    /// The R*Tree of a collection's bounding boxes. Collection ids are lowercase identifiers
    /// (<c>panden</c>, <c>bomen</c>, …); anything else is refused, since the id becomes part of a table name.
    /// </summary>
    public static string BboxTable(string collection)
    {
        if (collection.Length is 0 or > 60 || !char.IsAsciiLetterLower(collection[0]) ||
            !collection.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{collection}' is not a valid collection id: use lowercase letters, digits and '_'.", nameof(collection));
        }

        return "bbox_" + collection;
    }

    /// <summary>Creates the R*Tree of a collection when it does not exist yet.</summary>
    public static string CreateBboxTable(string collection) =>
        $"CREATE VIRTUAL TABLE IF NOT EXISTS {BboxTable(collection)} USING rtree (fid, min_x, max_x, min_y, max_y, +valid_from, +valid_to, +dataset_id);";

    public const string Create = """
        CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS datasets (
            id TEXT PRIMARY KEY,
            document TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS features (
            fid INTEGER PRIMARY KEY,
            collection TEXT NOT NULL,
            id TEXT NOT NULL,
            valid_from INTEGER NOT NULL,
            valid_to INTEGER,
            dataset_id TEXT NOT NULL,
            geometry BLOB NOT NULL,
            properties TEXT NOT NULL,
            UNIQUE (collection, id, valid_from));
        CREATE INDEX IF NOT EXISTS features_by_collection ON features (collection, fid);
        CREATE TABLE IF NOT EXISTS collection_stats (
            collection TEXT PRIMARY KEY,
            feature_count INTEGER NOT NULL,
            min_x REAL, min_y REAL, max_x REAL, max_y REAL,
            dataset_ids TEXT NOT NULL,
            latest_start INTEGER NOT NULL,
            ended_versions INTEGER NOT NULL,
            revision INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS indicators (
            code TEXT PRIMARY KEY,
            document TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS indicator_values (
            area TEXT NOT NULL,
            indicator TEXT NOT NULL,
            reference_date TEXT NOT NULL,
            value REAL,
            PRIMARY KEY (area, indicator, reference_date)) WITHOUT ROWID;
        """;
}
