namespace KeyService.Tests.Infrastructure;

/// <summary>
/// Tests that measure time or heap size, or load every core, run alone: other tests neither skew their numbers nor
/// miss their own timeouts because of them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Runs alone";
}
