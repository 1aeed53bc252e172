using System.Text.Json;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using StaLocation = Tweeling.Domain.Sensors.Location;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// Turns SensorThings request bodies into writes inside one store write unit (<see cref="ISensorStore.WriteAsync{T}"/>):
/// creates with deep insert and links (OGC 18-088 §10.2), updates (PATCH merges, PUT replaces; §10.3) and
/// deletes (§10.4). Whatever fails — a bad member, an unknown link — throws, so the unit stores nothing.
/// </summary>
/// <remarks>
/// A navigation member holds either a link to an existing entity, <c>{"@iot.id": 7}</c> (nothing else), or a
/// new entity, created first when the entity needs it (a Datastream's Thing) or afterwards linked to it (a
/// Thing's Datastreams). A Thing given Locations — at its creation, by a PATCH, or as the Thing of a new
/// Location — is at exactly those Locations from then on, and the store records a HistoricalLocation. An
/// Observation without a FeatureOfInterest gets the one derived from its Datastream's Thing's Location.
/// </remarks>
/// <param name="writer">The unit's store writer.</param>
/// <param name="now">The request's time: default phenomenon time, HistoricalLocation time.</param>
internal sealed class EntityWriter(ISensorWriter writer, DateTimeOffset now)
{
    /// <summary>The Observations appended so far, to be published once the unit is committed.</summary>
    public List<Observation> Appended { get; } = [];

    /// <summary>How many Observations of either kind the unit appended (those of MultiDatastreams are published by the store's writer).</summary>
    public int AppendedObservations => Appended.Count + _appendedMulti;

    private int _appendedMulti;

    /// <summary>The Observations updated so far (PATCH, PUT, a new link), each as stored after its update.</summary>
    private readonly List<Observation> _updated = [];

    /// <summary>
    /// What the unit did to Observations, to be announced once it is committed (judged against the thresholds, then on
    /// the live bus), each Observation once and as it stands at the commit: the ones it appended (also when changed again
    /// in the same change set) and the stored ones it changed. A changed Observation is a reading as much as a new one: a
    /// corrected value must reach the live clients and may raise or clear an alert.
    /// </summary>
    public (IReadOnlyList<Observation> Appended, IReadOnlyList<Observation> Changed) Announced()
    {
        var last = new Dictionary<long, Observation>();
        foreach (var observation in _updated)
        {
            last[observation.Id] = observation;
        }

        var appended = Appended.Select(o => last.Remove(o.Id, out var final) ? final : o).ToList();
        var changed = new List<Observation>();
        foreach (var observation in _updated)
        {
            if (last.Remove(observation.Id, out var final))
            {
                changed.Add(final);
            }
        }

        return (appended, changed);
    }

    /// <summary>
    /// The link a new entity gets from where it is created: the parent of a deep insert, or the entity of a
    /// navigation path (<c>Things(1)/Datastreams</c>). For <paramref name="parent"/>'s <paramref name="navigation"/>,
    /// <c>null</c> when that navigation cannot hold new entities (a single-valued one such as <c>Datastream/Thing</c>).
    /// </summary>
    public static Back? BackOf(EntitySet parent, string navigation, long parentId) => (parent.Name, navigation) switch
    {
        ("Things", "Datastreams" or "HistoricalLocations" or "MultiDatastreams") => new Back("Thing", parentId),
        ("Things", "Locations") => new Back("Things", parentId),
        ("Locations", "Things") => new Back("Locations", parentId),
        ("Locations", "HistoricalLocations") => new Back("Locations", parentId),
        ("Datastreams", "Observations") => new Back("Datastream", parentId),
        ("MultiDatastreams", "Observations") => new Back("MultiDatastream", parentId),
        ("Sensors", "Datastreams" or "MultiDatastreams") => new Back("Sensor", parentId),
        ("ObservedProperties", "Datastreams") => new Back("ObservedProperty", parentId),
        ("FeaturesOfInterest", "Observations") => new Back("FeatureOfInterest", parentId),
        _ => null,
    };

    /// <summary>Whether the entity with <paramref name="id"/> exists (seeing the unit's own writes).</summary>
    public async Task<bool> ExistsAsync(EntitySet set, long id, CancellationToken cancellationToken) => await FindAsync(set, id, cancellationToken) is not null;

    /// <summary>The entity of <paramref name="set"/> with <paramref name="id"/> as the unit sees it (its own writes included), or <c>null</c>.</summary>
    public Task<ISensorEntity?> FindAsync(EntitySet set, long id, CancellationToken cancellationToken) => set.FindAsync(new UnitEntities(writer), id, cancellationToken);

