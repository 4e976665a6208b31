using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Sessions;

/// <summary>Everything a client-driven tree needs between requests: persist this (e.g. as JSON in Redis).</summary>
public sealed record ThoughtTreeSessionState(SearchSettings Settings, ThoughtTreeSnapshot Tree);
