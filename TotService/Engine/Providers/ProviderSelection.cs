namespace TotService.Engine.Providers;

/// <summary>What is available for one request; all inputs of <see cref="ProviderSelector.Select"/>.</summary>
/// <param name="Requested">"auto", "domain", "sampling" or "endpoint" (case-insensitive).</param>
public sealed record ProviderAvailability(
    string Requested,
    string Domain,
    bool DomainHasSolver,
    bool ClientSupportsSampling,
    bool EndpointConfigured);

/// <summary>Either the chosen provider kind or an error naming the options.</summary>
public sealed record ProviderSelection(ProviderKind? Kind, string? Error)
{
    public bool IsSuccess => Kind is not null;
}
