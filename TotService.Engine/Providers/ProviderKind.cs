using System.Text.Json.Serialization;

namespace TotService.Engine.Providers;

[JsonConverter(typeof(JsonStringEnumConverter<ProviderKind>))]
public enum ProviderKind
{
    /// <summary>The domain's deterministic solver (e.g. Game of 24).</summary>
    Domain,

    /// <summary>The calling MCP client's own model, through MCP sampling.</summary>
    Sampling,

    /// <summary>The OpenAI-compatible endpoint configured on the server.</summary>
    Endpoint,
}
