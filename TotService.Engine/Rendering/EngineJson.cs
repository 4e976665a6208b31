using System.Text.Json;
using TotService.Engine.Search;
using TotService.Engine.Sessions;
using TotService.Engine.Tree;

namespace TotService.Engine.Rendering;

/// <summary>
/// The engine's JSON shape (camelCase, enums as names): use it for traces shown to clients and for
/// persisted runs and trees, so both sides agree.
/// </summary>
public static class EngineJson
{
    public static JsonSerializerOptions Options => EngineJsonContext.Default.Options;

    public static string Serialize(ThoughtTreeSnapshot tree) => JsonSerializer.Serialize(tree, EngineJsonContext.Default.ThoughtTreeSnapshot);

    public static string Serialize(SearchResult result) => JsonSerializer.Serialize(result, EngineJsonContext.Default.SearchResult);

    public static string Serialize(ThoughtTreeSessionState session) =>
        JsonSerializer.Serialize(session, EngineJsonContext.Default.ThoughtTreeSessionState);

    public static ThoughtTreeSnapshot DeserializeTree(string json) =>
        JsonSerializer.Deserialize(json, EngineJsonContext.Default.ThoughtTreeSnapshot)
        ?? throw new JsonException("The JSON holds no thought tree.");

    public static SearchResult DeserializeResult(string json) =>
        JsonSerializer.Deserialize(json, EngineJsonContext.Default.SearchResult)
        ?? throw new JsonException("The JSON holds no search result.");

    public static ThoughtTreeSessionState DeserializeSession(string json) =>
        JsonSerializer.Deserialize(json, EngineJsonContext.Default.ThoughtTreeSessionState)
        ?? throw new JsonException("The JSON holds no thought tree session.");
}
