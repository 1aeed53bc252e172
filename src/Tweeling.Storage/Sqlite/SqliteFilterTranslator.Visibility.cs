using System.Text.Json;
using Tweeling.Domain.Ports;

namespace Tweeling.Storage.Sqlite;

/// <summary>The <see cref="SensorVisibility"/> of a query as SQL conditions, so that paging and counts see only visible rows.</summary>
/// <remarks>
/// <para>
/// Every condition goes back to the Thing (<see cref="SensorVisibility"/> has the rules), whose properties name its
/// dataset, so deciding one Thing parses its properties (<c>json_extract</c>). Observations come by the hundred, so
/// theirs is decided once per query instead of once per row: a Datastream's Observations (the scope every read of the
/// SensorThings mix has) are all visible or none, which an uncorrelated <c>EXISTS</c> on the scope's Datastream decides
/// once per statement; Observations of many Datastreams are matched against the set of visible Datastreams, an
/// uncorrelated <c>IN (SELECT …)</c> that SQLite evaluates once into a temporary index. The other sets keep a check per
/// row, which is cheaper for the few rows they return than deciding every Thing (the set costs every Thing's parse).
/// </para>
/// <para>
/// Costs per row: a Datastream or HistoricalLocation adds a primary-key lookup; a Location, Sensor or ObservedProperty
/// a lookup through an index of the link table, and a Location also a pass over the HistoricalLocations; a
/// FeatureOfInterest not derived from a visible Location is looked for among the Observations, which have no index
/// by feature — a scan, as <c>FeaturesOfInterest(id)/Observations</c> already is.
/// </para>
/// </remarks>
internal sealed partial class SqliteFilterTranslator
{
    // Parameters shared by every condition of one query, set by the first call of Visible.
    private string? _datasets;
    private string? _unlabelled;

    // The SQL of the Datastream id that scopes an Observations query (Datastreams(id)/Observations), set by Where.
    private string? _scopeDatastream;

    // The same for MultiDatastreams(id)/Observations.
    private string? _scopeMultiDatastream;

    /// <summary>The condition that the row of <paramref name="frame"/> is visible.</summary>
    private string Visible(Frame frame)
    {
        var (set, alias) = (frame.Set, frame.Alias);
        var visibility = _visibility ?? throw new InvalidOperationException("A query without visibility sees every row.");
        _datasets ??= Parameter(JsonSerializer.Serialize(visibility.Datasets.Order(StringComparer.Ordinal)));
        _unlabelled ??= Parameter(visibility.Unlabelled ? 1L : 0L);
        var t = NewAlias();
        var d = NewAlias();
        return set switch
        {
            SensorEntitySet.Things => ThingVisible(alias),
            SensorEntitySet.Datastreams or SensorEntitySet.HistoricalLocations or SensorEntitySet.MultiDatastreams =>
                $"EXISTS (SELECT 1 FROM sta_things {t} WHERE {t}.id = {alias}.thing_id AND {ThingVisible(t)})",
            SensorEntitySet.Observations when alias == _root.Alias && _scopeDatastream is { } scope =>
                $"EXISTS (SELECT 1 FROM sta_datastreams {d} JOIN sta_things {t} ON {t}.id = {d}.thing_id WHERE {d}.id = {scope} AND {ThingVisible(t)})",
            SensorEntitySet.Observations when alias == _root.Alias && _scopeMultiDatastream is { } scope =>
                $"EXISTS (SELECT 1 FROM sta_multi_datastreams {d} JOIN sta_things {t} ON {t}.id = {d}.thing_id WHERE {d}.id = {scope} AND {ThingVisible(t)})",
            SensorEntitySet.Observations => frame.Rows switch
            {
                ObservationRows.OfDatastreams => OfVisible(alias, "datastream_id", "sta_datastreams"),
                ObservationRows.OfMultiDatastreams => OfVisible(alias, "multi_datastream_id", "sta_multi_datastreams"),
                _ => $"({OfVisible(alias, "datastream_id", "sta_datastreams")} OR {OfVisible(alias, "multi_datastream_id", "sta_multi_datastreams")})",
            },
            SensorEntitySet.Locations => LocationVisible($"{alias}.id"),
            SensorEntitySet.Sensors => UsedByVisibleDatastream(alias, "sensor_id", "sta_multi_datastreams {m} WHERE {m}.sensor_id = {alias}.id"),
            SensorEntitySet.ObservedProperties => UsedByVisibleDatastream(
                alias, "observed_property_id", "sta_multi_datastream_observed_properties {l} JOIN sta_multi_datastreams {m} ON {m}.id = {l}.multi_datastream_id WHERE {l}.observed_property_id = {alias}.id"),
            SensorEntitySet.FeaturesOfInterest => FeatureVisible(alias),
            _ => throw new ArgumentOutOfRangeException(nameof(set), set, null),
        };
    }

    /// <summary>The row's <paramref name="column"/> names one of the visible (Multi)Datastreams of <paramref name="table"/>: a set SQLite builds once per statement.</summary>
    private string OfVisible(string alias, string column, string table)
    {
        var (d, t) = (NewAlias(), NewAlias());
        return $"{alias}.{column} IN (SELECT {d}.id FROM {table} {d} JOIN sta_things {t} ON {t}.id = {d}.thing_id WHERE {ThingVisible(t)})";
    }

