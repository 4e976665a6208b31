using System.ComponentModel;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Identity;

namespace TotService.Tests.Infrastructure;

/// <summary>Counts tool invocations so tests can prove a refused request never reached a tool.</summary>
public sealed class ToolInvocations
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Record() => Interlocked.Increment(ref _count);
}

/// <summary>Tools registered only in tests: a read probe, a write tool, and one that fails with internals.</summary>
[McpServerToolType]
public sealed class TestTools(ToolInvocations invocations)
{
    [McpServerTool(Name = "probe", Title = "Probe", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Counts the call and answers pong.")]
    [RequiresScope(TotScopes.Read)]
    public string Probe()
    {
        invocations.Record();
        return "pong";
    }

    [McpServerTool(Name = "append_note", Title = "Append a note", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Counts the call and pretends to store a note.")]
    [RequiresScope(TotScopes.Write)]
    public string AppendNote([Description("The note text.")] string text)
    {
        invocations.Record();
        return "stored " + text.Length;
    }

    [McpServerTool(Name = "explode", Title = "Explode", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Fails with an exception whose message holds internals.")]
    [RequiresScope(TotScopes.Read)]
    public string Explode()
    {
        invocations.Record();
        throw new InvalidOperationException("SECRET-INTERNAL connection string=Server=db;Password=hunter2");
    }
}
