using TotService.Engine.Providers;

namespace TotService.Tests.Engine.Providers;

public sealed class ProviderSelectorTests
{
    [Theory]
    [InlineData("auto", true, true, true, ProviderKind.Domain)]
    [InlineData("auto", false, true, true, ProviderKind.Sampling)]
    [InlineData("auto", false, false, true, ProviderKind.Endpoint)]
    [InlineData("AUTO", true, false, false, ProviderKind.Domain)]
    [InlineData("sampling", true, true, false, ProviderKind.Sampling)]
    [InlineData("endpoint", true, true, true, ProviderKind.Endpoint)]
    [InlineData("domain", true, false, false, ProviderKind.Domain)]
    public void Picks_the_requested_or_preferred_provider(string requested, bool solver, bool sampling, bool endpoint, ProviderKind expected)
    {
        var selection = ProviderSelector.Select(new ProviderAvailability(requested, "x", solver, sampling, endpoint));

        Assert.True(selection.IsSuccess);
        Assert.Equal(expected, selection.Kind);
    }

    [Theory]
    [InlineData("auto", "game24", "sampling", "endpoint")]
    [InlineData("domain", "general", "auto")]
    [InlineData("sampling", "sampling capability")]
    [InlineData("endpoint", "Llm:BaseUrl")]
    [InlineData("gpt", "auto, domain, sampling, endpoint")]
    public void Explains_the_options_when_nothing_applies(string requested, params string[] mentioned)
    {
        var selection = ProviderSelector.Select(new ProviderAvailability(requested, "general", false, false, false));

        Assert.False(selection.IsSuccess);
        Assert.Null(selection.Kind);
        Assert.All(mentioned, m => Assert.Contains(m, selection.Error, StringComparison.Ordinal));
    }
}
