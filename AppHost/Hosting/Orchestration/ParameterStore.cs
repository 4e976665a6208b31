using System.Text.Json;
using AppHost.Hosting.Model;
using Microsoft.Extensions.Configuration;

namespace AppHost.Hosting.Orchestration;

/// <summary>
/// Gives every parameter a value: <c>Parameters:{name}</c> from configuration, else a value generated once and kept
/// in the data folder (0600, git-ignored) so a restart of the AppHost keeps e.g. the key-encryption key.
/// </summary>
internal static class ParameterStore
{
    public static void Resolve(IEnumerable<ParameterResource> parameters, IConfiguration configuration, string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, "parameters.json");
        var kept = File.Exists(file)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file)) ?? []
            : [];
        var changed = false;
        foreach (var parameter in parameters)
        {
            if (configuration[$"Parameters:{parameter.Name}"] is { Length: > 0 } configured)
            {
                parameter.Value = configured;
            }
            else if (parameter.KeepGenerated && kept.TryGetValue(parameter.Name, out var value))
            {
                parameter.Value = value;
            }
            else if (parameter.Generate is not null)
            {
                parameter.Value = parameter.Generate();
                if (parameter.KeepGenerated)
                {
                    kept[parameter.Name] = parameter.Value;
                    changed = true;
                }
            }
            else
            {
                throw new InvalidOperationException($"Parameter '{parameter.Name}' has no value: set 'Parameters:{parameter.Name}' in configuration.");
            }
        }

        if (changed)
        {
            Directory.CreateDirectory(dataDirectory);
            File.WriteAllText(file, JsonSerializer.Serialize(kept));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }
}
