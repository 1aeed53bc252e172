using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tweeling.Governance.Identity;

namespace Tweeling.Governance.Tests.Identity;

/// <summary>
/// The password KDF and its parameters, checked against the OWASP Password Storage Cheat Sheet (2023 revision) for
/// PBKDF2: HMAC-SHA256 with at least 600,000 iterations; salt and output lengths per NIST SP 800-132. The stored
/// hash is recomputed here with the base library's PBKDF2, so the test proves which KDF made it, not only its label.
/// </summary>
public sealed class PasswordHasherTests
{
    /// <summary>OWASP Password Storage Cheat Sheet, PBKDF2 section (2023): "PBKDF2-HMAC-SHA256: 600,000 iterations".</summary>
    private const int OwaspPbkdf2Sha256Iterations = 600_000;

    private const string Password = "correct horse battery staple";

    [Fact]
    public void A_hash_is_pbkdf2_hmac_sha256_with_owasp_2023_iterations_a_16_byte_salt_and_a_32_byte_key()
    {
        var stored = PasswordHasher.Hash(Password);

        var parts = stored.Split('$');
        Assert.Equal(4, parts.Length);
        Assert.Equal("pbkdf2-sha256", parts[0]);
        var iterations = int.Parse(parts[1], CultureInfo.InvariantCulture);
        Assert.True(iterations >= OwaspPbkdf2Sha256Iterations, $"{iterations} iterations is below OWASP's {OwaspPbkdf2Sha256Iterations}");
        var salt = Convert.FromBase64String(parts[2]);
        var key = Convert.FromBase64String(parts[3]);
        Assert.Equal(16, salt.Length);
        Assert.Equal(32, key.Length);
        Assert.Equal(key, Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), salt, iterations, HashAlgorithmName.SHA256, 32));
    }

    [Fact]
    public void Every_hash_has_its_own_salt_and_only_the_right_password_verifies()
    {
        var first = PasswordHasher.Hash(Password);
        var second = PasswordHasher.Hash(Password);

        Assert.NotEqual(first.Split('$')[2], second.Split('$')[2]);
        Assert.True(PasswordHasher.Verify(Password, first));
        Assert.True(PasswordHasher.Verify(Password, second));
        Assert.False(PasswordHasher.Verify("correct horse battery stapler", first));
        Assert.False(PasswordHasher.Verify(Password, null));
        Assert.False(PasswordHasher.Verify(Password, "bcrypt$12$abc$def"));
        Assert.False(PasswordHasher.NeedsRehash(first));
    }

    [Theory]
    [InlineData(10_000, 16, 32)]
    [InlineData(310_000, 16, 32)]
    [InlineData(600_000, 8, 32)]
    [InlineData(600_000, 16, 20)]
    public void A_hash_from_older_weaker_parameters_still_verifies_and_asks_to_be_rehashed(int iterations, int saltBytes, int keyBytes)
    {
        var salt = RandomNumberGenerator.GetBytes(saltBytes);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), salt, iterations, HashAlgorithmName.SHA256, keyBytes);
        var stored = string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}");

        Assert.True(PasswordHasher.Verify(Password, stored));
        Assert.False(PasswordHasher.Verify("wrong horse battery staple", stored));
        Assert.True(PasswordHasher.NeedsRehash(stored));
    }
}
