using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Audit;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Governance.Audit;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// <c>POST</c>, <c>PATCH</c>, <c>PUT</c> and <c>DELETE</c> below <c>/sta/v1.1</c> (OGC 18-088 §10): create in an
/// entity set or a navigation collection (<c>Things(1)/Datastreams</c>) with deep insert, update and delete one
/// entity. Each request is one write unit of the store: it answers only once durable, and a request that fails
/// stores nothing. Observations it appended or updated are published on the <see cref="ObservationAnnouncer"/> after the commit (judged against the thresholds, then on the live bus).
/// </summary>
internal static partial class EntityWrites
{
    /// <summary>The largest body of one entity write: a deep insert of a Thing with its Datastreams fits many times over.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static Task<IResult> Post(string path, HttpContext http, ISensorStore sensors, IObservationStore observations, ObservationAnnouncer bus, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken) =>
        HandleAsync(HttpMethods.Post, path, http, sensors, observations, bus, crs, time, cancellationToken);

    public static Task<IResult> Patch(string path, HttpContext http, ISensorStore sensors, IObservationStore observations, ObservationAnnouncer bus, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken) =>
        HandleAsync(HttpMethods.Patch, path, http, sensors, observations, bus, crs, time, cancellationToken);

    public static Task<IResult> Put(string path, HttpContext http, ISensorStore sensors, IObservationStore observations, ObservationAnnouncer bus, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken) =>
        HandleAsync(HttpMethods.Put, path, http, sensors, observations, bus, crs, time, cancellationToken);

    public static Task<IResult> Delete(string path, HttpContext http, ISensorStore sensors, IObservationStore observations, ObservationAnnouncer bus, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken) =>
        HandleAsync(HttpMethods.Delete, path, http, sensors, observations, bus, crs, time, cancellationToken);

    /// <summary>
    /// One write inside a unit: <paramref name="method"/> (POST, PATCH, PUT, DELETE) at <paramref name="path"/>
    /// (below the service root) with <paramref name="body"/> (none for DELETE). Returns what to answer with;
    /// anything wrong throws, so that the unit stores nothing.
    /// </summary>
    public static async Task<Written> ApplyAsync(EntityWriter writer, string method, string path, JsonElement? body, CancellationToken cancellationToken)
    {
        var target = Target.Parse(path);
        if (target.Problem is not null)
        {
            throw new StaProblemException(target.Problem);
        }

        var set = target.Set!;
        if (method == HttpMethods.Post)
        {
            if (target.Id is not null && target.Navigation is null)
            {
                throw new StaProblemException(ProblemType.MethodNotAllowed.With(
                    $"POST creates entities in an entity set or a navigation collection, not at the entity '{StaApi.Prefix}/{path}': use PATCH or PUT to change it."));
            }

            Back? back = null;
            if (target.Navigation is { } navigation)
            {
                back = EntityWriter.BackOf(set, navigation, target.Id!.Value) ?? throw new StaProblemException(ProblemType.MethodNotAllowed.With(
                    $"New entities cannot be created at '{StaApi.Prefix}/{path}': {NoCreateReason(set, navigation)}"));
                if (!await writer.ExistsAsync(set, back.Id, cancellationToken))
                {
                    throw new PathNotFoundException($"There is no {set.EntityType} with id {back.Id}.");
                }
            }

            var created = EntitySet.Target(target.Navigation ?? set.Name);
            return new Written(created, await writer.CreateAsync(created, body ?? throw new EntityBodyException("A POST needs a JSON body."), back, cancellationToken), StatusCodes.Status201Created);
        }

        if (target.Id is not { } id || target.Navigation is not null)
        {
            throw new StaProblemException(ProblemType.MethodNotAllowed.With(
                $"{method} applies to one entity, such as '{StaApi.Prefix}/{set.Name}(1)', not to '{StaApi.Prefix}/{path}'."));
        }

        var found = method == HttpMethods.Delete
            ? await writer.DeleteAsync(set, id, cancellationToken)
            : await writer.UpdateAsync(set, id, body ?? throw new EntityBodyException($"A {method} needs a JSON body."), partial: method == HttpMethods.Patch, cancellationToken);
        return found ? new Written(set, id, StatusCodes.Status200OK) : throw new PathNotFoundException($"There is no {set.EntityType} with id {id}.");
    }

