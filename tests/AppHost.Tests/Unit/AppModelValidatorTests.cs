using AppHost.Hosting;
using AppHost.Hosting.Testing;

namespace AppHost.Tests.Unit;

public sealed class AppModelValidatorTests
{
    [Fact]
    public void Resources_are_ordered_after_what_they_wait_for()
    {
        var builder = DistributedApplicationTestingBuilder.Create().Builder;
        var c = builder.AddExecutable("c", "true", ".");
        var b = builder.AddExecutable("b", "true", ".").WaitFor(c);
        builder.AddExecutable("a", "true", ".").WaitFor(b);

        var order = AppModelValidator.TopologicalOrder(builder.Resources).Select(r => r.Name).ToList();

        Assert.Equal(["c", "b", "a"], order);
    }

    [Fact]
    public void A_wait_cycle_is_refused_and_named()
    {
        var builder = DistributedApplicationTestingBuilder.Create().Builder;
        var a = builder.AddExecutable("a", "true", ".");
        var b = builder.AddExecutable("b", "true", ".").WaitFor(a);
        a.WaitFor(b);

        var error = Assert.Throws<InvalidOperationException>(() => AppModelValidator.Validate(builder.Resources));
        Assert.Contains("a -> b -> a", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KeyService")]
    [InlineData("key_service")]
    [InlineData("-key")]
    [InlineData("")]
    public void Resource_names_must_be_dns_labels(string name)
    {
        var builder = DistributedApplicationTestingBuilder.Create().Builder;
        Assert.ThrowsAny<ArgumentException>(() => builder.AddExecutable(name, "true", "."));
    }

    [Fact]
    public void Duplicate_names_are_refused()
    {
        var builder = DistributedApplicationTestingBuilder.Create().Builder;
        builder.AddExecutable("same", "true", ".");
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddExecutable("same", "true", "."));
        Assert.Contains("'same' already exists", error.Message, StringComparison.Ordinal);
    }
}
