using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tweeling.Governance.Identity;

/// <summary>
/// Hashes and checks passwords with PBKDF2-HMAC-SHA256 at 600,000 iterations, a 16-byte random salt and a
/// 32-byte output: the parameters the OWASP Password Storage Cheat Sheet gives for PBKDF2 (why PBKDF2 and
/// not Argon2id: docs/adr/0001-dependencies.md). A hash is stored as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c> (base64), so the iteration count can rise
/// later without invalidating what is stored.
/// </summary>
public static class PasswordHasher
{
    /// <summary>OWASP Password Storage Cheat Sheet: PBKDF2-HMAC-SHA256 with 600,000 iterations.</summary>
    public const int Iterations = 600_000;

    /// <summary>
    /// The shortest password: 15 characters, NIST SP 800-63B-4 §3.1.1.2 for a password that is the only
    /// factor. No composition rules, as that section also says.
    /// </summary>
    public const int MinLength = 15;

    /// <summary>The longest password; a bound so a huge one cannot make hashing a denial of service (NIST allows a maximum of at least 64).</summary>
    public const int MaxLength = 256;

    /// <summary>The name of the KDF in the stored form.</summary>
    public const string Algorithm = "pbkdf2-sha256";

    /// <summary>Salt length in bytes (128 bits: NIST SP 800-132 §5.1 asks at least 128 bits).</summary>
    public const int SaltBytes = 16;

    /// <summary>Derived-key length in bytes: the output size of HMAC-SHA256, so PBKDF2 runs one block only.</summary>
    public const int HashBytes = 32;

    /// <summary>
    /// A hash of a random password, checked in place of a missing account's, so a failed sign-in costs the
    /// same time whether or not the user name exists.
    /// </summary>
    private static readonly string s_absentAccount = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    /// <summary>Why <paramref name="password"/> cannot be used, or <c>null</c> when it can.</summary>
    public static string? Weakness(string password) => password.Length switch
    {
        < MinLength => $"a password needs at least {MinLength} characters (NIST SP 800-63B); a passphrase of a few words is easiest.",
        > MaxLength => $"a password has at most {MaxLength} characters.",
        _ => null,
    };

    /// <summary>The stored form of <paramref name="password"/>, with a fresh salt.</summary>
    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Algorithm}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="stored"/>, compared in constant time. A
    /// <c>null</c> <paramref name="stored"/> (no such account, or one without a password) is checked against
    /// a decoy hash first, so the answer takes as long as for a real account.
    /// </summary>
    public static bool Verify(string password, string? stored)
    {
        var matches = Check(password, stored ?? s_absentAccount);
        return matches && stored is not null;
    }

    /// <summary>
    /// Whether <paramref name="stored"/> was made with weaker parameters than <see cref="Hash"/> uses now (fewer
    /// iterations, a shorter salt or hash), so a sign-in that proved the password should store a fresh hash.
    /// A form this class cannot read is not upgraded: it does not verify either.
    /// </summary>
    public static bool NeedsRehash(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Algorithm || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }

        return iterations < Iterations || DecodedLength(parts[2]) < SaltBytes || DecodedLength(parts[3]) < HashBytes;
    }

    private static int DecodedLength(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var length) ? length : 0;
    }

    private static bool Check(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Algorithm || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
