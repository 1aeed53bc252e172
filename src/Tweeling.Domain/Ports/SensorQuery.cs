using Tweeling.Domain.Sensors;
using Tweeling.Domain.Sensors.Query;

namespace Tweeling.Domain.Ports;

/// <summary>The eight SensorThings entity sets and the MultiDatastreams of the extension, named as in URLs.</summary>
public enum SensorEntitySet
{
    /// <summary><c>Things</c>.</summary>
    Things,

    /// <summary><c>Locations</c>.</summary>
    Locations,

    /// <summary><c>HistoricalLocations</c>.</summary>
    HistoricalLocations,

    /// <summary><c>Datastreams</c>.</summary>
    Datastreams,

    /// <summary><c>Sensors</c>.</summary>
    Sensors,

    /// <summary><c>ObservedProperties</c>.</summary>
    ObservedProperties,

    /// <summary><c>Observations</c>: of Datastreams (<see cref="Observation"/>) and of MultiDatastreams (<see cref="MultiObservation"/>) alike.</summary>
    Observations,

    /// <summary><c>FeaturesOfInterest</c>.</summary>
    FeaturesOfInterest,

    /// <summary><c>MultiDatastreams</c> (the MultiDatastream extension); their Observations are in the <see cref="Observations"/> set.</summary>
    MultiDatastreams,
}

/// <summary>
/// The entity a collection hangs off: <c>Things(1)/Datastreams</c> is the scope (Things, 1, <c>Datastreams</c>).
/// </summary>
/// <param name="Set">The parent's entity set.</param>
/// <param name="Id">The parent's id; a parent that does not exist scopes an empty collection.</param>
/// <param name="Navigation">The navigation property of the parent, e.g. <c>Datastreams</c> or <c>Thing</c>.</param>
public sealed record SensorScope(SensorEntitySet Set, long Id, string Navigation);

/// <summary>
/// One read of an entity set for <see cref="ISensorStore.QueryAsync"/>: which entities (set, scope, filter),
/// in which order, which page, and whether to count them all.
/// </summary>
/// <param name="Set">The entity set read; with a <see cref="Scope"/>, the set its navigation leads to.</param>
/// <param name="Scope">The parent the collection is navigated from, or <c>null</c> for the whole set.</param>
/// <param name="Filter">The <c>$filter</c> tree, or <c>null</c>.</param>
/// <param name="OrderBy">The <c>$orderby</c> keys, most significant first; the id always breaks ties.</param>
/// <param name="Top">The most entities to return (the caller asks one more than its page to learn that a next page exists).</param>
/// <param name="Skip">How many matching entities to pass over first.</param>
/// <param name="Count">Whether to count every matching entity as well (<c>$count=true</c>).</param>
/// <param name="Now">The instant <c>now()</c> stands for, from the caller's clock.</param>
/// <param name="Visibility">
/// Which entities the caller may see, applied by the store together with the filter (so that paging and
/// <c>$count</c> count only those); <c>null</c> for a trusted reader of the platform itself (the command line,
/// ingestion) that sees everything.
/// </param>
public sealed record SensorQuery(
    SensorEntitySet Set,
    SensorScope? Scope,
    FilterExpression? Filter,
    IReadOnlyList<OrderByItem> OrderBy,
    int Top,
    long Skip,
    bool Count,
    DateTimeOffset Now,
    SensorVisibility? Visibility = null);

/// <summary>
/// The sensor data one caller may see, as the access policy decided it. A Thing belongs to the catalog dataset its
/// properties name (<see cref="DatasetMember"/>, a string); everything else follows its Thing.
/// </summary>
/// <remarks>
/// <para>
/// A Thing is visible when its dataset is in <see cref="Datasets"/>, or — when its properties name no dataset —
/// when <see cref="Unlabelled"/> holds. A <c>dataset</c> member that is not a string is visible to nobody.
/// </para>
/// <para>
/// Datastreams, MultiDatastreams and HistoricalLocations are visible with their Thing; Observations with their Datastream. A
/// Location is visible when a visible Thing is or was there (its current Locations and its history). Sensors and
/// ObservedProperties are metadata, but a Sensor's name can say where it stands or whom it watches, so they are
/// visible when a visible Datastream or MultiDatastream uses them. A FeatureOfInterest is visible when it was derived from a visible
/// Location or a visible Datastream's Observations are about it. An entity linked to no Thing at all (a Location,
/// Sensor, ObservedProperty or FeatureOfInterest not used yet) counts as unlabelled. An entity that is not visible
/// does not exist for the caller: it is absent from collections, counts, navigation, <c>$expand</c> and the
/// related entities a <c>$filter</c> path reaches.
/// </para>
/// </remarks>
/// <param name="Datasets">The ids of the catalog datasets the caller may read.</param>
/// <param name="Unlabelled">Whether the caller may see Things that name no dataset (and entities linked to no Thing).</param>
public sealed record SensorVisibility(IReadOnlySet<string> Datasets, bool Unlabelled)
{
    /// <summary>The member of a Thing's properties that names its catalog dataset.</summary>
    public const string DatasetMember = "dataset";

    /// <summary>Whether a Thing with <paramref name="thing"/>'s properties is visible.</summary>
    public bool Sees(Thing thing)
    {
        if (thing.Properties is not { ValueKind: System.Text.Json.JsonValueKind.Object } properties
            || !properties.TryGetProperty(DatasetMember, out var dataset))
        {
            return Unlabelled;
        }

        return dataset.ValueKind == System.Text.Json.JsonValueKind.String && Datasets.Contains(dataset.GetString()!);
    }
}

/// <summary>A page of a <see cref="SensorQuery"/>.</summary>
/// <param name="Entities">The entities in order; <see cref="Observation"/>s for the Observations set.</param>
/// <param name="Count">How many entities match in all, when the query asked for it; else <c>null</c>.</param>
public sealed record SensorPage(IReadOnlyList<ISensorEntity> Entities, long? Count);

/// <summary>
/// A query names a property the entity set does not have or combines values of the wrong types
/// (<c>name gt 3</c>, <c>geo.distance(name, …)</c>). The request is at fault: answer 400 with <see cref="Exception.Message"/>.
/// </summary>
public sealed class SensorQueryException(string message) : Exception(message);
