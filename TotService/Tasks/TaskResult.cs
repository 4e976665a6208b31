using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol.Protocol;

namespace TotService.Tasks;

/// <summary>A <c>CreateTaskResult</c>: <c>resultType</c> "task" and the task's fields at the top level of the result.</summary>
public sealed class TaskResult : Result
{
    public static readonly JsonTypeInfo<TaskResult> TypeInfo = (JsonTypeInfo<TaskResult>)new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    }.GetTypeInfo(typeof(TaskResult));

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Task { get; init; } = [];

    public static TaskResult From(JsonObject task) => new()
    {
        ResultType = "task",
        Task = task.Where(field => field.Key != "resultType")
            .ToDictionary(field => field.Key, field => field.Value is null ? default : JsonSerializer.SerializeToElement(field.Value), StringComparer.Ordinal),
    };
}
