using System.Diagnostics.Metrics;
using System.Text.Json;
using TotService.Engine.Search;

namespace TotService.Engine.Diagnostics;

/// <summary>
/// The engine's instruments on the meter <see cref="MeterName"/>. Tag values are lower snake case.
/// </summary>
public sealed class EngineMetrics
{
    public const string MeterName = "TotMcp.TotService.Engine";

    private readonly Counter<long> runs;
    private readonly Histogram<double> runDuration;
    private readonly UpDownCounter<long> activeRuns;
    private readonly Counter<long> nodesExpanded;
    private readonly Counter<long> llmCalls;
    private readonly Counter<long> llmMalformedOutputs;
    private readonly Counter<long> treeOperations;

    public EngineMetrics(IMeterFactory meterFactory)
        : this(meterFactory, MeterName)
    {
    }

    /// <param name="meterName">Another meter than <see cref="MeterName"/>, for searches that must not be counted with the others.</param>
    public EngineMetrics(IMeterFactory meterFactory, string meterName)
    {
        var meter = meterFactory.Create(meterName);
        runs = meter.CreateCounter<long>("tot.engine.runs", "{run}",
            "Finished searches by strategy, provider and outcome (the stop reason).");
        runDuration = meter.CreateHistogram<double>("tot.engine.run.duration", "s",
            "Wall-clock duration of finished searches.");
        activeRuns = meter.CreateUpDownCounter<long>("tot.engine.runs.active", "{run}",
            "Searches currently executing in this process.");
        nodesExpanded = meter.CreateCounter<long>("tot.engine.nodes.expanded", "{node}",
            "Nodes expanded (children generated) by searches.");
        llmCalls = meter.CreateCounter<long>("tot.engine.llm.calls", "{call}",
            "Chat model calls made by the LLM providers.");
        llmMalformedOutputs = meter.CreateCounter<long>("tot.engine.llm.malformed_outputs", "{output}",
            "Chat model replies that could not be parsed and were tolerated.");
        treeOperations = meter.CreateCounter<long>("tot.engine.tree.operations", "{operation}",
            "Operations on client-driven thought trees.");
    }

    public static string TagValue(Enum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    internal void RunStarted(SearchStrategy strategy, string provider) =>
        activeRuns.Add(1, StrategyTag(strategy), ProviderTag(provider));

    internal void RunFinished(SearchStrategy strategy, string provider, StopReason outcome, TimeSpan duration)
    {
        activeRuns.Add(-1, StrategyTag(strategy), ProviderTag(provider));
        var outcomeTag = new KeyValuePair<string, object?>("tot.outcome", TagValue(outcome));
        runs.Add(1, StrategyTag(strategy), ProviderTag(provider), outcomeTag);
        runDuration.Record(duration.TotalSeconds, StrategyTag(strategy), ProviderTag(provider), outcomeTag);
    }

    internal void NodeExpanded(SearchStrategy strategy, string provider) =>
        nodesExpanded.Add(1, StrategyTag(strategy), ProviderTag(provider));

    internal void LlmCall(string provider, string operation) =>
        llmCalls.Add(1, ProviderTag(provider), OperationTag(operation));

    internal void LlmMalformedOutput(string provider, string operation) =>
        llmMalformedOutputs.Add(1, ProviderTag(provider), OperationTag(operation));

    /// <summary>Called by the tree tools; <paramref name="operation"/> is one of <see cref="TreeOperationNames"/>.</summary>
    public void TreeOperation(string operation, SearchStrategy strategy) =>
        treeOperations.Add(1, OperationTag(operation), StrategyTag(strategy));

    private static KeyValuePair<string, object?> StrategyTag(SearchStrategy strategy) => new("tot.strategy", TagValue(strategy));

    private static KeyValuePair<string, object?> ProviderTag(string provider) => new("tot.provider", provider);

    private static KeyValuePair<string, object?> OperationTag(string operation) => new("tot.operation", operation);
}
