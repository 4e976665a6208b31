using Microsoft.Extensions.Options;

namespace TotService.Runs;

/// <summary>
/// Cross-field rules: a lease must survive a couple of missed heartbeats, or healthy runs get marked failed; and a
/// client's byte budget must hold at least one full result, or results would be clipped below their own limit.
/// </summary>
public sealed class RunOptionsValidator : IValidateOptions<RunOptions>
{
    private const string Prefix = RunOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, RunOptions options)
    {
        var failures = new List<string>();
        if (options.LeaseDuration < options.HeartbeatInterval * 2)
        {
            failures.Add($"{Prefix}LeaseDuration ({options.LeaseDuration}) must be at least twice {Prefix}HeartbeatInterval ({options.HeartbeatInterval}).");
        }
        if (options.MaxStoredRunBytesPerClient < options.MaxResultBytes)
        {
            failures.Add($"{Prefix}MaxStoredRunBytesPerClient ({options.MaxStoredRunBytesPerClient}) must be at least {Prefix}MaxResultBytes ({options.MaxResultBytes}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
