using Tweeling.Governance.Access;

namespace Tweeling.Governance.Identity;

/// <summary>
/// The roles by their Dutch API names (issue 4): <c>publiek</c>, <c>medewerker</c>, <c>analist</c>,
/// <c>datasteward</c>, <c>beheerder</c>, <c>ethische-commissie</c>. The store, the command line, the
/// identity provider's role claim and <c>/api/v1/ik</c> all use these names.
/// </summary>
public static class RoleNames
{
    private static readonly Dictionary<string, Role> s_byName = new(StringComparer.Ordinal)
    {
        ["publiek"] = Role.Publiek,
        ["medewerker"] = Role.Medewerker,
        ["analist"] = Role.Analist,
        ["datasteward"] = Role.Datasteward,
        ["beheerder"] = Role.Beheerder,
        ["ethische-commissie"] = Role.EthischeCommissie,
    };

    /// <summary>Every API name, in the order of <see cref="Role"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. s_byName.Keys];

    /// <summary>The names of the roles an account or an identity provider's token can have: all but <c>publiek</c>.</summary>
    public static IReadOnlyList<string> SignedIn { get; } = [.. s_byName.Where(r => r.Value != Role.Publiek).Select(r => r.Key)];

    /// <summary>The API name of <paramref name="role"/>.</summary>
    public static string Name(Role role) => s_byName.First(r => r.Value == role).Key;

    /// <summary>The role named <paramref name="name"/> (exact, lowercase), or <c>null</c>.</summary>
    public static Role? Parse(string? name) => name is not null && s_byName.TryGetValue(name, out var role) ? role : null;
}
