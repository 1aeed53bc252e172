using Tweeling.Domain.Catalog;

namespace Tweeling.Governance.Access;

/// <summary>
/// The one place that decides whether a caller may read a dataset's data. Every read of every
/// endpoint asks it: the platform API, OGC API – Features, and the command line.
/// </summary>
/// <remarks>
/// Rules: open data is for everyone; internal data for every signed-in role; confidential and
/// special-category data only for a role that works with it (analyst, data steward) and only for a
/// purpose the dataset lists. Special-category data additionally never goes to an analyst.
/// </remarks>
public static class AccessPolicy
{
    /// <summary>Whether <paramref name="caller"/> may read the data of <paramref name="dataset"/>.</summary>
    public static bool CanRead(Caller caller, Dataset dataset) => dataset.Classification switch
    {
        Classification.Open => true,
        Classification.Internal => caller.Role != Role.Publiek,
        Classification.Confidential => caller.Role is Role.Analist or Role.Datasteward && HasListedPurpose(caller, dataset),
        Classification.SpecialCategory => caller.Role is Role.Datasteward && HasListedPurpose(caller, dataset),
        _ => false,
    };

    /// <summary>The ids of the datasets in <paramref name="catalog"/> that <paramref name="caller"/> may read.</summary>
    public static IReadOnlySet<string> ReadableDatasets(Caller caller, IEnumerable<Dataset> catalog) =>
        catalog.Where(d => CanRead(caller, d)).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

    private static bool HasListedPurpose(Caller caller, Dataset dataset) =>
        caller.Purpose is { } purpose && dataset.Purposes.Contains(purpose, StringComparer.Ordinal);
}
