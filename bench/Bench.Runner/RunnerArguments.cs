using System.Globalization;

namespace Bench.Runner;

/// <summary>
/// <c>Bench.Runner.dll [seconds] [--only=jwks,mcp,...] [--set=resource:NAME=VALUE ...]</c>. <c>--only</c> runs some
/// measurements and prints their rows instead of rewriting docs/BENCHMARKS.md; <c>--set</c> adds an environment
/// variable to a resource of the app model, to try a setting before changing its default. <c>--stateless</c> (profile
/// only) loads the protocol version 2026-07-28 call instead of the session one.
/// </summary>
public sealed record RunnerArguments(int Seconds, IReadOnlySet<string>? Only, IReadOnlyList<(string Resource, string Name, string Value)> Settings,
    bool Stateless = false)
{
    public bool Runs(string measurement) => Only is null || Only.Contains(measurement);

    public static RunnerArguments Parse(IReadOnlyList<string> args)
    {
        var seconds = 10;
        HashSet<string>? only = null;
        var settings = new List<(string, string, string)>();
        var stateless = false;
        foreach (var arg in args)
        {
            if (arg == "--stateless")
            {
                stateless = true;
            }
            else if (arg.StartsWith("--only=", StringComparison.Ordinal))
            {
                only = [.. arg["--only=".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            }
            else if (arg.StartsWith("--set=", StringComparison.Ordinal))
            {
                var setting = arg["--set=".Length..];
                var colon = setting.IndexOf(':', StringComparison.Ordinal);
                var equals = setting.IndexOf('=', StringComparison.Ordinal);
                if (colon <= 0 || equals < colon + 2)
                {
                    throw new ArgumentException($"--set expects resource:NAME=VALUE, got '{setting}'.");
                }
                settings.Add((setting[..colon], setting[(colon + 1)..equals], setting[(equals + 1)..]));
            }
            else
            {
                seconds = int.Parse(arg, CultureInfo.InvariantCulture);
            }
        }
        return new RunnerArguments(seconds, only, settings, stateless);
    }
}
