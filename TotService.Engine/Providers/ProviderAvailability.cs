namespace TotService.Engine.Providers;

/// <summary>What is available for one request; all inputs of <see cref="ProviderSelector.Select"/>.</summary>
/// <param name="Requested">"auto", "domain", "sampling" or "endpoint" (case-insensitive).</param>
public sealed record ProviderAvailability(
    string Requested,
    string Domain,
    bool DomainHasSolver,
    bool ClientSupportsSampling,
    bool EndpointConfigured);
