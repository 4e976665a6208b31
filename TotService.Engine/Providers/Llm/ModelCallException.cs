namespace TotService.Engine.Providers.Llm;

/// <summary>A model call failed (endpoint error, timeout, unreadable response); the message is meant for the caller.</summary>
public sealed class ModelCallException(string message, Exception? inner = null) : Exception(message, inner);
