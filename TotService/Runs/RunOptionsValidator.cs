using Microsoft.Extensions.Options;

namespace TotService.Runs;

/// <summary>Cross-field rule: a lease must survive a couple of missed heartbeats, or healthy runs get marked failed.</summary>
public sealed class RunOptionsValidator : IValidateOptions<RunOptions>
{
    public ValidateOptionsResult Validate(string? name, RunOptions options) =>
        options.LeaseDuration < options.HeartbeatInterval * 2
            ? ValidateOptionsResult.Fail(
                $"{RunOptions.SectionName}:LeaseDuration ({options.LeaseDuration}) must be at least twice {RunOptions.SectionName}:HeartbeatInterval ({options.HeartbeatInterval}).")
            : ValidateOptionsResult.Success;
}
