namespace TotService.Tests.Infrastructure;

public static class TestSettings
{
    /// <summary>KeyService's public issuer: not the address TotService fetches keys from.</summary>
    public const string Issuer = "https://issuer.keyservice.test";

    /// <summary>TotService's canonical MCP URL (the public one; the test server listens on 127.0.0.1).</summary>
    public const string Audience = "https://tot.example.test/mcp";

    public const string MetadataUrl = "https://tot.example.test/.well-known/oauth-protected-resource/mcp";

    public const string AllowedOrigin = "https://app.example.test";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
}
