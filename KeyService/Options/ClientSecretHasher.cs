using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KeyService.Options;

/// <summary>
/// Salted PBKDF2/SHA-256 hashes of client secrets: <c>PBKDF2-SHA256$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 hash&gt;</c>.
/// Public and dependency-free so the AppHost can hash the development client's generated secret.
/// </summary>
public static class ClientSecretHasher
{
    private const string Scheme = "PBKDF2-SHA256";
    private const int SaltSize = 16;
    private const int HashSize = 32;
    private const int MinIterations = 10_000;

    public static string Hash(string secret, int iterations = 100_000)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashSize);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>True when <paramref name="secret"/> matches; compares in constant time. Malformed hashes never match.</summary>
    public static bool Verify(string secret, string encodedHash)
    {
        if (string.IsNullOrEmpty(secret) || !TryParse(encodedHash, out var iterations, out var salt, out var expected))
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashSize);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public static bool IsWellFormed(string encodedHash) => TryParse(encodedHash, out _, out _, out _);

    /// <summary>The PBKDF2 iteration count of a well-formed hash, else null.</summary>
    public static int? IterationsOf(string encodedHash) => TryParse(encodedHash, out var iterations, out _, out _) ? iterations : null;

    private static bool TryParse(string encodedHash, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = encodedHash.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinIterations)
        {
            return false;
        }
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length >= 8 && hash.Length == HashSize;
    }
}
