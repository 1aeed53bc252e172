using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Geo;
using Tweeling.Domain.Ports;
using Tweeling.Server.Features.Live;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.SensorThings;

/// <summary>
/// <c>POST</c>, <c>PATCH</c>, <c>PUT</c> and <c>DELETE</c> below <c>/sta/v1.1</c> (OGC 18-088 §10): create in an
/// entity set or a navigation collection (<c>Things(1)/Datastreams</c>) with deep insert, update and delete one
/// entity. Each request is one write unit of the store: it answers only once durable, and a request that fails
/// stores nothing. Observations it appended are published on the <see cref="ObservationBus"/> after the commit.
/// </summary>
internal static partial class EntityWrites
{
    /// <summary>The largest body of one entity write: a deep insert of a Thing with its Datastreams fits many times over.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static async Task<IResult> Post(
        string path,
        HttpContext http,
        ISensorStore sensors,
        IObservationStore observations,
        ObservationBus bus,
        CrsTransformer crs,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var target = Target.Parse(path);
        if (target.Problem is not null)
        {
            return target.Problem;
        }

        if (target.Id is not null && target.Navigation is null)
        {
            return ProblemType.MethodNotAllowed.With($"POST creates entities in an entity set or a navigation collection, not at the entity '{StaApi.Prefix}/{path}': use PATCH or PUT to change it.");
        }

        Back? back = null;
        var set = target.Set!;
        if (target.Navigation is { } navigation)
        {
            back = EntityWriter.BackOf(set, navigation, target.Id!.Value);
            if (back is null)
            {
                return ProblemType.MethodNotAllowed.With($"New entities cannot be created at '{StaApi.Prefix}/{path}': {set.EntityType}/{navigation} is a single link; change it with PATCH on the {set.EntityType}.");
            }
        }

