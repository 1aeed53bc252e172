using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>One of the eight SensorThings entity sets: its URL name, properties and navigation properties.</summary>
/// <param name="Name">The set's name in URLs, e.g. <c>Things</c>.</param>
/// <param name="EntityType">The singular type name, e.g. <c>Thing</c>, as problems and the store name it.</param>
/// <param name="Properties">The entity's properties, as written by <see cref="EntityJson"/>.</param>
/// <param name="Navigations">The navigation properties, each with a <c>@iot.navigationLink</c>.</param>
internal sealed record EntitySet(string Name, string EntityType, IReadOnlyList<string> Properties, IReadOnlyList<string> Navigations)
{
    public static readonly EntitySet Things = new("Things", "Thing", ["name", "description", "properties"], ["Locations", "HistoricalLocations", "Datastreams", "MultiDatastreams"]);
    public static readonly EntitySet Locations = new("Locations", "Location", ["name", "description", "encodingType", "location", "properties"], ["Things", "HistoricalLocations"]);
    public static readonly EntitySet HistoricalLocations = new("HistoricalLocations", "HistoricalLocation", ["time"], ["Thing", "Locations"]);
    public static readonly EntitySet Datastreams = new(
        "Datastreams",
        "Datastream",
        ["name", "description", "unitOfMeasurement", "observationType", "observedArea", "phenomenonTime", "resultTime", "properties"],
        ["Thing", "Sensor", "ObservedProperty", "Observations"]);

    public static readonly EntitySet Sensors = new("Sensors", "Sensor", ["name", "description", "encodingType", "metadata", "properties"], ["Datastreams", "MultiDatastreams"]);
    public static readonly EntitySet ObservedProperties = new("ObservedProperties", "ObservedProperty", ["name", "definition", "description", "properties"], ["Datastreams", "MultiDatastreams"]);
    public static readonly EntitySet Observations = new(
        "Observations",
        "Observation",
        ["phenomenonTime", "result", "resultTime", "resultQuality", "validTime", "parameters"],
        ["Datastream", "MultiDatastream", "FeatureOfInterest"]);

    /// <summary>The navigation links an Observation of a Datastream has: it has no MultiDatastream.</summary>
    private static readonly IReadOnlyList<string> s_datastreamObservationLinks = ["Datastream", "FeatureOfInterest"];

    /// <summary>The navigation links an Observation of a MultiDatastream has: it has no Datastream.</summary>
    private static readonly IReadOnlyList<string> s_multiObservationLinks = ["MultiDatastream", "FeatureOfInterest"];

    public static readonly EntitySet FeaturesOfInterest = new("FeaturesOfInterest", "FeatureOfInterest", ["name", "description", "encodingType", "feature", "properties"], ["Observations"]);

    /// <summary>
    /// The MultiDatastream extension's set (OGC 18-088, class <c>multi-datastream</c>): read and written like the
    /// others; its Observations are in <see cref="Observations"/>, with a result array of one value per ObservedProperty.
    /// </summary>
    public static readonly EntitySet MultiDatastreams = new(
        "MultiDatastreams",
        "MultiDatastream",
        ["name", "description", "unitOfMeasurements", "observationType", "multiObservationDataTypes", "observedArea", "phenomenonTime", "resultTime", "properties"],
        ["Thing", "Sensor", "ObservedProperties", "Observations"]);

    /// <summary>All sets, in the order of the service root: the eight of the core and the MultiDatastream extension's.</summary>
    public static readonly IReadOnlyList<EntitySet> All = [Things, Locations, HistoricalLocations, Datastreams, Sensors, ObservedProperties, Observations, FeaturesOfInterest, MultiDatastreams];

    /// <summary>The sets a GET reads and a write changes: every one of <see cref="All"/>.</summary>
    public static readonly IReadOnlyList<EntitySet> Readable = All;

    /// <summary>The readable set named <paramref name="name"/> (see <see cref="Readable"/>), or <c>null</c>.</summary>
    public static EntitySet? FindReadable(string name) => Readable.FirstOrDefault(s => s.Name == name);

    /// <summary>The set a navigation property leads to: <c>Thing</c> → Things, <c>Locations</c> → Locations.</summary>
    public static EntitySet Target(string navigation) =>
        Readable.First(s => s.Name == navigation || s.EntityType == navigation);

    /// <summary>The set <paramref name="entity"/> belongs to: an Observation of either kind to <see cref="Observations"/>.</summary>
    public static EntitySet Of(ISensorEntity entity) => entity is MultiObservation
        ? Observations
        : Readable.First(s => s.EntityType == entity.GetType().Name);

