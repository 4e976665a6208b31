namespace TotService.Engine.Providers;

/// <summary>Counters as plain data for results and persistence.</summary>
public sealed record ProviderUsageSnapshot(int ModelCalls, int MalformedOutputs, long PromptTokens = 0, long CompletionTokens = 0);