    /// <summary>Why a POST to <paramref name="set"/>'s navigation collection <paramref name="navigation"/> cannot create there.</summary>
    private static string NoCreateReason(EntitySet set, string navigation) => (set.Name, navigation) switch
    {
        ("ObservedProperties", "MultiDatastreams") or ("MultiDatastreams", "ObservedProperties") =>
            "a MultiDatastream's ObservedProperties are ordered (component i of every result is of the i-th), and a POST here cannot say where the new one stands; "
            + $"POST to {StaApi.Prefix}/MultiDatastreams with its 'ObservedProperties' in result order, or change them with PATCH on the MultiDatastream.",
        _ when EntitySet.IsToMany(navigation) =>
            $"{set.EntityType}/{navigation} cannot take new entities from this side; create them at {StaApi.Prefix}/{navigation} with their links.",
        _ => $"{set.EntityType}/{navigation} is a single link; change it with PATCH on the {set.EntityType}.",
    };

    /// <summary>The answer to a committed write: the entity as a GET writes it (201 with a <c>Location</c> when created), or an empty 200 after a DELETE.</summary>
    public static async Task<IResult> AnswerAsync(
        string method, Written written, ISensorStore sensors, IObservationStore observations, CrsTransformer crs, string root, CancellationToken cancellationToken) =>
        method == HttpMethods.Delete
            ? TypedResults.Ok()
            : await EntityAsync(sensors, observations, crs, root, written.Set, written.Id, written.Status, cancellationToken);

