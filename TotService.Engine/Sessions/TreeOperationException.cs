namespace TotService.Engine.Sessions;

/// <summary>A client-driven tree operation was refused; the message says why and what is allowed.</summary>
public sealed class TreeOperationException(string message) : Exception(message);
