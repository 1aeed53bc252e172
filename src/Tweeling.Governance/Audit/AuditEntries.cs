using Tweeling.Domain.Audit;
using Tweeling.Governance.Access;

namespace Tweeling.Governance.Audit;

/// <summary>Builds audit entries from a <see cref="Caller"/>, so every hook names the caller the same way.</summary>
public static class AuditEntries
{
    /// <summary>The subject of an action of the command line: an operator with access to the store's file.</summary>
    public const string CommandLineSubject = "cli";

    /// <summary>
    /// The caller of a change made with the command line: whoever can write the store's file, which makes them
    /// the platform's administrator (<c>beheerder</c>), recorded as <see cref="CommandLineSubject"/>.
    /// </summary>
    public static Caller CommandLineOperator { get; } = new(Role.Beheerder, Subject: CommandLineSubject);

    /// <summary>An entry for what <paramref name="caller"/> did at <paramref name="time"/>.</summary>
    public static AuditEntry For(
        Caller caller, DateTimeOffset time, string action, string resource, long resultSize, string resultUnit, string outcome = AuditEntry.Ok)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new AuditEntry(time, caller.Subject, RoleName(caller.Role), caller.Purpose, action, resource, resultSize, resultUnit, outcome);
    }

    /// <summary>A role by its API name, as the audit log records it.</summary>
    public static string RoleName(Role role) => role switch
    {
        Role.Publiek => "publiek",
        Role.Medewerker => "medewerker",
        Role.Analist => "analist",
        Role.Datasteward => "datasteward",
        Role.Beheerder => "beheerder",
        Role.EthischeCommissie => "ethische-commissie",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };
}
