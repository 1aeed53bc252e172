using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Domain.Sensors.Query;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// <c>GET /sta/v1.1/…</c> below the service root (OGC 18-088 §9.2–9.3): an entity set, an entity, a property (and
/// its <c>$value</c>), any navigation path (<c>Datastreams(1)/Thing/Locations</c>,
/// <c>Things(1)/Datastreams(2)/Observations</c>), association links (<c>$ref</c>), with <c>$filter</c>,
/// <c>$orderby</c>, <c>$top</c>, <c>$skip</c>, <c>$count</c>, <c>$select</c>, <c>$expand</c> and, on Observations,
/// <c>$resultFormat=dataArray</c>.
/// </summary>
/// <remarks>
/// One catch-all route, parsed here, because the standard's paths are not route templates and because an unknown
/// set, id or property must each be a clear 404 problem. Every collection is read through
/// <see cref="ISensorStore.QueryAsync"/>; an id after a to-many navigation (<c>Things(1)/Datastreams(2)</c>) must be a
/// member of that collection, else 404.
/// </remarks>
internal static partial class Resources
{
    /// <summary>
    /// Answers a GET with what the caller may see: from <paramref name="answers"/> when the same URL was answered for
    /// the same visibility since the last commit to the store, else computed (and kept when the URL was asked before,
    /// see <see cref="StaAnswerCache.AskedBefore"/>). Every JSON answer carries
    /// its entity tag, so a client that sends it back in <c>If-None-Match</c> gets 304 while it still holds.
    /// </summary>
    public static async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>> Get(
        string path,
        HttpContext http,
        ISensorStore sensors,
        ReadAccess access,
        StaAnswerCache answers,
        RecentObservations recent,
        CrsTransformer crs,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        // One read of the commit count serves the access seam's catalog and the answers: taken before the answer is
        // computed, see StaAnswerCache on why this order keeps stale answers out.
        var commitCount = answers.CommitCount;
        var visibility = await access.SensorVisibilityAsync(http, commitCount, cancellationToken);
        var generation = answers.At(commitCount);
        var key = StaAnswerCache.KeyOf(http.Request, visibility);
        if (key is null)
        {
            return await GetAsync(path, http, visibility, sensors, crs, time, (recent, commitCount), cancellationToken);
        }

        // Concurrent misses of one key wait for the first; an answer that is not kept (a problem) each computes itself.
        Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>? own = null;
        var answer = await generation.GetOrComputeAsync(
            key,
            async () =>
            {
                own = await GetAsync(path, http, visibility, sensors, crs, time, (recent, commitCount), cancellationToken);
                return own.Result is StaJsonResult { StatusCode: StatusCodes.Status200OK } json ? json.Tagged() : null;
            },
            cancellationToken,
            keep: answers.AskedBefore(key),
            scopeOf: () => AnswerScope.Of(path, http.Request));
        if (answer is not null)
        {
            return answer;
        }

        return own ?? await GetAsync(path, http, visibility, sensors, crs, time, (recent, commitCount), cancellationToken);
    }

