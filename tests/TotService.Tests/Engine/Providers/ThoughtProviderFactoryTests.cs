using Microsoft.Extensions.Logging.Abstractions;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Providers;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Providers;

public sealed class ThoughtProviderFactoryTests
{
    [Fact]
    public void Builds_each_kind_with_its_metric_name()
    {
        using var fixture = new EngineFixture();
        var factory = new ThoughtProviderFactory(new Game24Solver(), fixture.Metrics, NullLogger<ThoughtProviderFactory>.Instance);
        using var chat = new ScriptedChatClient();

        Assert.Equal("game24", factory.Create(ProviderKind.Domain, "Game24").Name);
        Assert.Equal("sampling", factory.Create(ProviderKind.Sampling, "general", chat).Name);
        Assert.Equal("endpoint", factory.Create(ProviderKind.Endpoint, "game24", chat).Name);
        Assert.NotSame(factory.Create(ProviderKind.Sampling, "general", chat).Usage, factory.Create(ProviderKind.Sampling, "general", chat).Usage);
    }

    [Fact]
    public void Refuses_kinds_that_cannot_apply()
    {
        using var fixture = new EngineFixture();
        var factory = new ThoughtProviderFactory(new Game24Solver(), fixture.Metrics, NullLogger<ThoughtProviderFactory>.Instance);

        Assert.Throws<ArgumentException>(() => factory.Create(ProviderKind.Domain, "general"));
        Assert.Throws<ArgumentException>(() => factory.Create(ProviderKind.Endpoint, "general"));
    }
}
