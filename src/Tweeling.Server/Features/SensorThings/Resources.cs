using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Domain.Sensors.Query;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// <c>GET /sta/v1.1/…</c> below the service root: an entity set, an entity, a property (and its <c>$value</c>),
/// and the navigations the store answers directly (OGC 18-088 §9.2).
/// </summary>
/// <remarks>
/// One catch-all route, parsed here, because the standard's paths (<c>Things(1)/name/$value</c>) are not
/// route templates and because an unknown set, id or property must each be a clear 404 problem.
/// </remarks>
internal static partial class Resources
{
    public static async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>> Get(
        string path,
        HttpContext http,
        ISensorStore sensors,
        IObservationStore observations,
        CrsTransformer crs,
        CancellationToken cancellationToken)
    {
        var (options, problem) = StaApi.ParseOptions(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var segments = path.TrimEnd('/').Split('/');
        if (SetSegment().Match(segments[0]) is not { Success: true } head || EntitySet.Find(head.Groups["set"].Value) is not { } set)
        {
            return NotFound(path);
        }

        var request = new Request(http, sensors, observations, crs, options!);
        if (!head.Groups["id"].Success)
        {
            return segments.Length == 1 ? await request.ListSetAsync(set, cancellationToken) : NotFound(path);
        }

        if (!long.TryParse(head.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || await set.FindAsync(sensors, observations, id, cancellationToken) is not { } entity)
        {
            return ProblemType.NotFound.With($"There is no {set.EntityType} with id {head.Groups["id"].Value}.");
        }

        if (segments.Length == 1)
        {
            return request.Entity(set, entity);
        }

        var member = segments[1];
        if (member == "$ref" || (segments.Length > 2 && set.Navigations.Contains(member)))
        {
            return ProblemType.NotImplemented.With($"'{path}': association links ($ref) and paths through more than one navigation property are not implemented yet.");
        }

        if (set.Navigations.Contains(member))
        {
            return await request.NavigateAsync(set, entity, member, cancellationToken);
        }

        if (!set.Properties.Contains(member) || segments.Length > 3 || (segments.Length == 3 && segments[2] != "$value"))
        {
            return NotFound(path);
        }

        return request.Property(set, entity, member, raw: segments.Length == 3);
    }

    private static ProblemHttpResult NotFound(string path) =>
        ProblemType.NotFound.With($"There is no resource at '{StaApi.Prefix}/{path}': expected an entity set ({string.Join(", ", EntitySet.All.Select(s => s.Name))}), optionally with '(id)' and a property or navigation property.");

    [GeneratedRegex(@"^(?<set>[A-Za-z]+)(?:\((?<id>[0-9]{1,19})\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SetSegment();

    /// <summary>The parts of one request that every answer needs.</summary>
    private sealed class Request(HttpContext http, ISensorStore sensors, IObservationStore observations, CrsTransformer crs, QueryOptions options)
    {
        private readonly string _root = StaApi.ServiceRoot(http.Request);

        public async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>> ListSetAsync(EntitySet set, CancellationToken cancellationToken)
        {
            if (set == EntitySet.Observations)
            {
                return ProblemType.NotImplemented.With("Listing all Observations is not implemented yet; list them per Datastream at Datastreams(id)/Observations.");
            }

            if (Check(set, phenomenonTimeOrder: false) is { } problem)
            {
                return problem;
            }

            var (top, skip) = Paging();
            var afterId = 0L;
            for (var skipped = 0L; skipped < skip;)
            {
                var passed = await set.ListAsync(sensors, afterId, (int)Math.Min(StaApi.MaxTop, skip - skipped), cancellationToken);
                if (passed.Count == 0)
                {
                    break;
                }

                skipped += passed.Count;
                afterId = passed[^1].Id;
            }

            var page = await set.ListAsync(sensors, afterId, top + 1, cancellationToken);
            long? count = null;
            if (options.Count == true)
            {
                count = 0;
                for (var after = 0L; ;)
                {
                    var batch = await set.ListAsync(sensors, after, StaApi.MaxTop, cancellationToken);
                    count += batch.Count;
                    if (batch.Count < StaApi.MaxTop)
                    {
                        break;
                    }

                    after = batch[^1].Id;
                }
            }

            return Collection(set, page, top, skip, count);
        }

        public async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>> NavigateAsync(
            EntitySet set, ISensorEntity entity, string navigation, CancellationToken cancellationToken)
        {
            var target = EntitySet.Target(navigation);
            switch (entity, navigation)
            {
                case (Datastream datastream, "Observations"):
                    return await DatastreamObservationsAsync(datastream, cancellationToken);
                case (Datastream datastream, "Thing"):
                    return await OneAsync(target, datastream.ThingId, cancellationToken);
                case (Datastream datastream, "Sensor"):
                    return await OneAsync(target, datastream.SensorId, cancellationToken);
                case (Datastream datastream, "ObservedProperty"):
                    return await OneAsync(target, datastream.ObservedPropertyId, cancellationToken);
                case (Observation observation, "Datastream"):
                    return await OneAsync(target, observation.DatastreamId, cancellationToken);
                case (Observation observation, "FeatureOfInterest"):
                    return observation.FeatureOfInterestId is { } featureId
                        ? await OneAsync(target, featureId, cancellationToken)
                        : ProblemType.NotFound.With($"Observation {observation.Id} has no FeatureOfInterest.");
                case (HistoricalLocation historical, "Thing"):
                    return await OneAsync(target, historical.ThingId, cancellationToken);
                case (HistoricalLocation historical, "Locations"):
                    return await ManyAsync(target, historical.LocationIds, cancellationToken);
                case (Thing thing, "Locations"):
                    return await ManyAsync(target, await sensors.ThingLocationsAsync(thing.Id, cancellationToken), cancellationToken);
                default:
                    return ProblemType.NotImplemented.With($"The navigation {set.Name}(id)/{navigation} is not implemented yet.");
            }
        }

        public Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult> Entity(EntitySet set, ISensorEntity entity)
        {
            if (StaApi.Unevaluated(options, phenomenonTimeOrder: false) is { } unevaluated)
            {
                return unevaluated;
            }

            if (StaApi.CheckSelect(options, set) is { } badSelect)
            {
                return badSelect;
            }

            return StaApi.Json(json => new EntityJson(json, _root, options.Select, crs).Write(set, entity));
        }

        /// <summary><c>…/name</c> as <c>{"name": …}</c>, or with <paramref name="raw"/> (<c>…/name/$value</c>) the bare value as text.</summary>
        public Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult> Property(EntitySet set, ISensorEntity entity, string property, bool raw)
        {
            if (StaApi.Unevaluated(options, phenomenonTimeOrder: false) is { } unevaluated)
            {
                return unevaluated;
            }

            // Written through the one entity writer so that a property reads exactly as it does in the entity.
            var body = StaApi.Json(json => new EntityJson(json, _root, [property], crs).Write(set, entity));
            using var document = JsonDocument.Parse(body.Body);
            var value = document.RootElement.GetProperty(property);
            if (value.ValueKind == JsonValueKind.Null)
            {
                return TypedResults.NoContent();
            }

            if (raw)
            {
                var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                return TypedResults.Text(text, "text/plain", Encoding.UTF8);
            }

            var copy = value.Clone();
            return StaApi.Json(json =>
            {
                json.WriteStartObject();
                json.WritePropertyName(property);
                copy.WriteTo(json);
                json.WriteEndObject();
            });
        }

        private async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>> OneAsync(EntitySet target, long id, CancellationToken cancellationToken) =>
            await target.FindAsync(sensors, observations, id, cancellationToken) is { } linked
                ? Entity(target, linked)
                : ProblemType.NotFound.With($"There is no {target.EntityType} with id {id}.");

        /// <summary>A collection of the entities with <paramref name="ids"/> (a short list: a Thing's or HistoricalLocation's Locations).</summary>
        private async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>> ManyAsync(EntitySet target, IReadOnlyList<long> ids, CancellationToken cancellationToken)
        {
            if (Check(target, phenomenonTimeOrder: false) is { } problem)
            {
                return problem;
            }

            var (top, skip) = Paging();
            var page = new List<ISensorEntity>();
            foreach (var id in ids.Order().Skip((int)Math.Min(skip, int.MaxValue)).Take(top + 1))
            {
                if (await target.FindAsync(sensors, observations, id, cancellationToken) is { } linked)
                {
                    page.Add(linked);
                }
            }

            return Collection(target, page, top, skip, options.Count == true ? ids.Count : null);
        }

        /// <summary>The hot path: a Datastream's Observations, newest first unless <c>$orderby=phenomenonTime asc</c>.</summary>
        private async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>> DatastreamObservationsAsync(Datastream datastream, CancellationToken cancellationToken)
        {
            var set = EntitySet.Observations;
            if (Check(set, phenomenonTimeOrder: true) is { } problem)
            {
                return problem;
            }

            var (top, skip) = Paging();
            if (skip > int.MaxValue - StaApi.MaxTop - 1)
            {
                return ProblemType.InvalidParameter.With($"$skip: at most {int.MaxValue - StaApi.MaxTop - 1} on Observations, not {skip}.");
            }

            var order = StaApi.IsPhenomenonTimeOrder(options) && options.OrderBy[0].Direction == SortDirection.Ascending
                ? TimeOrder.OldestFirst
                : TimeOrder.NewestFirst;
            var page = await observations.ObservationsAsync(datastream.Id, null, null, top + 1, (int)skip, order, cancellationToken);
            long? count = null;
            if (options.Count == true)
            {
                count = 0;
                for (var offset = 0; ; offset += StaApi.MaxTop)
                {
                    var batch = await observations.ObservationsAsync(datastream.Id, null, null, StaApi.MaxTop, offset, order, cancellationToken);
                    count += batch.Count;
                    if (batch.Count < StaApi.MaxTop)
                    {
                        break;
                    }
                }
            }

            return Collection(set, page, top, skip, count);
        }

        private ProblemHttpResult? Check(EntitySet set, bool phenomenonTimeOrder) =>
            StaApi.Unevaluated(options, phenomenonTimeOrder) ?? StaApi.CheckSelect(options, set);

        private (int Top, long Skip) Paging() =>
            ((int)Math.Min(options.Top ?? StaApi.DefaultTop, StaApi.MaxTop), options.Skip ?? 0);

        /// <summary>
        /// Writes <c>{"@iot.count"?, "value", "@iot.nextLink"?}</c>. <paramref name="page"/> holds up to one entity
        /// more than <paramref name="top"/>: that one only says that a next page exists.
        /// </summary>
        private StaJsonResult Collection<T>(EntitySet set, IReadOnlyList<T> page, int top, long skip, long? count)
            where T : ISensorEntity
        {
            var more = page.Count > top && top > 0;
            return StaApi.Json(json =>
            {
                json.WriteStartObject();
                if (count is { } total)
                {
                    json.WriteNumber("@iot.count", total);
                }

                json.WriteStartArray("value");
                var writer = new EntityJson(json, _root, options.Select, crs);
                for (var i = 0; i < Math.Min(top, page.Count); i++)
                {
                    writer.Write(set, page[i]);
                }

                json.WriteEndArray();
                if (more)
                {
                    json.WriteString("@iot.nextLink", NextLink(top, skip + top));
                }

                json.WriteEndObject();
            });
        }

        /// <summary>This request's URL with <c>$top</c> and <c>$skip</c> for the next page; the other parameters as they were.</summary>
        private string NextLink(int top, long skip)
        {
            var query = new List<KeyValuePair<string, string?>>();
            foreach (var (name, values) in http.Request.Query)
            {
                if (name is not "$top" and not "$skip")
                {
                    query.AddRange(values.Select(v => new KeyValuePair<string, string?>(name, v)));
                }
            }

            query.Add(new("$top", top.ToString(CultureInfo.InvariantCulture)));
            query.Add(new("$skip", skip.ToString(CultureInfo.InvariantCulture)));
            var request = http.Request;
            return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{QueryString.Create(query)}";
        }
    }
}
