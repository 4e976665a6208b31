using Microsoft.Extensions.Options;

namespace TotService.Configuration;

/// <summary>
/// URLs derived from the canonical resource (the Audience), never from the request's Host header, so a
/// forged Host cannot make the server advertise someone else's metadata.
/// </summary>
public sealed class ResourceUrls(IOptions<TotServiceOptions> options)
{
    public const string WellKnownPrefix = "/.well-known/oauth-protected-resource";

    public Uri Resource => new(options.Value.Audience);

    /// <summary>RFC 9728 section 3.1: the well-known segment goes between the host and the resource's path.</summary>
    public string MetadataPath => WellKnownPrefix + Resource.AbsolutePath.TrimEnd('/');

    public Uri MetadataUrl => new(Resource.GetLeftPart(UriPartial.Authority) + MetadataPath);
}
