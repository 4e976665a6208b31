namespace Resilience.Tests.Infrastructure;

/// <summary>
/// Every class of the assembly, on one app model started once: starting two instances of each service takes tens of
/// seconds on this machine, and the classes never run at the same time anyway (they load the machine and would measure
/// each other).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ResilienceCollection : ICollectionFixture<ResilienceAppModel>
{
    public const string Name = "resilience app model";
}
