using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace AppHost;

/// <summary>
/// The AppHost's own settings (section <c>AppHost</c>; on the command line e.g. <c>--AppHost:RandomPorts=true</c>).
/// Read once while the model is built, so a bad value stops the AppHost before anything starts.
/// </summary>
public sealed class AppHostSettings
{
    public const string SectionName = "AppHost";

    /// <summary>Let the orchestrator pick free ports instead of 5101/5102 (run two copies side by side; tests do).</summary>
    public bool RandomPorts { get; set; }

    /// <summary>KeyService processes (<c>keyservice-0..N-1</c>), each with its own port and discovery entry.</summary>
    [Range(1, 8)]
    public int KeyServiceInstances { get; set; } = 2;

    /// <summary>TotService processes (<c>totservice</c>, or <c>totservice-0..N-1</c> when more than one).</summary>
    [Range(1, 8)]
    public int TotServiceInstances { get; set; } = 1;

    [Range(1, 65535)]
    public int KeyServicePort { get; set; } = 5101;

    [Range(1, 65535)]
    public int TotServicePort { get; set; } = 5102;

    /// <summary>How long a busy fixed port is given to become free before the AppHost refuses to start.</summary>
    public TimeSpan BusyPortWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary><c>auto</c> (redis-server when on PATH, else Garnet), <c>redis-server</c>, <c>garnet</c> or <c>container</c>.</summary>
    [AllowedValues("auto", "redis-server", "garnet", "container")]
    public string RedisServer { get; set; } = "auto";

    /// <summary>Run Prometheus as a local resource when <see cref="PrometheusPath"/> exists.</summary>
    public bool Prometheus { get; set; } = true;

    public string PrometheusPath { get; set; } = "/usr/bin/prometheus";

    /// <summary>The environment the services run in; DCP starts them without a launch profile.</summary>
    public string? ServiceEnvironment { get; set; }

    /// <summary>The organisation's OpenID Connect provider KeyService signs people in with; off without an authority.</summary>
    public UpstreamSignInSettings UpstreamSignIn { get; set; } = new();

    /// <summary>The fixed port, or none (the orchestrator picks) with <see cref="RandomPorts"/>.</summary>
    public int? Port(int fixedPort) => RandomPorts ? null : fixedPort;

    public static AppHostSettings Read(IConfiguration configuration)
    {
        var settings = new AppHostSettings();
        configuration.GetSection(SectionName).Bind(settings);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
        {
            throw new InvalidOperationException(
                $"Invalid AppHost settings: {string.Join("; ", results.Select(r => $"{SectionName}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"))}");
        }
        return settings;
    }
}
