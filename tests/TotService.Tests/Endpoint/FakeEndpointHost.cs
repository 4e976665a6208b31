using FakeOpenAi;
using TotService.Tests.Tools;

namespace TotService.Tests.Endpoint;

/// <summary>The in-process TotService with its endpoint provider pointed at a fake OpenAI-compatible server.</summary>
public sealed class FakeEndpointHost : ToolsHost, IAsyncLifetime
{
    public FakeOpenAiServer Fake { get; private set; } = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Llm:BaseUrl"] = Fake.BaseUrl.ToString(),
        ["Llm:Model"] = "fake-model",
        ["Llm:MaxRetries"] = "0",
    };

    public new async ValueTask InitializeAsync()
    {
        var script = new FakeScript { Model = FakeEndpoint.Model() };
        script.Rules.Add(new FakeRule(@"Task: Plan a dinner.*Propose", "1. Cook pasta\n2. Order pizza"));
        script.Rules.Add(new FakeRule(@"Task: Plan a dinner.*\d\. Cook pasta\n\nJudge", "Verdict: likely"));
        script.Rules.Add(new FakeRule(@"Task: Plan a dinner.*\d\. Order pizza\n\nJudge", "Verdict: sure"));
        Fake = await FakeOpenAiServer.StartAsync(script, TestContext.Current.CancellationToken);
        await base.InitializeAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
