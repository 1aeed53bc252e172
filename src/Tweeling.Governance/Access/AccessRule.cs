using Tweeling.Governance.Identity;

namespace Tweeling.Governance.Access;

/// <summary>How an endpoint is governed; every endpoint declares exactly one (the authorization-matrix test checks).</summary>
public enum AccessKind
{
    /// <summary>A service description (landing page, conformance, OpenAPI, health): no data, so every role may read it.</summary>
    PublicDocument,

    /// <summary>
    /// Every role may call it, and the answer holds only the data of datasets <see cref="AccessPolicy.CanRead(Caller, Domain.Catalog.Dataset)"/>
    /// lets the caller read: the handler filters through the access policy.
    /// </summary>
    DatasetFiltered,

    /// <summary>A read only the listed roles may call at all.</summary>
    RoleOnly,

    /// <summary>A change only the listed roles may make.</summary>
    Write,
}

/// <summary>What the access rule of an endpoint decides for one role.</summary>
public enum AccessDecision
{
    /// <summary>The role may call the endpoint and gets the whole answer.</summary>
    Allow,

    /// <summary>The role may call the endpoint; the answer is filtered to the datasets the caller may read.</summary>
    Filter,

    /// <summary>The role is refused: 401 when anonymous, else 403.</summary>
    Deny,
}

/// <summary>
/// The access rule of one endpoint, attached as endpoint metadata and enforced before the handler runs. Requests
/// to an endpoint without a rule are refused, so a new endpoint is closed until it states how it is governed.
/// </summary>
public sealed class AccessRule
{
    private AccessRule(AccessKind kind, IReadOnlyList<Role> roles) => (Kind, Roles) = (kind, roles);

    /// <summary>A service description without data: see <see cref="AccessKind.PublicDocument"/>.</summary>
    public static AccessRule PublicDocument { get; } = new(AccessKind.PublicDocument, Enum.GetValues<Role>());

    /// <summary>A read filtered by dataset: see <see cref="AccessKind.DatasetFiltered"/>.</summary>
    public static AccessRule DatasetFiltered { get; } = new(AccessKind.DatasetFiltered, Enum.GetValues<Role>());

    /// <summary>How the endpoint is governed.</summary>
    public AccessKind Kind { get; }

    /// <summary>The roles that may call the endpoint, in the order of <see cref="Role"/>.</summary>
    public IReadOnlyList<Role> Roles { get; }

    /// <summary>A read for <paramref name="roles"/> only.</summary>
    public static AccessRule RoleOnly(params Role[] roles) => new(AccessKind.RoleOnly, Normalise(roles));

    /// <summary>A change that <paramref name="roles"/> may make.</summary>
    public static AccessRule Write(params Role[] roles) => new(AccessKind.Write, Normalise(roles));

    /// <summary>What this rule decides for a caller in <paramref name="role"/>.</summary>
    public AccessDecision Decide(Role role) => Kind switch
    {
        AccessKind.PublicDocument => AccessDecision.Allow,
        AccessKind.DatasetFiltered => AccessDecision.Filter,
        _ => Roles.Contains(role) ? AccessDecision.Allow : AccessDecision.Deny,
    };

    /// <inheritdoc />
    public override string ToString() => Kind is AccessKind.PublicDocument or AccessKind.DatasetFiltered
        ? Kind.ToString()
        : $"{Kind}({string.Join(", ", Roles.Select(RoleNames.Name))})";

    private static Role[] Normalise(Role[] roles)
    {
        if (roles.Length == 0)
        {
            throw new ArgumentException("A role-bound rule names at least one role; an endpoint nobody may call should not be mapped.", nameof(roles));
        }

        return [.. roles.Distinct().Order()];
    }
}