    /// <summary>
    /// Creates the <paramref name="set"/> entity <paramref name="body"/> describes, with its nested entities and
    /// links; <paramref name="back"/> is the link its place gives it. Returns its id.
    /// </summary>
    public async Task<long> CreateAsync(EntitySet set, JsonElement body, Back? back, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new EntityBodyException($"{EntityFields.A(set.EntityType, capital: true)} must be a JSON object, not {EntityFields.Kind(body)}.");
        }

        CheckMembers(set, body, updatedId: null);
        var fields = new EntityFields(body, Partial: false, set.EntityType);
        switch (set.Name)
        {
            case "Things":
                {
                    var thing = await writer.CreateAsync(ThingOf(fields, null), cancellationToken);
                    var locations = await ManyAsync(body, "Locations", EntitySet.Locations, null, cancellationToken);
                    if (back is { Navigation: "Locations" })
                    {
                        locations.Add(back.Id);
                    }

                    if (locations.Count > 0)
                    {
                        await writer.SetThingLocationsAsync(thing.Id, locations, now, cancellationToken);
                    }

                    await ManyAsync(body, "HistoricalLocations", EntitySet.HistoricalLocations, new Back("Thing", thing.Id), cancellationToken);
                    await ManyAsync(body, "Datastreams", EntitySet.Datastreams, new Back("Thing", thing.Id), cancellationToken);
                    await ManyAsync(body, "MultiDatastreams", EntitySet.MultiDatastreams, new Back("Thing", thing.Id), cancellationToken);
                    return thing.Id;
                }

            case "Locations":
                {
                    var location = await writer.CreateAsync(LocationOf(fields, null), cancellationToken);
                    var things = await ManyAsync(body, "Things", EntitySet.Things, null, cancellationToken);
                    if (back is { Navigation: "Things" })
                    {
                        things.Add(back.Id);
                    }

                    foreach (var thing in things)
                    {
                        await writer.SetThingLocationsAsync(thing, [location.Id], now, cancellationToken);
                    }

                    await ManyAsync(body, "HistoricalLocations", EntitySet.HistoricalLocations, new Back("Locations", location.Id), cancellationToken);
                    return location.Id;
                }

            case "HistoricalLocations":
                {
                    var time = fields.Instant("time", null);
                    var thing = (await OneAsync(set, body, "Thing", EntitySet.Things, back, cancellationToken))!.Value;
                    var locations = await ManyAsync(body, "Locations", EntitySet.Locations, null, cancellationToken);
                    if (back is { Navigation: "Locations" })
                    {
                        locations.Add(back.Id);
                    }

                    if (locations.Count == 0)
                    {
                        throw new EntityBodyException("A HistoricalLocation needs its 'Locations': an array of links such as {\"@iot.id\": 1} or new Locations.");
                    }

                    var historical = await writer.CreateAsync(new HistoricalLocation(0, thing, time, [.. locations.Distinct().Order()]), cancellationToken);
                    return historical.Id;
                }

            case "Datastreams":
                {
                    var properties = DatastreamOf(fields, null);
                    var thing = (await OneAsync(set, body, "Thing", EntitySet.Things, back, cancellationToken))!.Value;
                    var sensor = (await OneAsync(set, body, "Sensor", EntitySet.Sensors, back, cancellationToken))!.Value;
                    var property = (await OneAsync(set, body, "ObservedProperty", EntitySet.ObservedProperties, back, cancellationToken))!.Value;
                    var datastream = await writer.CreateAsync(properties with { ThingId = thing, SensorId = sensor, ObservedPropertyId = property }, cancellationToken);
                    await ManyAsync(body, "Observations", EntitySet.Observations, new Back("Datastream", datastream.Id), cancellationToken);
                    return datastream.Id;
                }

            case "Sensors":
                {
                    var sensor = await writer.CreateAsync(SensorOf(fields, null), cancellationToken);
                    await ManyAsync(body, "Datastreams", EntitySet.Datastreams, new Back("Sensor", sensor.Id), cancellationToken);
                    await ManyAsync(body, "MultiDatastreams", EntitySet.MultiDatastreams, new Back("Sensor", sensor.Id), cancellationToken);
                    return sensor.Id;
                }

            case "ObservedProperties":
                {
                    if (body.TryGetProperty("MultiDatastreams", out var multi) && multi.ValueKind != JsonValueKind.Null)
                    {
                        // A MultiDatastream's ObservedProperties are ordered (component i of every result is of the i-th),
                        // and one of them cannot say where it stands among the others.
                        throw new EntityBodyException(
                            "An ObservedProperty cannot create or link MultiDatastreams: create the MultiDatastream with its 'ObservedProperties' in the order of its result components.");
                    }

                    var property = await writer.CreateAsync(ObservedPropertyOf(fields, null), cancellationToken);
                    await ManyAsync(body, "Datastreams", EntitySet.Datastreams, new Back("ObservedProperty", property.Id), cancellationToken);
                    return property.Id;
                }

            case "FeaturesOfInterest":
                {
                    var feature = await writer.CreateAsync(FeatureOf(fields, null), cancellationToken);
                    await ManyAsync(body, "Observations", EntitySet.Observations, new Back("FeatureOfInterest", feature.Id), cancellationToken);
                    return feature.Id;
                }

            case "MultiDatastreams":
                {
                    var properties = MultiDatastreamOf(fields, null);
                    var thing = (await OneAsync(set, body, "Thing", EntitySet.Things, back, cancellationToken))!.Value;
                    var sensor = (await OneAsync(set, body, "Sensor", EntitySet.Sensors, back, cancellationToken))!.Value;
                    var observed = await ManyAsync(body, "ObservedProperties", EntitySet.ObservedProperties, null, cancellationToken);

                    // The store refuses arrays of different lengths (MultiDatastreamShapeException), and the unit with it.
                    var multi = await writer.CreateAsync(properties with { ThingId = thing, SensorId = sensor, ObservedPropertyIds = observed }, cancellationToken);
                    await ManyAsync(body, "Observations", EntitySet.Observations, new Back("MultiDatastream", multi.Id), cancellationToken);
                    return multi.Id;
                }

            case "Observations":
                {
                    if (OfMultiDatastream(body, back))
                    {
                        var multi = (await OneAsync(set, body, "MultiDatastream", EntitySet.MultiDatastreams, back, cancellationToken))!.Value;
                        var multiFeature = await OneAsync(set, body, "FeatureOfInterest", EntitySet.FeaturesOfInterest, back, cancellationToken, required: false);
                        var multiObservation = MultiObservationOf(fields, null) with { MultiDatastreamId = multi, FeatureOfInterestId = multiFeature };
                        return (await AppendMultiAsync([multiObservation], cancellationToken))[0];
                    }

                    var properties = ObservationOf(fields, null);
                    var datastream = (await OneAsync(set, body, "Datastream", EntitySet.Datastreams, back, cancellationToken))!.Value;
                    var feature = await OneAsync(set, body, "FeatureOfInterest", EntitySet.FeaturesOfInterest, back, cancellationToken, required: false);
                    var observation = properties with { DatastreamId = datastream, FeatureOfInterestId = feature };
                    return (await AppendAsync([observation], cancellationToken))[0];
                }

            default:
                throw new InvalidOperationException($"Unknown entity set {set.Name}.");
        }
    }

    /// <summary>
    /// Appends Observations (ids ignored) in the unit and remembers them for publishing; returns their new ids.
    /// One without a FeatureOfInterest gets the one derived from its Datastream's Thing's Location, as an
    /// MQTT PUBLISH does (<see cref="DerivedFeatures"/>).
    /// </summary>
    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<Observation> observations, CancellationToken cancellationToken)
    {
        var appended = await DerivedFeatures.FillAsync(
            [.. observations.Select(o => new NewObservation(o.DatastreamId, o.PhenomenonTime, o.Result, o.ResultJson, o.ResultTime, o.FeatureOfInterestId, o.ResultQuality, o.ValidTime, o.Parameters))],
            async (datastreamId, ct) => (await writer.DerivedFeatureOfInterestAsync(datastreamId, ct))?.Id,
            cancellationToken);
        var ids = await writer.AppendAsync(appended, cancellationToken);
        Appended.AddRange(observations.Select((o, i) => o with { Id = ids[i], FeatureOfInterestId = appended[i].FeatureOfInterestId }));
        return ids;
    }

    /// <summary>
    /// Appends Observations of MultiDatastreams (ids ignored) in the unit and returns their new ids. One without a
    /// FeatureOfInterest gets the one derived from its MultiDatastream's Thing's Location, as an Observation of a Datastream does.
    /// </summary>
    public async Task<IReadOnlyList<long>> AppendMultiAsync(IReadOnlyList<MultiObservation> observations, CancellationToken cancellationToken)
    {
        var derived = new Dictionary<long, long?>();
        var complete = new List<MultiObservation>(observations.Count);
        foreach (var observation in observations)
        {
            if (observation.FeatureOfInterestId is not null)
            {
                complete.Add(observation);
                continue;
            }

            if (!derived.TryGetValue(observation.MultiDatastreamId, out var feature))
            {
                derived[observation.MultiDatastreamId] = feature = (await writer.DerivedFeatureOfInterestForMultiDatastreamAsync(observation.MultiDatastreamId, cancellationToken))?.Id;
            }

            complete.Add(observation with { FeatureOfInterestId = feature });
        }

        var ids = await writer.AppendMultiAsync(complete, cancellationToken);
        _appendedMulti += ids.Count;
        return ids;
    }

    /// <summary>
    /// Whether a new Observation belongs to a MultiDatastream: its place or its body names one. It belongs to exactly one
    /// Datastream or MultiDatastream (OGC 18-088, MultiDatastream extension), so naming both is refused.
    /// </summary>
    private static bool OfMultiDatastream(JsonElement body, Back? back)
    {
        var multi = back?.Navigation == "MultiDatastream" || Given(body, "MultiDatastream");
        if (multi && (back?.Navigation == "Datastream" || Given(body, "Datastream")))
        {
            throw new EntityBodyException("An Observation belongs to exactly one Datastream or MultiDatastream, not to both: give either 'Datastream' or 'MultiDatastream'.");
        }

        return multi;
    }

    private static bool Given(JsonElement body, string member) => body.TryGetProperty(member, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>
    /// Updates the entity with <paramref name="id"/>: a PATCH (<paramref name="partial"/>) merges the members
    /// given, a PUT replaces all properties (mandatory ones required). Links in the body (<c>"Thing": {"@iot.id": 2}</c>,
    /// a Thing's <c>Locations</c>) are changed too. Returns whether the entity exists.
    /// </summary>
    public async Task<bool> UpdateAsync(EntitySet set, long id, JsonElement body, bool partial, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new EntityBodyException($"The body must be a JSON object (the {set.EntityType}'s members to change), not {EntityFields.Kind(body)}.");
        }

        if (!await ExistsAsync(set, id, cancellationToken))
        {
            return false;
        }

        CheckMembers(set, body, updatedId: id);
        foreach (var navigation in set.Navigations)
        {
            if (body.TryGetProperty(navigation, out _) && !CanRelink(set, navigation))
            {
                throw new EntityBodyException(
                    $"'{navigation}' of {EntityFields.A(set.EntityType)} cannot be changed here: change the link from the other side (for example the Datastream's 'Thing').");
            }
        }

        var fields = new EntityFields(body, partial, set.EntityType);
        switch (set.Name)
        {
            case "Things":
                await writer.UpdateAsync<Thing>(id, t => ThingOf(fields, t), cancellationToken);
                if (body.TryGetProperty("Locations", out _))
                {
                    await writer.SetThingLocationsAsync(id, await ManyAsync(body, "Locations", EntitySet.Locations, null, cancellationToken), now, cancellationToken);
                }

                break;
            case "Locations":
                await writer.UpdateAsync<StaLocation>(id, l => LocationOf(fields, l), cancellationToken);
                break;
            case "HistoricalLocations":
                {
                    var thing = await OneAsync(set, body, "Thing", EntitySet.Things, null, cancellationToken, required: false);
                    List<long>? locations = body.TryGetProperty("Locations", out _) ? await ManyAsync(body, "Locations", EntitySet.Locations, null, cancellationToken) : null;
                    if (locations is { Count: 0 })
                    {
                        throw new EntityBodyException("A HistoricalLocation needs at least one Location in 'Locations'.");
                    }

                    await writer.UpdateAsync<HistoricalLocation>(
                        id,
                        h => h with { Time = fields.Instant("time", h.Time), ThingId = thing ?? h.ThingId, LocationIds = locations is null ? h.LocationIds : [.. locations.Distinct().Order()] },
                        cancellationToken);
                    break;
                }

            case "Datastreams":
                {
                    var thing = await OneAsync(set, body, "Thing", EntitySet.Things, null, cancellationToken, required: false);
                    var sensor = await OneAsync(set, body, "Sensor", EntitySet.Sensors, null, cancellationToken, required: false);
                    var property = await OneAsync(set, body, "ObservedProperty", EntitySet.ObservedProperties, null, cancellationToken, required: false);
                    await writer.UpdateAsync<Datastream>(
                        id,
                        d => DatastreamOf(fields, d) with { ThingId = thing ?? d.ThingId, SensorId = sensor ?? d.SensorId, ObservedPropertyId = property ?? d.ObservedPropertyId },
                        cancellationToken);
                    break;
                }

            case "Sensors":
                await writer.UpdateAsync<Sensor>(id, s => SensorOf(fields, s), cancellationToken);
                break;
            case "ObservedProperties":
                await writer.UpdateAsync<ObservedProperty>(id, p => ObservedPropertyOf(fields, p), cancellationToken);
                break;
            case "FeaturesOfInterest":
                await writer.UpdateAsync<FeatureOfInterest>(id, f => FeatureOf(fields, f), cancellationToken);
                break;
            case "MultiDatastreams":
                {
                    var thing = await OneAsync(set, body, "Thing", EntitySet.Things, null, cancellationToken, required: false);
                    var sensor = await OneAsync(set, body, "Sensor", EntitySet.Sensors, null, cancellationToken, required: false);
                    List<long>? observed = body.TryGetProperty("ObservedProperties", out _) ? await ManyAsync(body, "ObservedProperties", EntitySet.ObservedProperties, null, cancellationToken) : null;
                    await writer.UpdateAsync<MultiDatastream>(
                        id,
                        m => MultiDatastreamOf(fields, m) with { ThingId = thing ?? m.ThingId, SensorId = sensor ?? m.SensorId, ObservedPropertyIds = observed ?? m.ObservedPropertyIds },
                        cancellationToken);
                    break;
                }

            case "Observations" when await writer.FindMultiObservationAsync(id, cancellationToken) is not null:
                {
                    if (Given(body, "Datastream"))
                    {
                        throw new EntityBodyException($"Observation {id} belongs to a MultiDatastream, so it cannot be given a 'Datastream': an Observation belongs to exactly one of the two.");
                    }

                    var multi = await OneAsync(set, body, "MultiDatastream", EntitySet.MultiDatastreams, null, cancellationToken, required: false);
                    var feature = await OneAsync(set, body, "FeatureOfInterest", EntitySet.FeaturesOfInterest, null, cancellationToken, required: false);
                    await writer.UpdateMultiObservationAsync(
                        id,
                        o => MultiObservationOf(fields, o) with { MultiDatastreamId = multi ?? o.MultiDatastreamId, FeatureOfInterestId = feature ?? o.FeatureOfInterestId },
                        cancellationToken);
                    break;
                }

            case "Observations":
                {
                    if (Given(body, "MultiDatastream"))
                    {
                        throw new EntityBodyException($"Observation {id} belongs to a Datastream, so it cannot be given a 'MultiDatastream': an Observation belongs to exactly one of the two.");
                    }

                    var datastream = await OneAsync(set, body, "Datastream", EntitySet.Datastreams, null, cancellationToken, required: false);
                    var feature = await OneAsync(set, body, "FeatureOfInterest", EntitySet.FeaturesOfInterest, null, cancellationToken, required: false);
                    await UpdateObservationAsync(
                        id,
                        o => ObservationOf(fields, o) with { DatastreamId = datastream ?? o.DatastreamId, FeatureOfInterestId = feature ?? o.FeatureOfInterestId },
                        cancellationToken);
                    break;
                }

            default:
                throw new InvalidOperationException($"Unknown entity set {set.Name}.");
        }

        return true;
    }

    /// <summary>Updates Observation <paramref name="id"/> and notes it as stored afterwards, for <see cref="Announced"/>.</summary>
    private async Task UpdateObservationAsync(long id, Func<Observation, Observation> merge, CancellationToken cancellationToken)
    {
        if (await writer.UpdateObservationAsync(id, merge, cancellationToken) is { } updated)
        {
            _updated.Add(updated);
        }
    }

    /// <summary>Deletes the entity with <paramref name="id"/> with the store's cascades; returns whether it existed.</summary>
    public async Task<bool> DeleteAsync(EntitySet set, long id, CancellationToken cancellationToken) => set.Name switch
    {
        "Things" => await writer.DeleteAsync<Thing>(id, cancellationToken),
        "Locations" => await writer.DeleteAsync<StaLocation>(id, cancellationToken),
        "HistoricalLocations" => await writer.DeleteAsync<HistoricalLocation>(id, cancellationToken),
        "Datastreams" => await writer.DeleteAsync<Datastream>(id, cancellationToken),
        "Sensors" => await writer.DeleteAsync<Sensor>(id, cancellationToken),
        "ObservedProperties" => await writer.DeleteAsync<ObservedProperty>(id, cancellationToken),
        "Observations" => await writer.DeleteObservationAsync(id, cancellationToken),
        "FeaturesOfInterest" => await writer.DeleteAsync<FeatureOfInterest>(id, cancellationToken),
        "MultiDatastreams" => await writer.DeleteAsync<MultiDatastream>(id, cancellationToken),
        _ => throw new InvalidOperationException($"Unknown entity set {set.Name}."),
    };

    /// <summary>
    /// The links an update may change: the single-valued ones, a Thing's Locations, a HistoricalLocation's, and a
    /// MultiDatastream's ObservedProperties (replaced as a whole, since their order is the results' order).
    /// </summary>
    private static bool CanRelink(EntitySet set, string navigation) =>
        EntitySet.Target(navigation).EntityType == navigation
        || (set.Name, navigation) is ("Things", "Locations") or ("HistoricalLocations", "Locations") or ("MultiDatastreams", "ObservedProperties");

    /// <summary>
    /// The id of the single-valued navigation <paramref name="navigation"/>: from <paramref name="back"/> when the
    /// entity's place gives it, else the link or new entity in the body; <c>null</c> when absent and not
    /// <paramref name="required"/>.
    /// </summary>
    private async Task<long?> OneAsync(EntitySet owner, JsonElement body, string navigation, EntitySet target, Back? back, CancellationToken cancellationToken, bool required = true)
    {
        var given = body.TryGetProperty(navigation, out var element) && element.ValueKind != JsonValueKind.Null;
        if (back is not null && back.Navigation == navigation)
        {
            return given
                ? throw new EntityBodyException($"'{navigation}' is given by where the entity is created (its parent or the request path), so the body may not name it too.")
                : back.Id;
        }

        if (!given)
        {
            return required
                ? throw new EntityBodyException($"{EntityFields.A(owner.EntityType, capital: true)} needs its '{navigation}': a link such as {{\"@iot.id\": 1}}, or a new {target.EntityType}.")
                : null;
        }

        return await ResolveAsync(target, element, navigation, null, cancellationToken);
    }

    /// <summary>The ids of the links and new entities in the array <paramref name="navigation"/> (empty when absent).</summary>
    private async Task<List<long>> ManyAsync(JsonElement body, string navigation, EntitySet target, Back? back, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        if (!body.TryGetProperty(navigation, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return ids;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new EntityBodyException($"'{navigation}' must be an array of links such as {{\"@iot.id\": 1}} or new {target.Name}, not {EntityFields.Kind(array)}.");
        }

        foreach (var element in array.EnumerateArray())
        {
            ids.Add(await ResolveAsync(target, element, navigation, back, cancellationToken));
        }

        return ids;
    }

    /// <summary>A link to an existing entity (checked, and given <paramref name="back"/>), or a new entity created.</summary>
    private async Task<long> ResolveAsync(EntitySet set, JsonElement element, string member, Back? back, CancellationToken cancellationToken)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new EntityBodyException($"'{member}' must hold {set.EntityType} objects: a link such as {{\"@iot.id\": 1}} or a new {set.EntityType}, not {EntityFields.Kind(element)}.");
        }

        if (!element.TryGetProperty("@iot.id", out var idElement))
        {
            return await CreateAsync(set, element, back, cancellationToken);
        }

        if (idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out var id))
        {
            throw new EntityBodyException($"'{member}/@iot.id' must be an integer, not {idElement.GetRawText()}.");
        }

        foreach (var other in element.EnumerateObject())
        {
            if (other.Name != "@iot.id" && !IsAnnotation(other.Name))
            {
                throw new EntityBodyException($"'{member}' links an existing {set.EntityType} with '@iot.id', so it may not have other members such as '{other.Name}' (the server assigns ids to new entities).");
            }
        }

        if (!await ExistsAsync(set, id, cancellationToken))
        {
            throw new SensorLinkException(set.EntityType, id);
        }

        if (back is not null)
        {
            await LinkAsync(set, id, back, cancellationToken);
        }

        return id;
    }

    /// <summary>Gives the existing <paramref name="set"/> entity <paramref name="id"/> the link <paramref name="back"/> (a deep insert or navigation POST that names it).</summary>
    private async Task LinkAsync(EntitySet set, long id, Back back, CancellationToken cancellationToken)
    {
        switch (set.Name, back.Navigation)
        {
            case ("Datastreams", "Thing"):
                await writer.UpdateAsync<Datastream>(id, d => d with { ThingId = back.Id }, cancellationToken);
                break;
            case ("Datastreams", "Sensor"):
                await writer.UpdateAsync<Datastream>(id, d => d with { SensorId = back.Id }, cancellationToken);
                break;
            case ("Datastreams", "ObservedProperty"):
                await writer.UpdateAsync<Datastream>(id, d => d with { ObservedPropertyId = back.Id }, cancellationToken);
                break;
            case ("MultiDatastreams", "Thing"):
                await writer.UpdateAsync<MultiDatastream>(id, m => m with { ThingId = back.Id }, cancellationToken);
                break;
            case ("MultiDatastreams", "Sensor"):
                await writer.UpdateAsync<MultiDatastream>(id, m => m with { SensorId = back.Id }, cancellationToken);
                break;
            case ("Observations", "MultiDatastream") when await writer.FindMultiObservationAsync(id, cancellationToken) is not null:
                await writer.UpdateMultiObservationAsync(id, o => o with { MultiDatastreamId = back.Id }, cancellationToken);
                break;
            case ("Observations", "FeatureOfInterest") when await writer.FindMultiObservationAsync(id, cancellationToken) is not null:
                await writer.UpdateMultiObservationAsync(id, o => o with { FeatureOfInterestId = back.Id }, cancellationToken);
                break;
            case ("Observations", "Datastream") or ("Observations", "MultiDatastream"):
                // An Observation of the other kind: it belongs to exactly one Datastream or MultiDatastream.
                throw new EntityBodyException(
                    $"Observation {id} belongs to a {(back.Navigation == "Datastream" ? "MultiDatastream" : "Datastream")}, so it cannot be linked to a {back.Navigation}: an Observation belongs to exactly one of the two.");
            case ("Observations", "FeatureOfInterest"):
                await UpdateObservationAsync(id, o => o with { FeatureOfInterestId = back.Id }, cancellationToken);
                break;
            case ("HistoricalLocations", "Thing"):
                await writer.UpdateAsync<HistoricalLocation>(id, h => h with { ThingId = back.Id }, cancellationToken);
                break;
            case ("HistoricalLocations", "Locations"):
                await writer.UpdateAsync<HistoricalLocation>(id, h => h with { LocationIds = [.. h.LocationIds.Append(back.Id).Distinct().Order()] }, cancellationToken);
                break;
            case ("Things", "Locations"):
                await writer.SetThingLocationsAsync(id, [back.Id], now, cancellationToken);
                break;
            case ("Locations", "Things"):
                await writer.SetThingLocationsAsync(back.Id, [id], now, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"{EntityFields.A(set.EntityType, capital: true)} has no link '{back.Navigation}'.");
        }
    }

    /// <summary>
    /// Refuses members the entity type does not have. <c>@iot.selfLink</c> and <c>…@iot.navigationLink</c>
    /// (as a GET writes them) are ignored, so an entity read can be sent back; <c>@iot.id</c> may only repeat the
    /// id of the entity being updated.
    /// </summary>
    private static void CheckMembers(EntitySet set, JsonElement body, long? updatedId)
    {
        foreach (var member in body.EnumerateObject())
        {
            if (set.Properties.Contains(member.Name) || set.Navigations.Contains(member.Name) || IsAnnotation(member.Name))
            {
                continue;
            }

            if (member.Name == "@iot.id" && updatedId is { } id)
            {
                if (member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt64(out var given) && given == id)
                {
                    continue;
                }

                throw new EntityBodyException($"'@iot.id' is {member.Value.GetRawText()}, but the id of {EntityFields.A(set.EntityType)} cannot change (it is {id}).");
            }

            throw new EntityBodyException(
                $"{EntityFields.A(set.EntityType, capital: true)} has no member '{member.Name}'; it has {string.Join(", ", set.Properties)} and the links {string.Join(", ", set.Navigations)}.");
        }
    }

    private static bool IsAnnotation(string name) =>
        name == "@iot.selfLink" || name.EndsWith("@iot.navigationLink", StringComparison.Ordinal);

    private static Thing ThingOf(EntityFields f, Thing? b) =>
        new(b?.Id ?? 0, f.Text("name", b?.Name), f.Text("description", b?.Description), f.Object("properties", b?.Properties));

    private static StaLocation LocationOf(EntityFields f, StaLocation? b) =>
        new(b?.Id ?? 0, f.Text("name", b?.Name), f.Text("description", b?.Description), f.GeoEncoding("encodingType", b?.EncodingType),
            f.Geometry("location", b?.Geometry), f.Object("properties", b?.Properties));

    /// <summary>
    /// A Datastream's properties. Its observed area and time spans are kept by the store as Observations
    /// arrive, so even a PUT that leaves them out keeps them.
    /// </summary>
    private static Datastream DatastreamOf(EntityFields f, Datastream? b)
    {
        var derived = f with { Partial = true };
        return new(b?.Id ?? 0, f.Text("name", b?.Name), f.Text("description", b?.Description), f.Unit("unitOfMeasurement", b?.UnitOfMeasurement),
            f.Text("observationType", b?.ObservationType), b?.ThingId ?? 0, b?.SensorId ?? 0, b?.ObservedPropertyId ?? 0,
            derived.OptionalGeometry("observedArea", b?.ObservedArea), derived.OptionalTime("phenomenonTime", b?.PhenomenonTime),
            derived.OptionalTime("resultTime", b?.ResultTime), f.Object("properties", b?.Properties));
    }

    /// <summary>
    /// A MultiDatastream's properties; its links are set by the caller. Like a Datastream's, its observed area and time
    /// spans are kept by the store as Observations arrive, so a PUT that leaves them out keeps them.
    /// </summary>
    private static MultiDatastream MultiDatastreamOf(EntityFields f, MultiDatastream? b)
    {
        var derived = f with { Partial = true };
        return new(b?.Id ?? 0, f.Text("name", b?.Name), f.Text("description", b?.Description), f.Units("unitOfMeasurements", b?.UnitOfMeasurements),
            f.Text("observationType", b?.ObservationType), f.Texts("multiObservationDataTypes", b?.MultiObservationDataTypes),
            b?.ThingId ?? 0, b?.SensorId ?? 0, b?.ObservedPropertyIds ?? [],
            derived.OptionalGeometry("observedArea", b?.ObservedArea), derived.OptionalTime("phenomenonTime", b?.PhenomenonTime),
            derived.OptionalTime("resultTime", b?.ResultTime), f.Object("properties", b?.Properties));
    }

    private static Sensor SensorOf(EntityFields f, Sensor? b) =>
        new(b?.Id ?? 0, f.Text("name", b?.Name), f.Text("description", b?.Description), f.Text("encodingType", b?.EncodingType),
            f.Text("metadata", b?.Metadata), f.Object("properties", b?.Properties));

    private static ObservedProperty ObservedPropertyOf(EntityFields f, ObservedProperty? b) =>
        new(b?.Id ?? 0, f.Text("name", b?.Name), f.Text("definition", b?.Definition), f.Text("description", b?.Description), f.Object("properties", b?.Properties));

    private static FeatureOfInterest FeatureOf(EntityFields f, FeatureOfInterest? b) =>
        new(b?.Id ?? 0, f.Text("name", b?.Name), f.Text("description", b?.Description), f.GeoEncoding("encodingType", b?.EncodingType),
            f.Geometry("feature", b?.Feature), f.Object("properties", b?.Properties));

    /// <summary>
    /// The properties of an Observation of a MultiDatastream (its links are set by the caller): as a Datastream's, but the
    /// result is an array of one value per ObservedProperty.
    /// </summary>
    private MultiObservation MultiObservationOf(EntityFields f, MultiObservation? b)
    {
        var resultTime = f.OptionalTime("resultTime", b?.ResultTime is { } stored ? SensorTime.At(stored) : null);
        if (resultTime is { IsInstant: false })
        {
            throw new EntityBodyException("'resultTime' must be an instant, not an interval.");
        }

        return new MultiObservation(
            b?.Id ?? 0,
            b?.MultiDatastreamId ?? 0,
            b?.FeatureOfInterestId,
            f.OptionalTime("phenomenonTime", b?.PhenomenonTime) ?? b?.PhenomenonTime ?? SensorTime.At(now),
            resultTime?.Start,
            f.ResultArray("result", b?.Result),
            f.Any("resultQuality", b?.ResultQuality),
            f.OptionalTime("validTime", b?.ValidTime),
            f.Object("parameters", b?.Parameters));
    }

    /// <summary>An Observation's properties; without a stored one, the phenomenon time defaults to the request's time.</summary>
    private Observation ObservationOf(EntityFields f, Observation? b)
    {
        var (number, other) = f.Result("result", b is null ? null : (b.Result, b.ResultJson));
        var resultTime = f.OptionalTime("resultTime", b?.ResultTime is { } stored ? SensorTime.At(stored) : null);
        if (resultTime is { IsInstant: false })
        {
            throw new EntityBodyException("'resultTime' must be an instant, not an interval.");
        }

        return new Observation(
            b?.Id ?? 0,
            b?.DatastreamId ?? 0,
            b?.FeatureOfInterestId,
            f.OptionalTime("phenomenonTime", b?.PhenomenonTime) ?? b?.PhenomenonTime ?? SensorTime.At(now),
            resultTime?.Start,
            number,
            other,
            f.Any("resultQuality", b?.ResultQuality),
            f.OptionalTime("validTime", b?.ValidTime),
            f.Object("parameters", b?.Parameters));
    }
}

/// <summary>The link a new entity gets from its place: its navigation <paramref name="Navigation"/> names entity <paramref name="Id"/>.</summary>
/// <param name="Navigation">The new entity's navigation property, e.g. <c>Thing</c> for a Datastream in a Thing.</param>
/// <param name="Id">The id of the entity it links to.</param>
internal sealed record Back(string Navigation, long Id);
