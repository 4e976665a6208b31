namespace TotService.Tests.Engine.Support;

/// <summary>A child in a <see cref="ScriptedTree"/>: its label, score, finality and optional duplicate key.</summary>
internal sealed record ScriptedChild(string Label, double Score, bool IsFinal = false, string? StateKey = null)
{
    public static implicit operator ScriptedChild((string Label, double Score) child) => new(child.Label, child.Score);
}
