namespace TotService.Engine.Providers;

/// <summary>A proposed next step.</summary>
/// <param name="Thought">The step, as a reader would see it.</param>
/// <param name="State">The state after the step, in the domain's notation.</param>
/// <param name="StateKey">Canonical form for duplicate detection; null = normalised <paramref name="State"/>.</param>
/// <param name="IsFinal">The step completes an answer; the node will not be expanded.</param>
public sealed record ThoughtCandidate(string Thought, string State, string? StateKey = null, bool IsFinal = false);
