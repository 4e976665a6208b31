using System.ComponentModel.DataAnnotations;

namespace KeyService.Options;

/// <summary>The <c>KeyService</c> configuration section. Cross-field rules live in <see cref="KeyServiceOptionsValidator"/>.</summary>
public sealed class KeyServiceOptions
{
    public const string SectionName = "KeyService";

    /// <summary>Public issuer URL: the <c>iss</c> claim and the base of every metadata URL.</summary>
    [Required]
    public string Issuer { get; set; } = "";

    /// <summary>Base64 of 32 random bytes (AES-256-GCM key-encryption key). Required outside Development.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>Folder of the file key ring when no Redis is configured; default <c>.data</c> under the content root.</summary>
    public string? DataDirectory { get; set; }

    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a new key is published before it signs (at least one JWKS cache lifetime).</summary>
    public TimeSpan PropagationTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a retired key stays published (at least token lifetime + JWKS cache lifetime).</summary>
    public TimeSpan GraceTime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>JWKS <c>Cache-Control: max-age</c>.</summary>
    public TimeSpan JwksMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Periodic re-read of the shared ring, the safety net behind pub/sub notifications.</summary>
    public TimeSpan JwksRefreshCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    public int KeySize { get; set; } = 2048;

    /// <summary>Failed secrets allowed per client id and source address within <see cref="ClientFailureWindow"/>.</summary>
    [Range(1, 10_000)]
    public int ClientFailureLimit { get; set; } = 10;

    /// <summary>Failed secrets allowed per source address, all client ids together, within <see cref="ClientFailureWindow"/>.</summary>
    [Range(1, 100_000)]
    public int SourceFailureLimit { get; set; } = 100;

    /// <summary>Counting window, and the first block once a limit is reached.</summary>
    public TimeSpan ClientFailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest block: blocks that follow each other double up to this.</summary>
    public TimeSpan ClientFailureMaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Most (client, address) and address buckets held in memory.</summary>
    [Range(1_000, 10_000_000)]
    public int ClientFailureMaxTracked { get; set; } = 100_000;

    public List<ClientOptions> Clients { get; set; } = [];
}
