namespace TotService.Engine.Providers;

/// <summary>Either the chosen provider kind or an error naming the options.</summary>
public sealed record ProviderSelection(ProviderKind? Kind, string? Error)
{
    public bool IsSuccess => Kind is not null;
}