        var (body, problem) = await ReadJsonAsync(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            var created = EntitySet.Target(target.Navigation ?? set.Name);
            var outcome = await RunAsync(sensors, bus, time, async (writer, ct) =>
            {
                if (back is not null && !await writer.ExistsAsync(set, back.Id, ct))
                {
                    throw new PathNotFoundException($"There is no {set.EntityType} with id {back.Id}.");
                }

                return await writer.CreateAsync(created, body!.RootElement, back, ct);
            }, cancellationToken);
            if (outcome.Problem is not null)
            {
                return outcome.Problem;
            }

            var root = StaApi.ServiceRoot(http.Request);
            return await EntityAsync(sensors, observations, crs, root, created, outcome.Value, StatusCodes.Status201Created, cancellationToken);
        }
    }

    public static Task<IResult> Patch(string path, HttpContext http, ISensorStore sensors, IObservationStore observations, ObservationBus bus, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken) =>
        UpdateAsync(path, partial: true, http, sensors, observations, bus, crs, time, cancellationToken);

    public static Task<IResult> Put(string path, HttpContext http, ISensorStore sensors, IObservationStore observations, ObservationBus bus, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken) =>
        UpdateAsync(path, partial: false, http, sensors, observations, bus, crs, time, cancellationToken);

    public static async Task<IResult> Delete(string path, ISensorStore sensors, ObservationBus bus, TimeProvider time, CancellationToken cancellationToken)
    {
        var (set, id, problem) = EntityTarget(path, "DELETE");
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await RunAsync(sensors, bus, time, async (writer, ct) => await writer.DeleteAsync(set!, id, ct) ? 1L : 0L, cancellationToken);
        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }

        return outcome.Value == 1
            ? TypedResults.Ok()
            : ProblemType.NotFound.With($"There is no {set!.EntityType} with id {id}.");
    }

    /// <summary>
    /// Runs <paramref name="unit"/> as one store write unit and publishes the Observations it appended. A bad
    /// body, an unknown link or an unknown path id becomes a problem (400, 400, 404) and nothing is stored.
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> RunAsync<T>(
        ISensorStore sensors,
        ObservationBus bus,
        TimeProvider time,
        Func<EntityWriter, CancellationToken, Task<T>> unit,
        CancellationToken cancellationToken)
    {
        try
        {
            var (value, appended) = await sensors.WriteAsync(
                async (writer, ct) =>
                {
                    var entities = new EntityWriter(writer, time.GetUtcNow());
                    return (await unit(entities, ct), entities.Appended);
                },
                cancellationToken);
            if (appended.Count > 0)
            {
                bus.Publish(appended);
            }

            return (value, null);
        }
        catch (EntityBodyException e)
        {
            return (default, ProblemType.InvalidBody.With(e.Message + " Nothing was stored."));
        }
        catch (SensorLinkException e)
        {
            return (default, ProblemType.InvalidBody.With($"There is no {e.EntityType} with id {e.Id}: a link must name an existing entity. Nothing was stored."));
        }
        catch (PathNotFoundException e)
        {
            return (default, ProblemType.NotFound.With(e.Message));
        }
    }

    /// <summary>The stored entity as a GET writes it, with <paramref name="status"/> (and a <c>Location</c> on a 201).</summary>
    public static async Task<IResult> EntityAsync(
        ISensorStore sensors, IObservationStore observations, CrsTransformer crs, string root, EntitySet set, long id, int status, CancellationToken cancellationToken)
    {
        var stored = await set.FindAsync(sensors, observations, id, cancellationToken)
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
    public static async Task<(byte[] Body, ProblemHttpResult? TooLarge)> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var tooLarge = ProblemType.BodyTooLarge.With(
            $"The body is larger than {maxBytes} bytes ({maxBytes / (1024 * 1024)} MB), the limit of this resource. Nothing was stored.");
        if (request.ContentLength > maxBytes)
        {
            return ([], tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return ([], tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    private static async Task<IResult> UpdateAsync(
        string path, bool partial, HttpContext http, ISensorStore sensors, IObservationStore observations, ObservationBus bus, CrsTransformer crs, TimeProvider time, CancellationToken cancellationToken)
    {
        var (set, id, problem) = EntityTarget(path, partial ? "PATCH" : "PUT");
        if (problem is not null)
        {
            return problem;
        }

        var (body, invalid) = await ReadJsonAsync(http.Request, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        using (body)
        {
            var outcome = await RunAsync(sensors, bus, time, async (writer, ct) =>
                await writer.UpdateAsync(set!, id, body!.RootElement, partial, ct) ? id : throw new PathNotFoundException($"There is no {set!.EntityType} with id {id}."), cancellationToken);
            return outcome.Problem is not null
                ? outcome.Problem
                : await EntityAsync(sensors, observations, crs, StaApi.ServiceRoot(http.Request), set!, id, StatusCodes.Status200OK, cancellationToken);
        }
    }

    /// <summary>The one entity a PATCH, PUT or DELETE addresses (<c>Things(1)</c>); anything else is a 404 or 405 problem.</summary>
    private static (EntitySet? Set, long Id, ProblemHttpResult? Problem) EntityTarget(string path, string method)
    {
        var target = Target.Parse(path);
        if (target.Problem is not null)
        {
            return (null, 0, target.Problem);
        }

        if (target.Id is not { } id || target.Navigation is not null)
        {
            return (null, 0, ProblemType.MethodNotAllowed.With($"{method} applies to one entity, such as '{StaApi.Prefix}/{target.Set!.Name}(1)', not to '{StaApi.Prefix}/{path}'."));
        }

        return (target.Set, id, null);
    }

    /// <summary>A write path: an entity set, optionally with an id and one navigation property.</summary>
    private sealed record Target(EntitySet? Set, long? Id, string? Navigation, ProblemHttpResult? Problem)
    {
        public static Target Parse(string path)
        {
            if (WritePath().Match(path) is not { Success: true } match || EntitySet.Find(match.Groups["set"].Value) is not { } set)
            {
                return new(null, null, null, ProblemType.NotFound.With(
                    $"There is no resource at '{StaApi.Prefix}/{path}' to write to: expected an entity set ({string.Join(", ", EntitySet.All.Select(s => s.Name))}), optionally with '(id)' and a navigation property."));
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

/// <summary>An id in the request path names no entity: a 404, and nothing was stored.</summary>
internal sealed class PathNotFoundException(string message) : Exception(message);
