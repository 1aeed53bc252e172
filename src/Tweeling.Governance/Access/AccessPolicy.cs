using Tweeling.Domain.Catalog;

namespace Tweeling.Governance.Access;

/// <summary>
/// The one place that decides whether a caller may read a dataset's data. Every read of every
/// endpoint asks it: the platform API, OGC API – Features, SensorThings, live events and the command line.
/// Which endpoints filter through it, and which are governed by role alone, each endpoint declares with its
/// <see cref="AccessRule"/>.
/// </summary>
/// <remarks>
/// Rules: open data is for everyone; internal data for every signed-in role; confidential and
/// special-category data only for a role that works with it (analyst, data steward) and only for a
/// purpose the dataset lists. Special-category data additionally never goes to an analyst.
/// </remarks>
public static class AccessPolicy
{
    /// <summary>Whether <paramref name="caller"/> may read the data of <paramref name="dataset"/>.</summary>
    public static bool CanRead(Caller caller, Dataset dataset) => CanRead(caller, dataset.Classification, dataset.Purposes);

    /// <summary>
    /// Whether <paramref name="caller"/> may read data of <paramref name="classification"/> that may be used for
    /// <paramref name="purposes"/>: for data the catalog does not describe as a dataset, such as sensors whose
    /// Thing names no dataset.
    /// </summary>
    public static bool CanRead(Caller caller, Classification classification, IReadOnlyCollection<string> purposes) => classification switch
    {
        Classification.Open => true,
        Classification.Internal => caller.Role != Role.Publiek,
        Classification.Confidential => caller.Role is Role.Analist or Role.Datasteward && HasListedPurpose(caller, purposes),
        Classification.SpecialCategory => caller.Role is Role.Datasteward && HasListedPurpose(caller, purposes),
        _ => false,
    };

    /// <summary>The ids of the datasets in <paramref name="catalog"/> that <paramref name="caller"/> may read.</summary>
    public static IReadOnlySet<string> ReadableDatasets(Caller caller, IEnumerable<Dataset> catalog) =>
        catalog.Where(d => CanRead(caller, d)).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

    private static bool HasListedPurpose(Caller caller, IReadOnlyCollection<string> purposes) =>
        caller.Purpose is { } purpose && purposes.Contains(purpose, StringComparer.Ordinal);
}
