using System.Text.Json;

namespace EndToEnd.Tests.ScaleOut;

/// <summary>
/// One tool call as the client saw it: its tag (as in the proxy's log), when it ran (system timestamps), and its
/// structured content or why it failed.
/// </summary>
internal sealed record TrackedCall(string Worker, string Tag, long Started, long Finished, JsonElement? Result, string? Failure)
{
    public bool Failed => Failure is not null;
}
