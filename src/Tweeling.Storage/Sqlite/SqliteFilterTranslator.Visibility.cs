using System.Text.Json;
using Tweeling.Domain.Ports;

namespace Tweeling.Storage.Sqlite;

/// <summary>The <see cref="SensorVisibility"/> of a query as SQL conditions, so that paging and counts see only visible rows.</summary>
/// <remarks>
/// <para>
/// Every condition goes back to the Thing (<see cref="SensorVisibility"/> has the rules), and which Things are
/// visible is decided once per query: the set of visible Thing ids (and, for Observations, of their Datastreams) is
/// an uncorrelated <c>IN (SELECT …)</c>, which SQLite evaluates once per statement into a temporary index. A row then
/// costs one look-up in that small index instead of a correlated <c>EXISTS</c> that parsed its Thing's properties
/// (<c>json_extract</c>) again for every row: on a page of 100 Observations, 100 times.
/// </para>
/// <para>
/// Other costs: a Location, Sensor or ObservedProperty adds a look-up through an index of the link table, and a
/// Location also a pass over the HistoricalLocations; a FeatureOfInterest not derived from a visible Location is
/// looked for among the Observations through their index by feature.
/// </para>
/// </remarks>
internal sealed partial class SqliteFilterTranslator
{
    // Parameters shared by every condition of one query, set by the first call of Visible.
    private string? _datasets;
    private string? _unlabelled;

    /// <summary>The condition that row <paramref name="alias"/> of <paramref name="set"/> is visible.</summary>
    private string Visible(SensorEntitySet set, string alias)
    {
        var visibility = _visibility ?? throw new InvalidOperationException("A query without visibility sees every row.");
        _datasets ??= Parameter(JsonSerializer.Serialize(visibility.Datasets.Order(StringComparer.Ordinal)));
        _unlabelled ??= Parameter(visibility.Unlabelled ? 1L : 0L);
        return set switch
        {
            SensorEntitySet.Things => $"{alias}.id IN {VisibleThings()}",
            SensorEntitySet.Datastreams or SensorEntitySet.HistoricalLocations => $"{alias}.thing_id IN {VisibleThings()}",
            SensorEntitySet.Observations => $"{alias}.datastream_id IN {VisibleDatastreams()}",
            SensorEntitySet.Locations => LocationVisible($"{alias}.id"),
            SensorEntitySet.Sensors => UsedByVisibleDatastream(alias, "sensor_id"),
            SensorEntitySet.ObservedProperties => UsedByVisibleDatastream(alias, "observed_property_id"),
            SensorEntitySet.FeaturesOfInterest => FeatureVisible(alias),
            _ => throw new ArgumentOutOfRangeException(nameof(set), set, null),
        };
    }

    /// <summary>The ids of the visible Things, as an uncorrelated subquery (evaluated once per statement).</summary>
    private string VisibleThings()
    {
        var t = NewAlias();
        return $"(SELECT {t}.id FROM sta_things {t} WHERE {ThingVisible(t)})";
    }

    /// <summary>The ids of the Datastreams of visible Things, as an uncorrelated subquery (evaluated once per statement).</summary>
    private string VisibleDatastreams()
    {
        var d = NewAlias();
        return $"(SELECT {d}.id FROM sta_datastreams {d} WHERE {d}.thing_id IN {VisibleThings()})";
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
        var (l, h, j) = (NewAlias(), NewAlias(), NewAlias());
        var now = $"EXISTS (SELECT 1 FROM sta_thing_locations {l} WHERE {l}.location_id = {id} AND {l}.thing_id IN {VisibleThings()})";
        var before = $"EXISTS (SELECT 1 FROM sta_historical_locations {h} JOIN json_each({h}.location_ids) {j} WHERE {j}.value = {id} AND {h}.thing_id IN {VisibleThings()})";
        var unused = $"({_unlabelled} = 1 AND NOT EXISTS (SELECT 1 FROM sta_thing_locations {l} WHERE {l}.location_id = {id})"
            + $" AND NOT EXISTS (SELECT 1 FROM sta_historical_locations {h} JOIN json_each({h}.location_ids) {j} WHERE {j}.value = {id}))";
        return $"({now} OR {before} OR {unused})";
    }

    /// <summary>A visible Datastream links to row <paramref name="alias"/> by <paramref name="column"/>, or none does and unlabelled entities are visible.</summary>
    private string UsedByVisibleDatastream(string alias, string column)
    {
        var d = NewAlias();
        var used = $"EXISTS (SELECT 1 FROM sta_datastreams {d} WHERE {d}.{column} = {alias}.id AND {d}.thing_id IN {VisibleThings()})";
        return $"({used} OR ({_unlabelled} = 1 AND NOT EXISTS (SELECT 1 FROM sta_datastreams {d} WHERE {d}.{column} = {alias}.id)))";
    }

    /// <summary>
    /// The FeatureOfInterest <paramref name="alias"/> was derived from a visible Location, or a visible Datastream has
    /// Observations of it, or neither a Location nor an Observation links to it and unlabelled entities are visible.
    /// </summary>
    private string FeatureVisible(string alias)
    {
        var (f, o) = (NewAlias(), NewAlias());
        var derived = $"EXISTS (SELECT 1 FROM sta_location_features {f} WHERE {f}.feature_of_interest_id = {alias}.id AND {LocationVisible($"{f}.location_id")})";
        var observed = $"EXISTS (SELECT 1 FROM sta_observations {o} WHERE {o}.feature_of_interest_id = {alias}.id AND {o}.datastream_id IN {VisibleDatastreams()})";
        var unused = $"({_unlabelled} = 1 AND NOT EXISTS (SELECT 1 FROM sta_location_features {f} WHERE {f}.feature_of_interest_id = {alias}.id)"
            + $" AND NOT EXISTS (SELECT 1 FROM sta_observations {o} WHERE {o}.feature_of_interest_id = {alias}.id))";
        return $"({derived} OR {observed} OR {unused})";
    }
}
