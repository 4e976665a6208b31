using System.Text.Json;
using System.Text.Json.Serialization;
using TotService.Runs;
using TotService.Trees;

namespace TotService.Storage;

/// <summary>Source-generated JSON for what TotService persists (camelCase, enums as names).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(TreeRecord))]
internal sealed partial class StorageJson : JsonSerializerContext
{
    public static string Serialize(RunRecord run) => JsonSerializer.Serialize(run, Default.RunRecord);

    public static RunRecord DeserializeRun(string json) =>
        JsonSerializer.Deserialize(json, Default.RunRecord) ?? throw new JsonException("The JSON holds no run.");

    public static string Serialize(TreeRecord tree) => JsonSerializer.Serialize(tree, Default.TreeRecord);

    public static TreeRecord DeserializeTree(string json) =>
        JsonSerializer.Deserialize(json, Default.TreeRecord) ?? throw new JsonException("The JSON holds no tree.");
}
