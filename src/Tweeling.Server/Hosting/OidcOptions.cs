using System.ComponentModel.DataAnnotations;

namespace Tweeling.Server.Hosting;

/// <summary>
/// A municipal identity provider (OpenID Connect) whose JWT access tokens sign in: off unless
/// <see cref="Issuer"/> is set, e.g. with the environment variables <c>Tweeling__Identity__Oidc__Issuer</c>
/// and <c>Tweeling__Identity__Oidc__Audience</c>. Signing keys come from the issuer's metadata
/// (<c>/.well-known/openid-configuration</c>, over HTTPS) or, for a provider the server cannot reach, from a
/// JWKS file. Validated at start-up.
/// </summary>
internal sealed class OidcOptions : IValidatableObject
{
    public const string Section = "Tweeling:Identity:Oidc";

    /// <summary>The issuer (<c>iss</c>) a token must carry; setting it turns identity-provider sign-in on.</summary>
    public string? Issuer { get; init; }

    /// <summary>The audience (<c>aud</c>) a token must be for: this platform's client or API id at the provider.</summary>
    public string? Audience { get; init; }

    /// <summary>Where the provider's metadata is; default: the <see cref="Issuer"/>.</summary>
    public string? Authority { get; init; }

    /// <summary>
    /// Whether the metadata must be fetched over HTTPS (default <c>true</c>). Turn it off only for a provider on
    /// the same machine or in tests: over plain HTTP the signing keys can be replaced in transit.
    /// </summary>
    public bool RequireHttpsMetadata { get; init; } = true;

    /// <summary>A JSON Web Key Set file with the provider's signing keys, used instead of its metadata.</summary>
    public string? JwksFile { get; init; }

    /// <summary>The claim that carries the role (default <c>roles</c>, as Microsoft Entra ID and Keycloak's mappers send app roles).</summary>
    [Required]
    public string RoleClaim { get; init; } = "roles";

    /// <summary>The claim that carries the pseudonymous subject id (default <c>sub</c>); never an e-mail or name claim.</summary>
    [Required]
    public string SubjectClaim { get; init; } = "sub";

    /// <summary>
    /// The provider's role values and the platform roles they mean, e.g. <c>Tweeling.Sensorbeheer</c> →
    /// <c>medewerker</c>. A value that is itself a platform role name (<c>medewerker</c>, …) needs no entry.
    /// </summary>
    public Dictionary<string, string> Roles { get; init; } = [];

    /// <summary>Whether identity-provider tokens sign in.</summary>
    public bool Enabled => !string.IsNullOrEmpty(Issuer);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrEmpty(Audience))
        {
            yield return new ValidationResult("Tweeling:Identity:Oidc:Audience is required when an Issuer is set: a token meant for another application must not sign in here.", [nameof(Audience)]);
        }

        if (JwksFile is not null && !File.Exists(JwksFile))
        {
            yield return new ValidationResult($"Tweeling:Identity:Oidc:JwksFile '{JwksFile}' does not exist.", [nameof(JwksFile)]);
        }

        foreach (var (value, role) in Roles)
        {
            if (Governance.Identity.RoleNames.Parse(role) is null or Governance.Access.Role.Publiek)
            {
                yield return new ValidationResult(
                    $"Tweeling:Identity:Oidc:Roles:{value} is '{role}'; use one of {string.Join(", ", Governance.Identity.RoleNames.SignedIn)}.", [nameof(Roles)]);
            }
        }
    }
}