    /// <summary>
    /// The navigation links <paramref name="entity"/> of this set has: an Observation links either its Datastream or its
    /// MultiDatastream (OGC 18-088 MultiDatastream extension: exactly one of the two), every other entity all of <see cref="Navigations"/>.
    /// </summary>
    public IReadOnlyList<string> NavigationsOf(ISensorEntity entity) => entity switch
    {
        Observation => s_datastreamObservationLinks,
        MultiObservation => s_multiObservationLinks,
        _ => Navigations,
    };

    /// <summary>The set as the store's query port names it.</summary>
    public SensorEntitySet Key => Enum.Parse<SensorEntitySet>(Name);

    /// <summary>Whether the navigation property <paramref name="navigation"/> leads to many entities (its name is a set's, e.g. <c>Datastreams</c>) rather than one (<c>Thing</c>).</summary>
    public static bool IsToMany(string navigation) => Target(navigation).Name == navigation;

    /// <summary>Whether <paramref name="name"/> may appear in <c>$select</c>: <c>id</c>, a property or a navigation property.</summary>
    public bool CanSelect(string name) => name == "id" || Properties.Contains(name) || Navigations.Contains(name);

    /// <summary>
    /// The entity of this set with <paramref name="id"/> as <paramref name="source"/> sees it, or <c>null</c>. The one
    /// place that maps a set to its store look-up, for reads of the committed store and inside a write unit alike.
    /// </summary>
    public async Task<ISensorEntity?> FindAsync<TSource>(TSource source, long id, CancellationToken cancellationToken)
        where TSource : IEntitySource
    {
        return Name switch
        {
            "Things" => await source.FindAsync<Thing>(id, cancellationToken),
            "Locations" => await source.FindAsync<StaLocation>(id, cancellationToken),
            "HistoricalLocations" => await source.FindAsync<HistoricalLocation>(id, cancellationToken),
            "Datastreams" => await source.FindAsync<Datastream>(id, cancellationToken),
            "Sensors" => await source.FindAsync<Sensor>(id, cancellationToken),
            "ObservedProperties" => await source.FindAsync<ObservedProperty>(id, cancellationToken),
            "Observations" => (ISensorEntity?)await source.FindObservationAsync(id, cancellationToken) ?? await source.FindMultiObservationAsync(id, cancellationToken),
            "FeaturesOfInterest" => await source.FindAsync<FeatureOfInterest>(id, cancellationToken),
            "MultiDatastreams" => await source.FindAsync<MultiDatastream>(id, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown entity set {Name}."),
        };
    }
}

/// <summary>
/// Where <see cref="EntitySet.FindAsync{TSource}"/> looks an entity up by id: the committed store
/// (<see cref="CommittedEntities"/>) or a write unit, which sees its own writes (<see cref="UnitEntities"/>).
/// </summary>
internal interface IEntitySource
{
    /// <summary>The entity of type <typeparamref name="T"/> with <paramref name="id"/> (any but an Observation), or <c>null</c>.</summary>
    Task<T?> FindAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity;

    /// <summary>The Observation of a Datastream with <paramref name="id"/>, or <c>null</c>.</summary>
    Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken);

    /// <summary>The Observation of a MultiDatastream with <paramref name="id"/>, or <c>null</c>.</summary>
    Task<MultiObservation?> FindMultiObservationAsync(long id, CancellationToken cancellationToken);
}

/// <summary>The store as committed: Observations of Datastreams from the observation store, the rest from the sensor store.</summary>
internal readonly struct CommittedEntities(ISensorStore sensors, IObservationStore observations) : IEntitySource
{
    public Task<T?> FindAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity => sensors.FindAsync<T>(id, cancellationToken);

    public Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken) => observations.FindObservationAsync(id, cancellationToken);

    public Task<MultiObservation?> FindMultiObservationAsync(long id, CancellationToken cancellationToken) => sensors.FindMultiObservationAsync(id, cancellationToken);
}

/// <summary>One write unit's view: what is committed and what the unit wrote so far.</summary>
internal readonly struct UnitEntities(ISensorWriter writer) : IEntitySource
{
    public Task<T?> FindAsync<T>(long id, CancellationToken cancellationToken)
        where T : class, ISensorEntity => writer.FindAsync<T>(id, cancellationToken);

    public Task<Observation?> FindObservationAsync(long id, CancellationToken cancellationToken) => writer.FindObservationAsync(id, cancellationToken);

    public Task<MultiObservation?> FindMultiObservationAsync(long id, CancellationToken cancellationToken) => writer.FindMultiObservationAsync(id, cancellationToken);
}