    /// <summary>
    /// Runs <paramref name="unit"/> as one store write unit and publishes the Observations it appended or updated. A bad
    /// body, an unknown link or an unknown path id becomes a problem (400, 400, 404) and nothing is stored.
    /// </summary>
    /// <remarks>
    /// The unit appends one audit record for the request (docs/audit.md), so the change and its record commit
    /// together: who (<see cref="ReadAccess.CallerOf"/>), the method and path, and how much it wrote — the
    /// Observations appended, else the entities the request named (the parts of a change set). One record per
    /// request, not per Observation, so a dataArray of thousands costs one record.
    /// </remarks>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> RunAsync<T>(
        HttpContext http,
        ISensorStore sensors,
        ObservationAnnouncer bus,
        TimeProvider time,
        Func<EntityWriter, CancellationToken, Task<T>> unit,
        CancellationToken cancellationToken)
    {
        try
        {
            (T Value, (IReadOnlyList<Observation> Appended, IReadOnlyList<Observation> Changed) Announced) written;
            try
            {
                written = await sensors.WriteAsync(
                    async (writer, ct) =>
                    {
                        var entities = new EntityWriter(writer, time.GetUtcNow());
                        var value = await unit(entities, ct);
                        await writer.AppendAuditAsync(AuditOf(http, time, value, entities.AppendedObservations), ct);
                        return (value, entities.Announced());
                    },
                    cancellationToken);
            }
            catch (Exception e) when (e is not (EntityBodyException or SensorLinkException or MultiDatastreamShapeException or PathNotFoundException or StaProblemException or OperationCanceledException))
            {
                // The store itself failed (an I/O error, a full disk, a broken constraint): the unit was rolled back.
                throw new WriteUnitFailedException(e);
            }

            var (value, announced) = written;
            await bus.AnnounceAsync(announced.Appended, announced.Changed, cancellationToken);

            return (value, null);
        }
        catch (EntityBodyException e)
        {
            return (default, ProblemType.InvalidBody.With(e.Message + " Nothing was stored."));
        }
        catch (SensorLinkException e)
        {
            return (default, MissingLink(e));
        }
        catch (MultiDatastreamShapeException e)
        {
            return (default, ProblemType.InvalidBody.With(e.Message + " Nothing was stored."));
        }
        catch (PathNotFoundException e)
        {
            return (default, ProblemType.NotFound.With(e.Message));
        }
        catch (StaProblemException e)
        {
            return (default, e.Problem);
        }
    }

    /// <summary>The 400 problem of a write that links to an entity that does not exist; nothing was stored.</summary>
    public static ProblemHttpResult MissingLink(SensorLinkException missing) =>
        ProblemType.InvalidBody.With($"There is no {missing.EntityType} with id {missing.Id}: a link must name an existing entity. Nothing was stored.");

    /// <summary>The audit record of a write request whose unit returned <paramref name="value"/> and appended <paramref name="observations"/>.</summary>
    private static AuditEntry AuditOf<T>(HttpContext http, TimeProvider time, T value, int observations)
    {
        var request = http.Request;
        var action = request.Method switch
        {
            "POST" when request.Path.Value?.EndsWith("/$batch", StringComparison.Ordinal) == true => "batch",
            "POST" => "create",
            "DELETE" => "delete",
            _ => "update",
        };
        var resource = $"{request.Method} {request.PathBase}{request.Path}";
        if (value is Written { Status: StatusCodes.Status201Created } created)
        {
            resource += $" -> {created.Set.Name}({created.Id.ToString(CultureInfo.InvariantCulture)})";
        }

        var (size, unit) = observations > 0
            ? (observations, "observations")
            : (value is System.Collections.ICollection parts ? parts.Count : 1, "entities");
        return AuditEntries.For(ReadAccess.CallerOf(http), time.GetUtcNow(), action, resource, size, unit);
    }

    /// <summary>The stored entity as a GET writes it, with <paramref name="status"/> (and a <c>Location</c> on a 201).</summary>
    public static async Task<IResult> EntityAsync(
        ISensorStore sensors, IObservationStore observations, CrsTransformer crs, string root, EntitySet set, long id, int status, CancellationToken cancellationToken)
    {
        var stored = await set.FindAsync(new CommittedEntities(sensors, observations), id, cancellationToken)
            ?? throw new InvalidOperationException($"{set.EntityType} {id} was written but cannot be read back.");
        var selfLink = $"{root}/{set.Name}({id})";
        return StaApi.Json(json => new EntityJson(json, root, [], crs).Write(set, stored), status, status == StatusCodes.Status201Created ? selfLink : null);
    }

    /// <summary>Reads a JSON body of at most <paramref name="maxBytes"/>; too large is 413, not JSON is 400.</summary>
    public static async Task<(JsonDocument? Body, ProblemHttpResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken, int maxBytes = MaxBodyBytes)
    {
        var (bytes, tooLarge) = await ReadBodyAsync(request, maxBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        try
        {
            return (JsonDocument.Parse(bytes), null);
        }
        catch (JsonException e)
        {
            return (null, ProblemType.InvalidBody.With($"The body is not valid JSON: {e.Message} Nothing was stored."));
        }
    }

    /// <summary>Reads the body up to <paramref name="maxBytes"/>; a larger one is a 413 problem, whatever Content-Length said.</summary>
    /// <remarks>
    /// A body over the limit is still read to its end, up to twice the limit, and thrown away before the 413 is answered:
    /// Kestrel closes a connection whose request body was left unread, and a client that is still sending then sees its
    /// upload cut off (a broken pipe) instead of the problem. A client that waits for 100 Continue (RFC 9110 §10.1.1)
    /// and declared too large a length is answered at once and sends nothing; so is one that declared more than twice
    /// the limit, and a body that proves longer than that is cut off there.
    /// </remarks>
    public static async Task<(byte[] Body, ProblemHttpResult? TooLarge)> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var tooLarge = ProblemType.BodyTooLarge.With(
            $"The body is larger than {maxBytes} bytes ({maxBytes / (1024 * 1024)} MB), the limit of this resource. Nothing was stored.");
        var readAtMost = 2L * maxBytes;
        var waitsForContinue = string.Equals(request.Headers.Expect, "100-continue", StringComparison.OrdinalIgnoreCase);
        if (request.ContentLength > maxBytes && (waitsForContinue || request.ContentLength > readAtMost))
        {
            return ([], tooLarge);
        }

        // This resource's limit replaces the server-wide one (Tweeling:Limits:MaxRequestBodyBytes), so the
        // bulk endpoints may take more than it; Kestrel cuts off a body at what is read at most.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = readAtMost;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        var length = 0L;
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                length += read;
                if (length <= maxBytes)
                {
                    buffer.Write(chunk, 0, read);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], tooLarge);
        }

        return length > maxBytes ? ([], tooLarge) : (buffer.ToArray(), null);
    }

    private static async Task<IResult> HandleAsync(
        string method, string path, HttpContext http, ISensorStore sensors, IObservationStore observations, ObservationAnnouncer bus, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken)
    {
        JsonDocument? body = null;
        if (method != HttpMethods.Delete)
        {
            (body, var invalid) = await ReadJsonAsync(http.Request, cancellationToken);
            if (invalid is not null)
            {
                return invalid;
            }
        }

        using (body)
        {
            var root = StaApi.ServiceRoot(http.Request);
            var outcome = method == HttpMethods.Patch && IsJsonPatch(http.Request.ContentType)
                ? await RunAsync(http, sensors, bus, time, (writer, ct) => ApplyJsonPatchAsync(writer, crs, root, path, body!.RootElement, ct), cancellationToken)
                : await RunAsync(http, sensors, bus, time, (writer, ct) => ApplyAsync(writer, method, path, body?.RootElement, ct), cancellationToken);
            return outcome.Problem ?? await AnswerAsync(method, outcome.Value!, sensors, observations, crs, root, cancellationToken);
        }
    }

    /// <summary>A write path: an entity set, optionally with an id and one navigation property.</summary>
    private sealed record Target(EntitySet? Set, long? Id, string? Navigation, ProblemHttpResult? Problem)
    {
        public static Target Parse(string path)
        {
            if (WritePath().Match(path) is not { Success: true } match || EntitySet.FindReadable(match.Groups["set"].Value) is not { } set)
            {
                return new(null, null, null, ProblemType.NotFound.With(
                    $"There is no resource at '{StaApi.Prefix}/{path}' to write to: expected an entity set ({string.Join(", ", EntitySet.Readable.Select(s => s.Name))}), optionally with '(id)' and a navigation property."));
            }

            long? id = null;
            if (match.Groups["id"].Success)
            {
                if (!long.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    return new(null, null, null, ProblemType.NotFound.With($"There is no {set.EntityType} with id {match.Groups["id"].Value}."));
                }

                id = parsed;
            }

            var navigation = match.Groups["nav"].Success ? match.Groups["nav"].Value : null;
            if (navigation is not null && (id is null || !set.Navigations.Contains(navigation)))
            {
                return new(null, null, null, ProblemType.NotFound.With(
                    $"There is no resource at '{StaApi.Prefix}/{path}': {EntityFields.A(set.EntityType)} has the navigation properties {string.Join(", ", set.Navigations)}, after an id."));
            }

            return new(set, id, navigation, null);
        }
    }

    [GeneratedRegex(@"^(?<set>[A-Za-z]+)(?:\((?<id>[^()/]*)\))?(?:/(?<nav>[A-Za-z]+))?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex WritePath();
}

/// <summary>What one write did: the entity to answer with and the status.</summary>
/// <param name="Set">The entity's set.</param>
/// <param name="Id">Its id.</param>
/// <param name="Status">201 for a creation, else 200.</param>
internal sealed record Written(EntitySet Set, long Id, int Status);

/// <summary>A write cannot be done as asked (405, 404 for a path); the unit stores nothing and answers <see cref="Problem"/>.</summary>
internal sealed class StaProblemException(ProblemHttpResult problem) : Exception(problem.ProblemDetails.Detail)
{
    public ProblemHttpResult Problem { get; } = problem;
}

/// <summary>An id in the request path names no entity: a 404, and nothing was stored.</summary>
internal sealed class PathNotFoundException(string message) : Exception(message);

/// <summary>
/// A write unit failed in the store for a reason that is not the request's (not a bad body, link or path): the store
/// rolled the unit back, so nothing of it was stored. A single request answers 500 through the exception handler; a
/// <c>$batch</c> answers it in place of the change set (<see cref="Batch"/>).
/// </summary>
internal sealed class WriteUnitFailedException(Exception inner) : Exception("A write unit failed in the store and was rolled back.", inner);
