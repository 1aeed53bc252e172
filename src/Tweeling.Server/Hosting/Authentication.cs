using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Tweeling.Domain.Identity;
using Tweeling.Domain.Ports;
using Tweeling.Governance.Access;
using Tweeling.Governance.Identity;
using Tweeling.Server.Problems;

namespace Tweeling.Server.Hosting;

/// <summary>
/// Signs a request in and records its <see cref="Caller"/>: <c>Authorization: Bearer</c> with an API token
/// (<c>twl_…</c>) or with a JWT of the configured identity provider (<see cref="OidcOptions"/>), or HTTP Basic
/// with a local account's user name and password. No <c>Authorization</c> header: the caller is anonymous
/// (<c>publiek</c>). Credentials that do not sign in are refused with 401 on every request, reads included,
/// so a mistyped token is never quietly served as anonymous; such a request counts against the anonymous rate
/// limit of its address (<see cref="RequestLimits"/>), which runs after sign-in and so partitions by the verified
/// subject. The stated purpose comes from <see cref="PurposeHeader"/>.
/// </summary>
/// <remarks>
/// HTTP Basic sends the password with every request and costs a full password hash (600,000 PBKDF2
/// iterations) per request: it is for people and scripts over TLS; machines use API tokens, which cost one
/// SHA-256 and an index lookup.
/// </remarks>
internal static partial class Authentication
{
    /// <summary>The header in which a caller states the purpose of a request (issue 4: "caller's role and stated purpose").</summary>
    public const string PurposeHeader = "X-Tweeling-Doel";

    /// <summary>The longest purpose: purposes are short names that datasets list, not text.</summary>
    public const int MaxPurposeLength = 200;

    /// <summary>The JwtBearer scheme that validates the identity provider's tokens.</summary>
    private const string OidcScheme = "oidc";

    private const string Realm = "tweeling";

    /// <summary>The <c>WWW-Authenticate</c> value that offers the sign-in schemes, for a request that must sign in and did not.</summary>
    public const string SignInSchemes = $"Bearer realm=\"{Realm}\", Basic realm=\"{Realm}\", charset=\"UTF-8\"";

