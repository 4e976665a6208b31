namespace TotService.Engine.Domains.Game24;

/// <summary>A number still on the table and the expression that produced it.</summary>
public sealed record Game24Term(Fraction Value, string Expression);
