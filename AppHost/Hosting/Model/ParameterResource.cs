using System.Security.Cryptography;

namespace AppHost.Hosting.Model;

/// <summary>
/// A value supplied from configuration (<c>Parameters:{name}</c>) or generated once and kept in the AppHost's
/// data folder, like Aspire's generated parameters. Secret values are never printed.
/// </summary>
public sealed class ParameterResource(string name, bool secret, Func<string>? generate) : Resource(name), IValueProvider
{
    public override string Kind => "Parameter";

    public bool Secret { get; } = secret;

    /// <summary>Makes a value when none is configured or kept; <c>null</c> = must be configured.</summary>
    public Func<string>? Generate { get; } = generate;

    /// <summary>False for values derived from other parameters (recomputed at every start, never stored).</summary>
    public bool KeepGenerated { get; init; } = true;

    internal string? Value { get; set; }

    public string ManifestExpression => $"{{{Name}.value}}";

    public string Resolve(ResolutionContext context) =>
        Value ?? throw new InvalidOperationException($"Parameter '{Name}' has no value: set 'Parameters:{Name}'.");

    /// <summary>A URL- and shell-safe random string (base64url, no padding).</summary>
    public static string RandomToken(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Standard base64 of random bytes (key material).</summary>
    public static string RandomKey(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
}
