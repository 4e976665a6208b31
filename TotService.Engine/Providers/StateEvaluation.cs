namespace TotService.Engine.Providers;

/// <summary>A value judgement on a state, normalised to 0..1 (1 = certainly leads to a correct answer).</summary>
public sealed record StateEvaluation(double Score, string? Rationale = null);
