namespace KeyService.Tests.Infrastructure;

/// <summary>Tests that read the process's heap size run alone, so other tests' allocations do not count against them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "Memory measurement";
}
