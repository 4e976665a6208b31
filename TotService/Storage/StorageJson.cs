using System.Text.Json;
using System.Text.Json.Serialization;
using TotService.Runs;

namespace TotService.Storage;

/// <summary>Source-generated JSON for what TotService persists (camelCase, enums as names).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(ModelTranscript))]
internal sealed partial class StorageJson : JsonSerializerContext
{
    public static string Serialize(RunRecord run) => JsonSerializer.Serialize(run, Default.RunRecord);

    public static string Serialize(ModelTranscript transcript) => JsonSerializer.Serialize(transcript, Default.ModelTranscript);

    public static ModelTranscript DeserializeTranscript(string json) =>
        JsonSerializer.Deserialize(json, Default.ModelTranscript) ?? throw new JsonException("The JSON holds no transcript.");

    public static RunRecord DeserializeRun(string json) =>
        JsonSerializer.Deserialize(json, Default.RunRecord) ?? throw new JsonException("The JSON holds no run.");
}
