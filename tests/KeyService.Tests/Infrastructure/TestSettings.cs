using System.Security.Cryptography;
using KeyService.Options;

namespace KeyService.Tests.Infrastructure;

/// <summary>Configuration shared by tests: two clients, a fresh key-encryption key and data folder per call.</summary>
public static class TestSettings
{
    public const string Issuer = "http://keyservice.test";
    public const string McpAudience = "http://localhost:5102/mcp";
    public const string DevClient = "dev";
    public const string DevSecret = "dev-secret-0123456789abcdef0123456789abcdef";
    public const string AdminClient = "admin";
    public const string AdminSecret = "admin-secret-0123456789abcdef0123456789abcdef";

    // Hashing is deliberately slow; hash once per test run.
    private static readonly Lazy<string> DevHash = new(() => ClientSecretHasher.Hash(DevSecret, 10_000));
    private static readonly Lazy<string> AdminHash = new(() => ClientSecretHasher.Hash(AdminSecret, 10_000));

    public static string NewKeyEncryptionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string NewDataDirectory() => Directory.CreateDirectory(Path.Combine(TestDataRoot.Path, Guid.NewGuid().ToString("N"))).FullName;

    public static Dictionary<string, string?> Create(string? keyEncryptionKey = null, string? dataDirectory = null) => new()
    {
        ["KeyService:Issuer"] = Issuer,
        ["KeyService:KeyEncryptionKey"] = keyEncryptionKey ?? NewKeyEncryptionKey(),
        ["KeyService:DataDirectory"] = dataDirectory ?? NewDataDirectory(),
        ["KeyService:Clients:0:ClientId"] = DevClient,
        ["KeyService:Clients:0:SecretHash"] = DevHash.Value,
        ["KeyService:Clients:0:AllowedScopes:0"] = "tot:read",
        ["KeyService:Clients:0:AllowedScopes:1"] = "tot:write",
        ["KeyService:Clients:0:AllowedAudiences:0"] = McpAudience,
        ["KeyService:Clients:1:ClientId"] = AdminClient,
        ["KeyService:Clients:1:SecretHash"] = AdminHash.Value,
        ["KeyService:Clients:1:AllowedScopes:0"] = "keys:admin",
        ["KeyService:Clients:1:AllowedScopes:1"] = "tot:read",
        ["KeyService:Clients:1:AllowedAudiences:0"] = Issuer,
        ["KeyService:Clients:1:AllowedAudiences:1"] = McpAudience,
    };
}
