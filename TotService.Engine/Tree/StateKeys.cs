namespace TotService.Engine.Tree;

/// <summary>Default normalisation of free-text states, so "A  b" and "a b" count as the same state.</summary>
public static class StateKeys
{
    public static string Normalize(string state) =>
        string.Join(' ', state.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