    /// <summary>Registers sign-in: the local accounts' <see cref="SignIn"/> and, when configured, the identity provider's JWT validation.</summary>
    public static void AddTweelingSignIn(this IServiceCollection services, IIdentityStore identities)
    {
        services.AddSingleton(identities);
        services.AddOptions<SignInLockoutOptions>().BindConfiguration(SignInLockoutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var lockout = sp.GetRequiredService<IOptions<SignInLockoutOptions>>().Value;
            return new SignInLockout(sp.GetRequiredService<TimeProvider>(), lockout.MaxFailures, lockout.Window);
        });
        services.AddSingleton<SignIn>();
        services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication().AddJwtBearer(OidcScheme);
        services.AddOptions<JwtBearerOptions>(OidcScheme).Configure<IOptions<OidcOptions>, TimeProvider>(ConfigureJwt);
    }

    /// <summary>Signs every request in before it reaches an endpoint; see <see cref="Authentication"/>.</summary>
    public static IApplicationBuilder UseTweelingSignIn(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var purpose = context.Request.Headers[PurposeHeader].ToString().Trim();
        if (purpose.Length > MaxPurposeLength)
        {
            if (!await RequestLimits.ChargeAnonymousAsync(context))
            {
                return;
            }

            await ProblemType.InvalidParameter.With($"{PurposeHeader}: a purpose is at most {MaxPurposeLength} characters; got {purpose.Length}.").ExecuteAsync(context);
            return;
        }

        var outcome = await SignInAsync(context);
        if (outcome.Caller is not { } caller)
        {
            // Refused credentials count as an anonymous request of this address: a bogus header buys no higher limit.
            if (!await RequestLimits.ChargeAnonymousAsync(context))
            {
                return;
            }

            if (outcome.LockedFor is { } wait)
            {
                // A locked-out user name, known or not: 429 with when to try again (docs/security.md, Sign-in lockout).
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ProblemType.TooManyRequests.With($"Too many failed sign-ins for this user name. Try again in {seconds} seconds.").ExecuteAsync(context);
                return;
            }

            context.Response.Headers.WWWAuthenticate = outcome.Challenge;
            await ProblemType.Unauthorized.With(outcome.Reason!).ExecuteAsync(context);
            return;
        }

        ReadAccess.SetCaller(context, caller with { Purpose = purpose.Length == 0 ? null : purpose });
        await next(context);
    });

    private static async Task<Outcome> SignInAsync(HttpContext context)
    {
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization.ToString(), out var header))
        {
            return context.Request.Headers.Authorization.Count == 0
                ? new Outcome(Caller.Anonymous)
                : Refused(SignInSchemes, "The Authorization header is not a credential: use 'Bearer <token>' or 'Basic <base64 of user:password>'.");
        }

        var signIn = context.RequestServices.GetRequiredService<SignIn>();
        var parameter = header.Parameter ?? string.Empty;
        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            if (parameter.StartsWith(ApiToken.Prefix, StringComparison.Ordinal))
            {
                return await signIn.WithTokenAsync(parameter, context.RequestAborted) is { } byToken
                    ? new Outcome(byToken)
                    : Refused(InvalidToken("The API token is not valid: it is unknown, expired or revoked, or its account is disabled."), "The API token was not accepted.");
            }

            return await SignInWithJwtAsync(context);
        }

        if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDecodeBasic(parameter, out var userName, out var password))
            {
                return Refused(SignInSchemes, "The Basic credential is not base64 of 'user:password'.");
            }

            // A password costs a full hash: once the address has spent its anonymous budget (as wrong passwords do),
            // it is refused without one, and the refusal is answered with 429 (see RequestLimits.AnonymousBudgetSpent).
            if (RequestLimits.AnonymousBudgetSpent(context))
            {
                return Refused(SignInSchemes, "Too many requests from this address.");
            }

            var attempt = await signIn.PasswordAsync(userName, password, context.RequestAborted);
            return attempt.Caller is { } byPassword
                ? new Outcome(byPassword)
                : Refused(SignInSchemes, "The user name and password were not accepted.") with { LockedFor = attempt.LockedFor };
        }

        return Refused(SignInSchemes, $"The Authorization scheme '{header.Scheme}' is not supported: use Bearer or Basic.");
    }

    private static async Task<Outcome> SignInWithJwtAsync(HttpContext context)
    {
        var oidc = context.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value;
        if (!oidc.Enabled)
        {
            return Refused(InvalidToken("The bearer token is not an API token, and no identity provider is configured."), "The bearer token was not accepted.");
        }

        var result = await context.AuthenticateAsync(OidcScheme);
        if (!result.Succeeded)
        {
            var why = result.Failure switch
            {
                SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException or SecurityTokenNotYetValidException => "The token has expired or is not valid yet.",
                SecurityTokenInvalidAudienceException => "The token is not meant for this platform (audience).",
                SecurityTokenInvalidIssuerException => "The token was not issued by the configured identity provider.",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
                _ => "The token is not valid.",
            };
            return Refused(InvalidToken(why), why);
        }

        var principal = result.Principal!;
        var subject = principal.FindFirst(oidc.SubjectClaim)?.Value;
        var role = principal.FindAll(oidc.RoleClaim)
            .Select(c => RoleNames.Parse(oidc.Roles.TryGetValue(c.Value, out var mapped) ? mapped : c.Value))
            .FirstOrDefault(r => r is not null and not Role.Publiek) ?? Role.Publiek;
        context.User = principal;

        // The subject is prefixed with the issuer's scheme so a provider's subject can never equal a local account id.
        return new Outcome(new Caller(role, Subject: subject is null ? null : "oidc:" + subject));
    }

    private static void ConfigureJwt(JwtBearerOptions jwt, IOptions<OidcOptions> options, TimeProvider time)
    {
        var oidc = options.Value;
        if (!oidc.Enabled)
        {
            return;
        }

        jwt.MapInboundClaims = false;
        jwt.TimeProvider = time;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = oidc.Issuer,
            ValidAudience = oidc.Audience,
            RoleClaimType = oidc.RoleClaim,
            NameClaimType = oidc.SubjectClaim,
            ClockSkew = TimeSpan.FromMinutes(1),

            // Lifetime on the server's clock (TimeProvider), as every other time in the platform.
            LifetimeValidator = (notBefore, expires, _, parameters) =>
                (notBefore is null || notBefore.Value - parameters.ClockSkew <= time.GetUtcNow().UtcDateTime) &&
                expires is not null && time.GetUtcNow().UtcDateTime < expires.Value + parameters.ClockSkew,
        };
        if (oidc.JwksFile is not null)
        {
            // Keys given directly: no metadata is fetched (a provider the server cannot reach, or tests).
            jwt.TokenValidationParameters.IssuerSigningKeys = new JsonWebKeySet(File.ReadAllText(oidc.JwksFile)).GetSigningKeys();
            jwt.Configuration = new Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration { Issuer = oidc.Issuer };
        }
        else
        {
            jwt.Authority = oidc.Authority ?? oidc.Issuer;
            jwt.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        }
    }

    private static bool TryDecodeBasic(string parameter, out string userName, out string password)
    {
        (userName, password) = (string.Empty, string.Empty);
        var bytes = new byte[parameter.Length];
        if (!Convert.TryFromBase64String(parameter, bytes, out var length))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        (userName, password) = (text[..colon], text[(colon + 1)..]);
        return true;
    }

    private static string InvalidToken(string description) =>
        $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"{description}\"";

    private static Outcome Refused(string challenge, string reason) => new(null, challenge, reason);

    /// <summary>The caller a request signs in as, or why not and the challenge to answer with.</summary>
    private sealed record Outcome(Caller? Caller, string? Challenge = null, string? Reason = null, TimeSpan? LockedFor = null);
}
