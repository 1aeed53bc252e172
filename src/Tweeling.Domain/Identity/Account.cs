using System.Security.Cryptography;

namespace Tweeling.Domain.Identity;

/// <summary>
/// A local account of the embedded identity store: someone who signs in with a user name and password,
/// or a machine (a sensor partner) that signs in with an API token only.
/// </summary>
/// <param name="Id">
/// The pseudonymous id (<c>acc_</c> and 20 random hex digits): what callers, logs and the audit trail
/// carry as the subject, so that they never hold the user name.
/// </param>
/// <param name="UserName">The name to sign in with; see <see cref="IsValidUserName"/>.</param>
/// <param name="Role">
/// The account's role by its API name (<c>medewerker</c>, <c>beheerder</c>, …). Roles and what they may do
/// are governance's (Tweeling.Governance RoleNames and AccessPolicy); the model only keeps the name.
/// </param>
/// <param name="PasswordHash">The password as governance's PasswordHasher stores it; <c>null</c> for an account that signs in with API tokens only.</param>
/// <param name="Created">When the account was made.</param>
/// <param name="Disabled">A disabled account can sign in neither with its password nor with its tokens.</param>
public sealed record Account(string Id, string UserName, string Role, string? PasswordHash, DateTimeOffset Created, bool Disabled)
{
    /// <summary>The longest user name.</summary>
    public const int MaxUserNameLength = 64;

    /// <summary>
    /// A user name is 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit:
    /// no ':' (it would split an HTTP Basic credential), no case or Unicode look-alikes of another name.
    /// </summary>
    public static bool IsValidUserName(string? userName) =>
        userName is { Length: > 0 and <= MaxUserNameLength } &&
        (char.IsAsciiLetterLower(userName[0]) || char.IsAsciiDigit(userName[0])) &&
        userName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');

    /// <summary>A new account with a fresh pseudonymous id.</summary>
    public static Account Create(string userName, string role, string? passwordHash, DateTimeOffset created)
    {
        if (!IsValidUserName(userName))
        {
            throw new ArgumentException(
                $"'{userName}' is not a valid user name: use 1 to {MaxUserNameLength} lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.", nameof(userName));
        }

        return new Account("acc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)), userName, role, passwordHash, created, Disabled: false);
    }
}
