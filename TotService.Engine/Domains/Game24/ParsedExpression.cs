namespace TotService.Engine.Domains.Game24;

/// <summary>An arithmetic expression's exact value and the number literals it used, in order of appearance.</summary>
public sealed record ParsedExpression(Fraction Value, IReadOnlyList<long> Numbers);
