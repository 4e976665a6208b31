namespace TotService.Engine.Domains.Game24;

/// <summary>Whether an answer is a correct Game of 24 solution, with a message saying why not.</summary>
public sealed record Game24Verification(bool IsValid, string Message);
