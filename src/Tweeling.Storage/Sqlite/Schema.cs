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

        -- Disclosure control reads an indicator's whole table per reference date, and its reference dates.
        CREATE INDEX IF NOT EXISTS indicator_values_by_indicator ON indicator_values (indicator, reference_date);
        """ + SensorTables + MultiDatastreamTables + AlertTables + ReviewTables + ScenarioTables + IdentityTables + AuditTables + MqttSessionTables;

    /// <summary>
    /// The SensorThings tables (<c>sta_</c>). Entity ids are AUTOINCREMENT, so an id is never reused after
    /// a delete. Geometries are WKB in CRS84; JSON values are text; times are Unix milliseconds (UTC).
    /// </summary>
    /// <remarks>
    /// Observations are clustered on (datastream, phenomenon start, id) in a WITHOUT ROWID table, so a
    /// time-range read of one Datastream reads adjacent pages; a unique index on id serves reads by id.
    /// A partial index on the FeatureOfInterest serves <c>FeaturesOfInterest(id)/Observations</c> and the
    /// visibility check of a FeatureOfInterest (is it observed by a visible Datastream?) without a scan;
    /// Observations without one (bulk ingest without a Location) do not pay for it.
    /// Observation ids come from <c>sta_counters</c>, so retention never leads to reuse. <c>sta_latest</c>
    /// holds a full copy of each Datastream's latest observation and <c>sta_rollups</c> the count, sum,
    /// minimum and maximum of its numeric results per UTC hour (granularity 0) and day (1); both are
    /// updated by every append and are never derived from raw observations. <c>sta_location_features</c>
    /// remembers the FeatureOfInterest derived from each Location, so Observations that name none share it;
    /// its index on the feature answers "which Location was this feature derived from" for visibility.
    /// </remarks>
    private const string SensorTables = """
        CREATE TABLE IF NOT EXISTS sta_things (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL, description TEXT NOT NULL, properties TEXT);
        CREATE TABLE IF NOT EXISTS sta_locations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL, description TEXT NOT NULL, encoding_type TEXT NOT NULL, location BLOB NOT NULL, properties TEXT);
        CREATE TABLE IF NOT EXISTS sta_thing_locations (
            thing_id INTEGER NOT NULL, location_id INTEGER NOT NULL,
            PRIMARY KEY (thing_id, location_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS sta_thing_locations_by_location ON sta_thing_locations (location_id);
        CREATE TABLE IF NOT EXISTS sta_historical_locations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            thing_id INTEGER NOT NULL, time INTEGER NOT NULL, location_ids TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS sta_historical_locations_by_thing ON sta_historical_locations (thing_id);
        CREATE TABLE IF NOT EXISTS sta_sensors (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL, description TEXT NOT NULL, encoding_type TEXT NOT NULL, metadata TEXT NOT NULL, properties TEXT);
        CREATE TABLE IF NOT EXISTS sta_observed_properties (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL, definition TEXT NOT NULL, description TEXT NOT NULL, properties TEXT);
        CREATE TABLE IF NOT EXISTS sta_datastreams (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL, description TEXT NOT NULL,
            unit_name TEXT NOT NULL, unit_symbol TEXT NOT NULL, unit_definition TEXT NOT NULL,
            observation_type TEXT NOT NULL,
            thing_id INTEGER NOT NULL, sensor_id INTEGER NOT NULL, observed_property_id INTEGER NOT NULL,
            observed_area BLOB,
            phenomenon_start INTEGER, phenomenon_end INTEGER, result_start INTEGER, result_end INTEGER,
            properties TEXT);
        CREATE INDEX IF NOT EXISTS sta_datastreams_by_thing ON sta_datastreams (thing_id);
        CREATE INDEX IF NOT EXISTS sta_datastreams_by_sensor ON sta_datastreams (sensor_id);
        CREATE INDEX IF NOT EXISTS sta_datastreams_by_observed_property ON sta_datastreams (observed_property_id);
        CREATE TABLE IF NOT EXISTS sta_features_of_interest (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL, description TEXT NOT NULL, encoding_type TEXT NOT NULL, feature BLOB NOT NULL, properties TEXT);
        CREATE TABLE IF NOT EXISTS sta_counters (
            name TEXT PRIMARY KEY, last INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS sta_observations (
            datastream_id INTEGER NOT NULL, phenomenon_start INTEGER NOT NULL, id INTEGER NOT NULL,
            phenomenon_end INTEGER, result_time INTEGER, result REAL, result_json TEXT,
            feature_of_interest_id INTEGER, result_quality TEXT, valid_start INTEGER, valid_end INTEGER, parameters TEXT,
            PRIMARY KEY (datastream_id, phenomenon_start, id)) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS sta_observations_by_id ON sta_observations (id);
        CREATE INDEX IF NOT EXISTS sta_observations_by_feature_of_interest ON sta_observations (feature_of_interest_id) WHERE feature_of_interest_id IS NOT NULL;
        CREATE TABLE IF NOT EXISTS sta_latest (
            datastream_id INTEGER PRIMARY KEY, phenomenon_start INTEGER NOT NULL, id INTEGER NOT NULL,
            phenomenon_end INTEGER, result_time INTEGER, result REAL, result_json TEXT,
            feature_of_interest_id INTEGER, result_quality TEXT, valid_start INTEGER, valid_end INTEGER, parameters TEXT);
        CREATE TABLE IF NOT EXISTS sta_rollups (
            datastream_id INTEGER NOT NULL, granularity INTEGER NOT NULL, bucket_start INTEGER NOT NULL,
            count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
            PRIMARY KEY (datastream_id, granularity, bucket_start)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS sta_location_features (
            location_id INTEGER PRIMARY KEY, feature_of_interest_id INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS sta_location_features_by_feature_of_interest ON sta_location_features (feature_of_interest_id);
        CREATE TABLE IF NOT EXISTS sta_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, datastream_id INTEGER, earliest INTEGER NOT NULL);
        """;

    /// <summary>
    /// The MultiDatastream extension (OGC 18-088, conformance class <c>multi-datastream</c>): MultiDatastreams, their
    /// ObservedProperties in result order (<c>position</c> 0, 1, …; many-to-many, indexed both ways), and their
    /// Observations, whose result is a JSON array. Units and component types are JSON arrays in the MultiDatastream's row.
    /// </summary>
    /// <remarks>
    /// Tables of their own rather than more columns on <c>sta_datastreams</c> and <c>sta_observations</c>: the
    /// Observations table is clustered on its Datastream, and a nullable second parent there would widen every row and
    /// index of the hot path for a rarely used extension. An Observation of a MultiDatastream takes its id from the same
    /// <c>sta_counters</c> row as every other Observation, so an id names one Observation across both tables. The tables
    /// are created with <c>IF NOT EXISTS</c>, so a store file written before them gains them, empty, when it is opened.
    /// </remarks>
    private const string MultiDatastreamTables = """
        CREATE TABLE IF NOT EXISTS sta_multi_datastreams (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL, description TEXT NOT NULL,
            unit_of_measurements TEXT NOT NULL, observation_type TEXT NOT NULL, multi_observation_data_types TEXT NOT NULL,
            thing_id INTEGER NOT NULL, sensor_id INTEGER NOT NULL,
            observed_area BLOB,
            phenomenon_start INTEGER, phenomenon_end INTEGER, result_start INTEGER, result_end INTEGER,
            properties TEXT);
        CREATE INDEX IF NOT EXISTS sta_multi_datastreams_by_thing ON sta_multi_datastreams (thing_id);
        CREATE INDEX IF NOT EXISTS sta_multi_datastreams_by_sensor ON sta_multi_datastreams (sensor_id);
        CREATE TABLE IF NOT EXISTS sta_multi_datastream_observed_properties (
            multi_datastream_id INTEGER NOT NULL, position INTEGER NOT NULL, observed_property_id INTEGER NOT NULL,
            PRIMARY KEY (multi_datastream_id, position)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS sta_multi_datastream_observed_properties_by_observed_property
            ON sta_multi_datastream_observed_properties (observed_property_id);
        CREATE TABLE IF NOT EXISTS sta_multi_observations (
            multi_datastream_id INTEGER NOT NULL, phenomenon_start INTEGER NOT NULL, id INTEGER NOT NULL,
            phenomenon_end INTEGER, result_time INTEGER, result_json TEXT NOT NULL,
            feature_of_interest_id INTEGER, result_quality TEXT, valid_start INTEGER, valid_end INTEGER, parameters TEXT,
            PRIMARY KEY (multi_datastream_id, phenomenon_start, id)) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS sta_multi_observations_by_id ON sta_multi_observations (id);
        CREATE INDEX IF NOT EXISTS sta_multi_observations_by_feature_of_interest ON sta_multi_observations (feature_of_interest_id) WHERE feature_of_interest_id IS NOT NULL;
        """;

    /// <summary>
    /// Thresholds on Datastreams and the alerts they raised (<see cref="SqliteAlertStore"/>). An alert keeps
    /// its threshold's name and severity, so its history outlives the threshold. Times of observations
    /// (<c>raised_time</c>, <c>cleared_time</c>) are phenomenon times, <c>raised_at</c> and <c>cleared_at</c>
    /// server times, all Unix milliseconds (UTC). The partial index finds the open alerts at start-up.
    /// </summary>
    private const string AlertTables = """
        CREATE TABLE IF NOT EXISTS alert_thresholds (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            datastream_id INTEGER NOT NULL, name TEXT NOT NULL, condition TEXT NOT NULL,
            value REAL NOT NULL, clear_value REAL NOT NULL, severity TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS alert_thresholds_by_datastream ON alert_thresholds (datastream_id);
        CREATE TABLE IF NOT EXISTS alerts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            threshold_id INTEGER NOT NULL, datastream_id INTEGER NOT NULL, threshold_name TEXT NOT NULL, severity TEXT NOT NULL,
            raised_observation INTEGER NOT NULL, raised_time INTEGER NOT NULL, raised_result REAL NOT NULL, raised_at INTEGER NOT NULL,
            cleared_observation INTEGER, cleared_time INTEGER, cleared_result REAL, cleared_at INTEGER);
        CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (raised_time, id);
        CREATE INDEX IF NOT EXISTS alerts_by_threshold ON alerts (threshold_id, raised_time);
        CREATE INDEX IF NOT EXISTS alerts_open ON alerts (threshold_id) WHERE cleared_at IS NULL;
        """;

    /// <summary>
    /// Reviews (DPIA, IAMA, ethics committee) of datasets, algorithms and experiments, and each algorithm's
    /// last switch on or off (<see cref="SqliteReviewStore"/>). Reviewers, conditions and sections are JSON
    /// arrays; <c>valid_until</c> is an ISO date; other times are Unix milliseconds (UTC).
    /// </summary>
    private const string ReviewTables = """
        CREATE TABLE IF NOT EXISTS reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL, subject_kind TEXT NOT NULL, subject_id TEXT NOT NULL, status TEXT NOT NULL,
            reviewers TEXT NOT NULL, conditions TEXT NOT NULL, sections TEXT NOT NULL,
            created_at INTEGER NOT NULL, decided_at INTEGER, valid_until TEXT);
        CREATE INDEX IF NOT EXISTS reviews_by_subject ON reviews (subject_kind, subject_id, id);
        CREATE TABLE IF NOT EXISTS algorithm_activations (
            algorithm_id TEXT PRIMARY KEY, enabled INTEGER NOT NULL, changed_at INTEGER NOT NULL, changed_by TEXT NOT NULL);
        """;

    /// <summary>
    /// Scenarios (<see cref="SqliteScenarioStore"/>): a row per scenario with its latest version number, and a row per
    /// immutable version whose <c>content</c> is the canonical JSON of its interventions and reference date (RD New)
    /// and <c>content_hash</c> that JSON's SHA-256. Times are Unix milliseconds (UTC); <c>reference_date</c> is an ISO date.
    /// </summary>
    private const string ScenarioTables = """
        CREATE TABLE IF NOT EXISTS scenarios (
            id INTEGER PRIMARY KEY AUTOINCREMENT, latest_version INTEGER NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS scenario_versions (
            scenario_id INTEGER NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, description TEXT,
            reference_date TEXT NOT NULL, content TEXT NOT NULL, content_hash TEXT NOT NULL, created_at INTEGER NOT NULL,
            PRIMARY KEY (scenario_id, version)) WITHOUT ROWID;
        """;

    /// <summary>
    /// Local accounts and their API tokens (<see cref="SqliteIdentityStore"/>). An account's <c>id</c> is
    /// pseudonymous; its password is a PBKDF2 hash string, never the password. A token is kept as the SHA-256
    /// of its secret (<c>secret_hash</c>, unique), never the secret. Times are Unix milliseconds (UTC).
    /// </summary>
    private const string IdentityTables = """
        CREATE TABLE IF NOT EXISTS accounts (
            id TEXT PRIMARY KEY,
            user_name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT,
            created INTEGER NOT NULL, disabled INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS api_tokens (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL, secret_hash BLOB NOT NULL UNIQUE, name TEXT NOT NULL,
            created INTEGER NOT NULL, expires INTEGER, last_used INTEGER, revoked INTEGER);
        CREATE INDEX IF NOT EXISTS api_tokens_by_account ON api_tokens (account_id);
        """;

    /// <summary>
    /// The hash-chained audit log (<see cref="SqliteAuditLog"/>, docs/audit.md): one row per record, <c>seq</c>
    /// from 1 without gaps, <c>time</c> in Unix milliseconds (UTC), <c>hash</c> the chain hash up to and
    /// including the row as lowercase hex. Rows are only ever inserted; nothing updates or deletes them. The
    /// indexes serve the data protection officer's export, which filters on time, subject and action
    /// (<see cref="SqliteAuditLog.Query"/>).
    /// </summary>
    private const string AuditTables = """
        CREATE TABLE IF NOT EXISTS audit_log (
            seq INTEGER PRIMARY KEY,
            time INTEGER NOT NULL, subject TEXT, role TEXT NOT NULL, purpose TEXT,
            action TEXT NOT NULL, resource TEXT NOT NULL, result_size INTEGER NOT NULL, result_unit TEXT NOT NULL,
            outcome TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (time);
        CREATE INDEX IF NOT EXISTS audit_log_by_subject ON audit_log (subject, time);
        CREATE INDEX IF NOT EXISTS audit_log_by_action ON audit_log (action, time);
        """;

    /// <summary>
    /// The embedded MQTT broker's persistent sessions and their subscriptions (<see cref="SqliteMqttSessionStore"/>),
    /// restored when the server starts. <c>expiry_seconds</c> is how long a session stays while its client is away,
    /// <c>away_since</c> (Unix milliseconds, UTC) when its client went away, NULL while it is connected.
    /// </summary>
    private const string MqttSessionTables = """
        CREATE TABLE IF NOT EXISTS mqtt_sessions (
            client_id TEXT PRIMARY KEY, expiry_seconds INTEGER NOT NULL, away_since INTEGER);
        CREATE TABLE IF NOT EXISTS mqtt_subscriptions (
            client_id TEXT NOT NULL, topic_filter TEXT NOT NULL, qos INTEGER NOT NULL,
            PRIMARY KEY (client_id, topic_filter)) WITHOUT ROWID;
        """;
}
