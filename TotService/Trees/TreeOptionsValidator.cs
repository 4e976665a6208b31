using Microsoft.Extensions.Options;

namespace TotService.Trees;

/// <summary>Cross-field rules: each limit must leave room for the one below it, or nothing could ever be stored.</summary>
public sealed class TreeOptionsValidator : IValidateOptions<TreeOptions>
{
    private const string Prefix = TreeOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, TreeOptions options)
    {
        var failures = new List<string>();
        if (options.MaxTreeBytes < options.MaxThoughtBytes * 2L)
        {
            failures.Add($"{Prefix}MaxTreeBytes ({options.MaxTreeBytes}) must be at least twice {Prefix}MaxThoughtBytes ({options.MaxThoughtBytes}): a tree holds its task and at least one thought.");
        }
        if (options.MaxStoredBytesPerClient < options.MaxTreeBytes)
        {
            failures.Add($"{Prefix}MaxStoredBytesPerClient ({options.MaxStoredBytesPerClient}) must be at least {Prefix}MaxTreeBytes ({options.MaxTreeBytes}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
