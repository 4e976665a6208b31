using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using TotService.Diagnostics;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Diagnostics;

public sealed class LogSamplerTests
{
    [Fact]
    public void Beyond_the_budget_lines_are_counted_instead_of_written_and_the_next_second_writes_again()
    {
        var time = new FakeTimeProvider();
        using var meters = new TestMeterFactory();
        var sampler = new LogSampler(time, meters);
        using var suppressed = new MetricCollector<long>(meters, TotServiceMetrics.MeterName, "totmcp.log.suppressed");

        var written = Enumerable.Range(0, LogSampler.LinesPerSecond + 7).Count(_ => sampler.ShouldWrite("TokenRejected"));

        Assert.Equal(LogSampler.LinesPerSecond, written);
        Assert.Equal(7, suppressed.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.All(suppressed.GetMeasurementSnapshot(), m => Assert.Equal("TokenRejected", m.Tags["event"]));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(sampler.ShouldWrite("TokenRejected"));
    }
}
