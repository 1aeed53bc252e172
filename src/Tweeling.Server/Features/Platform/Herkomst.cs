using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tweeling.Domain.Catalog;
using Tweeling.Domain.Features;
using Tweeling.Domain.Ports;
using Tweeling.Domain.Sensors;
using Tweeling.Governance.Access;
using Tweeling.Server.Features.Ogc;
using Tweeling.Server.Hosting;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Features.Platform;

/// <summary>
/// <c>GET /api/v1/herkomst/{collectionId}/{featureId}</c>: the lineage of one feature of the map — its dataset, owner,
/// source, last update, classification and licence. A resource of its own rather than properties on every OGC item:
/// the click panel asks for one feature at a time, while repeating the catalog entry on each of thousands of items and
/// vector-tile features would bloat every map response and the item cache for data that changes with the catalog only.
/// </summary>
internal static class Herkomst
{
    public static async Task<Results<Ok<LineageView>, ProblemHttpResult>> Handle(
        string collectionId, string featureId, HttpContext http, IFeatureStore features, ISensorStore sensors, ICatalog catalog, ReadAccess access,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (PlatformApi.RejectUnknown(query, "peildatum") is { } unknown)
        {
            return unknown;
        }

        var (date, dateProblem) = PlatformApi.ReferenceDate(query, time);
        if (dateProblem is not null)
        {
            return dateProblem;
        }

        if (TwinCollections.Find(collectionId) is null)
        {
            return ProblemType.NotFound.With($"There is no collection '{collectionId}'. Known: {string.Join(", ", TwinCollections.All.Select(c => c.Id))}.");
        }

        var notFound = ProblemType.NotFound.With($"Collection '{collectionId}' has no feature '{featureId}' on {date:yyyy-MM-dd}.");
        var readable = await access.ReadableDatasetsAsync(http, cancellationToken);
        string? datasetId;
        DateTimeOffset? validFrom = null;
        if (collectionId == TwinCollections.Sensoren)
        {
            // A sensor's id is its Thing's id, written as the OGC collection writes it.
            if (!long.TryParse(featureId, NumberStyles.None, CultureInfo.InvariantCulture, out var thingId) ||
                thingId.ToString(CultureInfo.InvariantCulture) != featureId ||
                await sensors.FindAsync<Thing>(thingId, cancellationToken) is not { } thing ||
                !(await access.SensorVisibilityAsync(http, cancellationToken)).Sees(thing))
            {
                return notFound;
            }

            datasetId = SensorCollection.DatasetOf(thing);
        }
        else
        {
            var feature = await features.FindAsync(collectionId, featureId, new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero), cancellationToken);
            if (feature is null || !readable.Contains(feature.DatasetId))
            {
                return notFound;
            }

            datasetId = feature.DatasetId;
            validFrom = feature.Validity.From;
        }

        var dataset = datasetId is null ? null : await catalog.FindAsync(datasetId, cancellationToken);
        if (dataset is not null && !AccessPolicy.CanRead(ReadAccess.CallerOf(http), dataset))
        {
            return notFound;
        }

        return TypedResults.Ok(LineageView.From(collectionId, featureId, validFrom, dataset, http.Request));
    }
}

/// <summary>The lineage of one feature. The dataset members are <c>null</c> only for a sensor that names no catalog dataset.</summary>
/// <param name="Collectie">The OGC collection.</param>
/// <param name="Id">The feature id.</param>
/// <param name="Dataset">The catalog dataset id.</param>
/// <param name="DatasetTitel">Its title.</param>
/// <param name="Eigenaar">The publisher: the organisation answerable for the data.</param>
/// <param name="Maker">Who produced it.</param>
/// <param name="Bron">How the data came about (the dataset's provenance statement).</param>
/// <param name="LaatstBijgewerkt">When the dataset was last changed.</param>
/// <param name="GeldigVanaf">Since when this version of the feature is valid; <c>null</c> for sensors, which have no versions.</param>
/// <param name="Classificatie">open, intern, vertrouwelijk or bijzondere-persoonsgegevens.</param>
/// <param name="Licentie">The licence URI.</param>
/// <param name="Synthetisch">Whether the data is made up (the demo city).</param>
/// <param name="Links">The feature in OGC API – Features and the dataset in the catalog.</param>
internal sealed record LineageView(
    string Collectie,
    string Id,
    string? Dataset,
    string? DatasetTitel,
    string? Eigenaar,
    string? Maker,
    string? Bron,
    DateTimeOffset? LaatstBijgewerkt,
    DateTimeOffset? GeldigVanaf,
    string? Classificatie,
    string? Licentie,
    bool? Synthetisch,
    LineageLinks Links)
{
    public static LineageView From(string collection, string featureId, DateTimeOffset? validFrom, Dataset? dataset, HttpRequest request)
    {
        var host = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var links = new LineageLinks(
            new PlatformApi.Link($"{host}{PlatformApi.Prefix}/herkomst/{Uri.EscapeDataString(collection)}/{Uri.EscapeDataString(featureId)}"),
            new PlatformApi.Link($"{host}/ogc/collections/{Uri.EscapeDataString(collection)}/items/{Uri.EscapeDataString(featureId)}"),
            dataset is null ? null : new PlatformApi.Link($"{host}{PlatformApi.Prefix}/datasets/{Uri.EscapeDataString(dataset.Id)}"));
        return new LineageView(
            collection, featureId, dataset?.Id, dataset?.Title, dataset?.Publisher.Name, dataset?.Creator.Name, dataset?.Lineage, dataset?.Modified, validFrom,
            dataset is null ? null : DatasetView.ClassificationName(dataset.Classification), dataset?.License, dataset?.IsSynthetic, links);
    }
}

/// <summary>Links of a lineage: itself, the feature, and its dataset (absent when the feature names none).</summary>
internal sealed record LineageLinks(PlatformApi.Link Self, PlatformApi.Link Feature, PlatformApi.Link? Dataset);
