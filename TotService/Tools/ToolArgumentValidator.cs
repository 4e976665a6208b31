using System.Collections.Frozen;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TotService.Tools;

/// <summary>
/// Checks <c>tools/call</c> arguments against each tool's input schema (types, required, nested arrays and objects)
/// before the SDK binds them, so a wrong type or a missing argument gets a tool error naming the argument and the
/// expected type instead of the SDK's generic "An error occurred invoking ...". Ranges are checked by the tools.
/// </summary>
public sealed class ToolArgumentValidator
{
    private readonly FrozenDictionary<string, JsonElement> _schemas;

    public ToolArgumentValidator(IEnumerable<McpServerTool> tools) =>
        _schemas = tools.ToFrozenDictionary(t => t.ProtocolTool.Name, t => t.ProtocolTool.InputSchema.Clone(), StringComparer.Ordinal);

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) => async (context, cancel) =>
    {
        var validator = context.Services!.GetRequiredService<ToolArgumentValidator>();
        if (context.Params is { } call && validator.Validate(call.Name, call.Arguments) is { Count: > 0 } errors)
        {
            return new CallToolResult
            {
                IsError = true,
                Content = [new TextContentBlock { Text = "Invalid arguments: " + string.Join(" ", errors) }],
            };
        }
        return await next(context, cancel);
    };

    /// <summary>Every violation, each naming the argument; empty when the arguments fit (or the tool is unknown).</summary>
    public IReadOnlyList<string> Validate(string toolName, IDictionary<string, JsonElement>? arguments)
    {
        var errors = new List<string>();
        if (!_schemas.TryGetValue(toolName, out var schema))
        {
            return errors;
        }
        CheckObject("", schema, arguments ?? new Dictionary<string, JsonElement>(), errors);
        return errors;
    }

    private static void CheckObject(string path, JsonElement schema, IDictionary<string, JsonElement> members, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(n => !members.ContainsKey(n)))
            {
                errors.Add($"{path}{name} is required.");
            }
        }
        if (!schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var (name, value) in members)
        {
            if (properties.TryGetProperty(name, out var propertySchema))
            {
                Check(path + name, propertySchema, value, errors);
            }
        }
    }

    private static void Check(string path, JsonElement schema, JsonElement value, List<string> errors)
    {
        if (!schema.TryGetProperty("type", out var typeElement))
        {
            return;
        }
        var types = typeElement.ValueKind == JsonValueKind.Array
            ? typeElement.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [typeElement.GetString()!];
        var matched = types.FirstOrDefault(type => Matches(type, value));
        if (matched is null)
        {
            var expected = string.Join(" or ", types.Select(Describe));
            errors.Add($"{path} must be {expected} (got {Got(value)}).");
            return;
        }
        if (matched == "array" && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check($"{path}[{index++}]", items, item, errors);
            }
        }
        else if (matched == "object")
        {
            CheckObject(path + ".", schema, value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value), errors);
        }
    }

    private static bool Matches(string type, JsonElement value) => type switch
    {
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Describe(string type) => type switch
    {
        "integer" => "a whole number (32-bit)",
        "number" => "a number",
        "string" => "a string",
        "boolean" => "true or false",
        "array" => "an array",
        "object" => "an object",
        "null" => "null",
        _ => type,
    };

    private static string Got(JsonElement value)
    {
        var raw = value.ValueKind switch
        {
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => value.GetRawText(),
        };
        return raw.Length <= 40 ? raw : raw[..40] + "...";
    }
}