    /// <summary>The Thing <paramref name="alias"/> names a readable dataset, or none while unlabelled Things are visible.</summary>
    private string ThingVisible(string alias)
    {
        var member = $"'$.{SensorVisibility.DatasetMember}'";
        return $"((json_type({alias}.properties, {member}) = 'text' AND json_extract({alias}.properties, {member}) IN (SELECT value FROM json_each({_datasets})))"
            + $" OR (json_type({alias}.properties, {member}) IS NULL AND {_unlabelled} = 1))";
    }

    /// <summary>A visible Thing is or was at the Location with id <paramref name="id"/>, or no Thing ever was and unlabelled entities are visible.</summary>
    private string LocationVisible(string id)
    {
        var (l, h, j, t) = (NewAlias(), NewAlias(), NewAlias(), NewAlias());
        var now = $"EXISTS (SELECT 1 FROM sta_thing_locations {l} JOIN sta_things {t} ON {t}.id = {l}.thing_id WHERE {l}.location_id = {id} AND {ThingVisible(t)})";
        var before = $"EXISTS (SELECT 1 FROM sta_historical_locations {h} JOIN json_each({h}.location_ids) {j} JOIN sta_things {t} ON {t}.id = {h}.thing_id WHERE {j}.value = {id} AND {ThingVisible(t)})";
        var unused = $"({_unlabelled} = 1 AND NOT EXISTS (SELECT 1 FROM sta_thing_locations {l} WHERE {l}.location_id = {id})"
            + $" AND NOT EXISTS (SELECT 1 FROM sta_historical_locations {h} JOIN json_each({h}.location_ids) {j} WHERE {j}.value = {id}))";
        return $"({now} OR {before} OR {unused})";
    }

    /// <summary>
    /// A visible Datastream links to row <paramref name="alias"/> by <paramref name="column"/>, or a visible MultiDatastream
    /// does (<paramref name="multiUse"/>: the FROM and WHERE that find the MultiDatastreams <c>{m}</c> using the row, with
    /// <c>{l}</c> free for a link table), or neither does and unlabelled entities are visible.
    /// </summary>
    private string UsedByVisibleDatastream(string alias, string column, string multiUse)
    {
        var (d, t, m, l) = (NewAlias(), NewAlias(), NewAlias(), NewAlias());
        var multi = multiUse.Replace("{m}", m, StringComparison.Ordinal).Replace("{l}", l, StringComparison.Ordinal).Replace("{alias}", alias, StringComparison.Ordinal);
        var used = $"EXISTS (SELECT 1 FROM sta_datastreams {d} JOIN sta_things {t} ON {t}.id = {d}.thing_id WHERE {d}.{column} = {alias}.id AND {ThingVisible(t)})";
        var usedByMulti = $"EXISTS (SELECT 1 FROM {multi} AND EXISTS (SELECT 1 FROM sta_things {t} WHERE {t}.id = {m}.thing_id AND {ThingVisible(t)}))";
        return $"({used} OR {usedByMulti} OR ({_unlabelled} = 1 AND NOT EXISTS (SELECT 1 FROM sta_datastreams {d} WHERE {d}.{column} = {alias}.id) AND NOT EXISTS (SELECT 1 FROM {multi})))";
    }

    /// <summary>
    /// The FeatureOfInterest <paramref name="alias"/> was derived from a visible Location, or a visible Datastream or
    /// MultiDatastream has Observations of it, or neither a Location nor an Observation links to it and unlabelled entities are visible.
    /// </summary>
    private string FeatureVisible(string alias)
    {
        var (f, o, d, t) = (NewAlias(), NewAlias(), NewAlias(), NewAlias());
        var derived = $"EXISTS (SELECT 1 FROM sta_location_features {f} WHERE {f}.feature_of_interest_id = {alias}.id AND {LocationVisible($"{f}.location_id")})";
        var observed = $"EXISTS (SELECT 1 FROM sta_observations {o} JOIN sta_datastreams {d} ON {d}.id = {o}.datastream_id JOIN sta_things {t} ON {t}.id = {d}.thing_id"
            + $" WHERE {o}.feature_of_interest_id = {alias}.id AND {ThingVisible(t)})";
        var m = NewAlias();
        var observedByMulti = $"EXISTS (SELECT 1 FROM sta_multi_observations {o} JOIN sta_multi_datastreams {m} ON {m}.id = {o}.multi_datastream_id JOIN sta_things {t} ON {t}.id = {m}.thing_id"
            + $" WHERE {o}.feature_of_interest_id = {alias}.id AND {ThingVisible(t)})";
        var unused = $"({_unlabelled} = 1 AND NOT EXISTS (SELECT 1 FROM sta_location_features {f} WHERE {f}.feature_of_interest_id = {alias}.id)"
            + $" AND NOT EXISTS (SELECT 1 FROM sta_observations {o} WHERE {o}.feature_of_interest_id = {alias}.id)"
            + $" AND NOT EXISTS (SELECT 1 FROM sta_multi_observations {o} WHERE {o}.feature_of_interest_id = {alias}.id))";
        return $"({derived} OR {observed} OR {observedByMulti} OR {unused})";
    }
}
