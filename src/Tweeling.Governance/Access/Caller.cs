namespace Tweeling.Governance.Access;

/// <summary>The roles of the platform (DESIGN.md C6), by their Dutch API names.</summary>
public enum Role
{
    /// <summary>Anonymous: residents, visitors, anyone on the internet.</summary>
    Publiek,

    /// <summary>Municipal employee.</summary>
    Medewerker,

    /// <summary>Data analyst.</summary>
    Analist,

    /// <summary>Data steward / privacy officer.</summary>
    Datasteward,

    /// <summary>Administrator.</summary>
    Beheerder,

    /// <summary>Member of the ethics committee.</summary>
    EthischeCommissie,
}

/// <summary>Who asks, in which role, and for what purpose.</summary>
/// <param name="Role">The caller's role.</param>
/// <param name="Purpose">The purpose the caller states; <c>null</c> when none was stated.</param>
/// <param name="Subject">The pseudonymous id of the account, token or process (never a name or e-mail address); <c>null</c> when anonymous.</param>
public sealed record Caller(Role Role, string? Purpose = null, string? Subject = null)
{
    /// <summary>An anonymous caller.</summary>
    public static Caller Anonymous { get; } = new(Role.Publiek);
}
