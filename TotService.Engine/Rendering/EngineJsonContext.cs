using System.Text.Json;
using System.Text.Json.Serialization;
using TotService.Engine.Search;
using TotService.Engine.Sessions;
using TotService.Engine.Tree;

namespace TotService.Engine.Rendering;

/// <summary>Source-generated, reflection-free JSON for everything the engine hands out or persists.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, WriteIndented = false)]
[JsonSerializable(typeof(ThoughtTreeSnapshot))]
[JsonSerializable(typeof(SearchResult))]
[JsonSerializable(typeof(SearchProgress))]
[JsonSerializable(typeof(ThoughtTreeSessionState))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