    /// <summary>
    /// Answers a GET of <paramref name="path"/> with what <paramref name="visibility"/> shows: every entity, by id,
    /// in a collection, through navigation or <c>$expand</c>, is read through the store with it, so an entity the
    /// caller may not see is a 404 by id and absent (and uncounted) everywhere else. With <paramref name="recent"/>, a
    /// time window of one Datastream's Observations is read from memory (<see cref="RecentObservations"/>) when it holds it;
    /// its commit count is the one read before anything of this request was computed.
    /// </summary>
    public static async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>> GetAsync(
        string path,
        HttpContext http,
        SensorVisibility visibility,
        ISensorStore sensors,
        CrsTransformer crs,
        TimeProvider time,
        (RecentObservations Series, long CommitCount)? recent,
        CancellationToken cancellationToken)
    {
        var (options, problem) = StaApi.ParseOptions(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var segments = path.TrimEnd('/').Split('/');
        if (Segment().Match(segments[0]) is not { Success: true } head || EntitySet.FindReadable(head.Groups["name"].Value) is not { } set)
        {
            return NotFound(path);
        }

        var request = new Request(http, sensors, crs, time, options!, visibility, recent);
        try
        {
            if (!head.Groups["id"].Success)
            {
                return segments switch
                {
                    [_] => (await request.CollectionAsync(set, null, cancellationToken))!,
                    _ => NotFound(path),
                };
            }

            if (!long.TryParse(head.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return ProblemType.NotFound.With($"There is no {set.EntityType} with id {head.Groups["id"].Value}.");
            }

            if (set == EntitySet.Datastreams && segments is [_, "Observations"] && await request.ObservationsIfAnyAsync(id, cancellationToken) is { } observations)
            {
                return observations;
            }

            if (await request.FindAsync(set, id, cancellationToken) is not { } entity)
            {
                return ProblemType.NotFound.With($"There is no {set.EntityType} with id {head.Groups["id"].Value}.");
            }

            return await request.ResolveAsync(path, segments, set, entity, cancellationToken);
        }
        catch (SensorQueryException e)
        {
            return ProblemType.InvalidParameter.With(e.Message);
        }
    }

    private static ProblemHttpResult NotFound(string path) =>
        ProblemType.NotFound.With($"There is no resource at '{StaApi.Prefix}/{path}': expected an entity set ({string.Join(", ", EntitySet.All.Select(s => s.Name))}), optionally with '(id)', then navigation properties (with '(id)' after one that leads to many), a property, '$value' or '$ref'.");

    [GeneratedRegex(@"^(?<name>[A-Za-z]+)(?:\((?<id>[0-9]{1,19})\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();

    /// <summary>The parts of one request that every answer needs.</summary>
    private sealed class Request(
        HttpContext http, ISensorStore sensors, CrsTransformer crs, TimeProvider time, QueryOptions options, SensorVisibility visibility, (RecentObservations Series, long CommitCount)? recent)
    {
        /// <summary>
        /// The most expanded collections and entities one request may read. Each is one store query, and nested
        /// <c>$expand</c>s multiply (100 Things × 100 Datastreams × …), so a request beyond this is refused
        /// before it occupies the server, with a hint to narrow it.
        /// </summary>
        private const int MaxExpansions = 10_000;

        private readonly string _root = StaApi.ServiceRoot(http.Request);
        private int _expansions;

        /// <summary>The entity of <paramref name="set"/> with <paramref name="id"/>, when it exists and is visible.</summary>
        public async Task<ISensorEntity?> FindAsync(EntitySet set, long id, CancellationToken cancellationToken)
        {
            var byId = new BinaryExpression(BinaryOperator.Eq, new PropertyPath("id"), new IntegerLiteral(id));
            var found = await sensors.QueryAsync(Query(set, null, byId, [], 1, 0, count: false), cancellationToken);
            return found.Entities is [var entity] ? entity : null;
        }

        /// <summary>
        /// <c>Datastreams(id)/Observations</c> (the read behind every chart, mostly a time window) in one store query: a page
        /// with Observations in it proves that the Datastream exists and that the caller may see it, since the page's
        /// visibility condition is exactly the Datastream's (<see cref="SensorVisibility"/>: all of a Datastream's
        /// Observations are visible or none). Only an empty page needs the look-up by id that tells an empty collection
        /// from a 404, so for an empty page, a problem or a query the store refuses this returns <c>null</c> and the
        /// request takes the general path, which answers exactly as before (404 before 400).
        /// </summary>
        public async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>?> ObservationsIfAnyAsync(long datastreamId, CancellationToken cancellationToken)
        {
            try
            {
                var answer = await CollectionAsync(EntitySet.Observations, new SensorScope(SensorEntitySet.Datastreams, datastreamId, "Observations"), cancellationToken, unlessEmpty: true);
                return answer?.Result is StaJsonResult ? answer : null;
            }
            catch (SensorQueryException)
            {
                return null;
            }
        }

        /// <summary>Follows the segments after <c>Set(id)</c>: navigations, then a property, <c>$value</c> or <c>$ref</c>.</summary>
        public async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>> ResolveAsync(
            string path, string[] segments, EntitySet set, ISensorEntity entity, CancellationToken cancellationToken)
        {
            var viaNavigation = false;
            for (var i = 1; i < segments.Length; i++)
            {
                var segment = segments[i];
                var last = i == segments.Length - 1;
                if (segment == "$ref" && last && viaNavigation)
                {
                    return StaApi.Json(json =>
                    {
                        json.WriteStartObject();
                        json.WriteString("@iot.selfLink", SelfLink(set, entity));
                        json.WriteEndObject();
                    });
                }

                if (Segment().Match(segment) is { Success: true } match && set.Navigations.Contains(match.Groups["name"].Value))
                {
                    var navigation = match.Groups["name"].Value;
                    var target = EntitySet.Target(navigation);
                    var scope = new SensorScope(set.Key, entity.Id, navigation);
                    var toMany = EntitySet.IsToMany(navigation);
                    if (toMany && !match.Groups["id"].Success)
                    {
                        return (segments.Length - i) switch
                        {
                            1 => (await CollectionAsync(target, scope, cancellationToken))!,
                            2 when segments[i + 1] == "$ref" => (await CollectionAsync(target, scope, cancellationToken, references: true))!,
                            _ => NotFound(path),
                        };
                    }

                    if (match.Groups["id"].Success && (!toMany || !long.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                    {
                        return NotFound(path);
                    }

                    FilterExpression? member = match.Groups["id"].Success
                        ? new BinaryExpression(BinaryOperator.Eq, new PropertyPath("id"), new IntegerLiteral(long.Parse(match.Groups["id"].ValueSpan, CultureInfo.InvariantCulture)))
                        : null;
                    var found = await sensors.QueryAsync(Query(target, scope, member, [], 1, 0, count: false), cancellationToken);
                    if (found.Entities is not [var next])
                    {
                        return ProblemType.NotFound.With(member is null
                            ? $"{set.EntityType} {entity.Id} has no {navigation}."
                            : $"There is no {target.EntityType} with id {match.Groups["id"].Value} among the {navigation} of {set.EntityType} {entity.Id}.");
                    }

                    (set, entity, viaNavigation) = (target, next, true);
                    continue;
                }

                if (set.Properties.Contains(segment) && (last || (i == segments.Length - 2 && segments[i + 1] == "$value")))
                {
                    return Property(set, entity, segment, raw: !last);
                }

                return NotFound(path);
            }

            return await EntityAsync(set, entity, cancellationToken);
        }

        /// <summary>
        /// A collection: a whole set or a to-many navigation; with <paramref name="references"/> only the self links. With
        /// <paramref name="unlessEmpty"/>, <c>null</c> instead of an answer without entities.
        /// </summary>
        public async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>?> CollectionAsync(
            EntitySet set, SensorScope? scope, CancellationToken cancellationToken, bool references = false, bool unlessEmpty = false)
        {
            var dataArray = options.ResultFormat == ResultFormat.DataArray && !references;
            if (dataArray && set != EntitySet.Observations)
            {
                return ProblemType.InvalidParameter.With($"$resultFormat: dataArray is defined for Observations only, not for {set.Name}.");
            }

            var badSelect = dataArray ? DataArray.CheckComponents(options.Select) : StaApi.CheckSelect(options, set);
            if (badSelect is not null)
            {
                return badSelect;
            }

            var (top, skip) = Paging(options);
            var query = Query(set, scope, options.Filter, options.OrderBy, top + 1, skip, options.Count == true);
            var page = (recent is var (series, commitCount) ? await series.TryQueryAsync(query, commitCount, cancellationToken) : null)
                ?? await sensors.QueryAsync(query, cancellationToken);
            if (unlessEmpty && page.Entities.Count == 0)
            {
                return null;
            }

            var more = page.Entities.Count > top && top > 0;
            var entities = page.Entities.Take(top).ToList();
            var nextLink = more ? NextLink(top, skip + top) : null;
            if (dataArray)
            {
                return StaApi.Json(json => DataArray.Write(json, _root, entities, options.Select, page.Count, nextLink));
            }

            var nodes = references ? [] : await NodesAsync(set, entities, options, cancellationToken);
            return StaApi.Json(json =>
            {
                json.WriteStartObject();
                if (page.Count is { } total)
                {
                    json.WriteNumber("@iot.count", total);
                }

                json.WriteStartArray("value");
                if (references)
                {
                    foreach (var entity in entities)
                    {
                        json.WriteStartObject();
                        json.WriteString("@iot.selfLink", SelfLink(set, entity));
                        json.WriteEndObject();
                    }
                }
                else
                {
                    foreach (var node in nodes)
                    {
                        WriteNode(json, node);
                    }
                }

                json.WriteEndArray();
                if (nextLink is not null)
                {
                    json.WriteString("@iot.nextLink", nextLink);
                }

                json.WriteEndObject();
            });
        }

        /// <summary>One entity with <c>$select</c> and <c>$expand</c>; the other options concern collections and do not apply.</summary>
        private async Task<Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult>> EntityAsync(EntitySet set, ISensorEntity entity, CancellationToken cancellationToken)
        {
            if (StaApi.CheckSelect(options, set) is { } badSelect)
            {
                return badSelect;
            }

            var nodes = await NodesAsync(set, [entity], options, cancellationToken);
            return StaApi.Json(json => WriteNode(json, nodes[0]));
        }

        /// <summary><c>…/name</c> as <c>{"name": …}</c>, or with <paramref name="raw"/> (<c>…/name/$value</c>) the bare value as text.</summary>
        private Results<StaJsonResult, ContentHttpResult, NoContent, ProblemHttpResult> Property(EntitySet set, ISensorEntity entity, string property, bool raw)
        {
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

        /// <summary>
        /// The entities with what <paramref name="entityOptions"/>' <c>$expand</c> asks, read before writing so that the
        /// writer stays synchronous. <c>Datastreams/ObservedProperty</c> expands Datastreams and, inside each, ObservedProperty.
        /// Each navigation is read for all <paramref name="entities"/> at once (<see cref="ISensorStore.QueryEachAsync"/>),
        /// and so is each level below it, so a request costs a store read per expanded navigation and level, not per entity.
        /// </summary>
        private async Task<List<Node>> NodesAsync(EntitySet set, IReadOnlyList<ISensorEntity> entities, QueryOptions entityOptions, CancellationToken cancellationToken)
        {
            var expansions = Expansions(set, entityOptions.Expand);
            var expanded = entities.Select(_ => new List<Expanded>(expansions.Count)).ToList();
            foreach (var (navigation, nested) in expansions)
            {
                var each = await ExpandAsync(set, entities, navigation, nested, cancellationToken);
                for (var i = 0; i < entities.Count; i++)
                {
                    expanded[i].Add(each[i]);
                }
            }

            return [.. entities.Select((entity, i) => new Node(set, entity, entityOptions.Select, expanded[i]))];
        }

        /// <summary>
        /// <paramref name="navigation"/> of each of <paramref name="entities"/>, with <paramref name="nested"/> applied per
        /// entity (its <c>$filter</c>, <c>$orderby</c>, <c>$top</c>, <c>$skip</c> and <c>$count</c> page each entity's own
        /// related entities), one <see cref="Expanded"/> per entity in order.
        /// </summary>
        private async Task<List<Expanded>> ExpandAsync(EntitySet set, IReadOnlyList<ISensorEntity> entities, string navigation, QueryOptions nested, CancellationToken cancellationToken)
        {
            _expansions += entities.Count;
            if (_expansions > MaxExpansions)
            {
                throw new SensorQueryException($"$expand: this request would expand more than {MaxExpansions} navigation properties; narrow it with $top or $filter (also inside $expand).");
            }

            if (entities.Count == 0)
            {
                return [];
            }

            var target = EntitySet.Target(navigation);
            var scope = new SensorScope(set.Key, entities[0].Id, navigation);
            var toMany = EntitySet.IsToMany(navigation);
            var (top, skip) = toMany ? Paging(nested) : (1, 0L);
            var query = toMany
                ? Query(target, scope, nested.Filter, nested.OrderBy, top + 1, skip, nested.Count == true)
                : Query(target, scope, null, [], 1, 0, count: false);
            var pages = await sensors.QueryEachAsync(query, [.. entities.Select(e => e.Id)], cancellationToken);

            // The related entities of all parents are expanded further together, then handed back to their parents.
            var kept = pages.Select(page => toMany ? page.Entities.Take(top).ToList() : page.Entities.ToList()).ToList();
            var children = await NodesAsync(target, [.. kept.SelectMany(k => k)], nested, cancellationToken);
            var result = new List<Expanded>(entities.Count);
            var offset = 0;
            for (var i = 0; i < entities.Count; i++)
            {
                var nodes = children.GetRange(offset, kept[i].Count);
                offset += kept[i].Count;
                string? nextLink = null;
                if (toMany && pages[i].Entities.Count > top && top > 0)
                {
                    var next = nested with { Top = top, Skip = skip + top };
                    nextLink = $"{_root}/{set.Name}({entities[i].Id})/{navigation}{QueryString.Create(next.ToQueryParameters().Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))}";
                }

                result.Add(new Expanded(navigation, toMany, nodes, toMany ? pages[i].Count : null, nextLink));
            }

            return result;
        }

        /// <summary>
        /// Groups the <c>$expand</c> items by their first navigation: <c>Datastreams/Sensor</c> becomes
        /// <c>Datastreams($expand=Sensor)</c>, merged with a plain <c>Datastreams(…)</c>. An unknown name is a 400.
        /// </summary>
        private static List<(string Navigation, QueryOptions Options)> Expansions(EntitySet set, IReadOnlyList<ExpandItem> items)
        {
            var grouped = new List<(string Navigation, QueryOptions? Options, List<ExpandItem> Children)>();
            foreach (var item in items)
            {
                var segments = item.Segments;
                if (!set.Navigations.Contains(segments[0]))
                {
                    throw new SensorQueryException($"$expand: {set.EntityType} has no navigation property '{segments[0]}'; it has {string.Join(", ", set.Navigations)}.");
                }

                var index = grouped.FindIndex(g => g.Navigation == segments[0]);
                if (index < 0)
                {
                    grouped.Add((segments[0], null, []));
                    index = grouped.Count - 1;
                }

                var group = grouped[index];
                if (segments.Count == 1)
                {
                    grouped[index] = (group.Navigation, item.Options, group.Children);
                }
                else
                {
                    group.Children.Add(new ExpandItem(string.Join('/', segments.Skip(1)), item.Options));
                }
            }

            var result = new List<(string, QueryOptions)>();
            foreach (var (navigation, own, children) in grouped)
            {
                var options = own ?? QueryOptions.None;
                options = options with { Expand = [.. options.Expand, .. children] };
                if (StaApi.CheckSelect(options, EntitySet.Target(navigation)) is not null)
                {
                    var target = EntitySet.Target(navigation);
                    var unknown = options.Select.First(s => !target.CanSelect(s));
                    throw new SensorQueryException($"$expand: $select of {navigation}: {target.EntityType} has no property or navigation property '{unknown}'.");
                }

                result.Add((navigation, options));
            }

            return result;
        }

        private void WriteNode(Utf8JsonWriter json, Node node)
        {
            var writer = new EntityJson(json, _root, node.Select, crs);
            writer.Write(node.Set, node.Entity, node.Expanded.Count == 0 ? null : members =>
            {
                foreach (var expanded in node.Expanded)
                {
                    if (!expanded.ToMany)
                    {
                        members.WritePropertyName(expanded.Navigation);
                        if (expanded.Entities is [var one])
                        {
                            WriteNode(members, one);
                        }
                        else
                        {
                            members.WriteNullValue();
                        }

                        continue;
                    }

                    if (expanded.Count is { } count)
                    {
                        members.WriteNumber(expanded.Navigation + "@iot.count", count);
                    }

                    members.WriteStartArray(expanded.Navigation);
                    foreach (var child in expanded.Entities)
                    {
                        WriteNode(members, child);
                    }

                    members.WriteEndArray();
                    if (expanded.NextLink is not null)
                    {
                        members.WriteString(expanded.Navigation + "@iot.nextLink", expanded.NextLink);
                    }
                }
            });
        }

        /// <summary>
        /// A query of the store. A Datastream's or MultiDatastream's Observations come newest first unless <c>$orderby</c> says
        /// otherwise (the primary key serves both directions); everything else in id order.
        /// </summary>
        private SensorQuery Query(EntitySet set, SensorScope? scope, FilterExpression? filter, IReadOnlyList<OrderByItem> orderBy, int top, long skip, bool count)
        {
            if (orderBy.Count == 0 && scope is { Set: SensorEntitySet.Datastreams or SensorEntitySet.MultiDatastreams, Navigation: "Observations" })
            {
                orderBy = [new OrderByItem(new PropertyPath("phenomenonTime"), SortDirection.Descending)];
            }

            return new SensorQuery(set.Key, scope, filter, orderBy, top, skip, count, time.GetUtcNow(), visibility);
        }

        private string SelfLink(EntitySet set, ISensorEntity entity) => $"{_root}/{set.Name}({entity.Id})";

        private static (int Top, long Skip) Paging(QueryOptions options) =>
            ((int)Math.Min(options.Top ?? StaApi.DefaultTop, StaApi.MaxTop), options.Skip ?? 0);

        /// <summary>This request's URL with <c>$top</c> and <c>$skip</c> for the next page; the other parameters (filter, order, …) as they were.</summary>
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

    /// <summary>An entity to write, with the <c>$select</c> that applies to it and what was expanded inside it.</summary>
    private sealed record Node(EntitySet Set, ISensorEntity Entity, IReadOnlyList<string> Select, IReadOnlyList<Expanded> Expanded);

    /// <summary>One expanded navigation property of an entity: its entities and, for a to-many one, the count and next link.</summary>
    private sealed record Expanded(string Navigation, bool ToMany, IReadOnlyList<Node> Entities, long? Count, string? NextLink);
}
