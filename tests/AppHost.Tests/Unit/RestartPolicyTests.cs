using AppHost.Hosting.Model;

namespace AppHost.Tests.Unit;

public sealed class RestartPolicyTests
{
    [Theory]
    [InlineData(1, 500)]
    [InlineData(2, 1_000)]
    [InlineData(3, 2_000)]
    [InlineData(6, 15_000)]
    [InlineData(20, 15_000)]
    public void Backoff_doubles_up_to_the_cap(int attempt, int expectedMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), RestartPolicy.OnFailure().BackoffFor(attempt));

    [Fact]
    public void Never_allows_no_restart() => Assert.Equal(0, RestartPolicy.Never.MaxRestarts);
}
