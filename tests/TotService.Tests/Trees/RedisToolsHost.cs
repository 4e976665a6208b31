using TotService.Tests.Tools;

namespace TotService.Tests.Trees;

/// <summary>TotService with its stores in a real Redis-protocol server, to measure what the store holds.</summary>
public class RedisToolsHost : ToolsHost
{
    public RedisServer Redis { get; } = new();

    protected virtual IDictionary<string, string?> Limits => new Dictionary<string, string?>();

    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(Limits) { ["ConnectionStrings:redis"] = Redis.ConnectionString };

    public override async ValueTask InitializeAsync()
    {
        await Redis.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
