using AppHost.Hosting.Orchestration;

namespace AppHost.Tests.Unit;

public sealed class StatusTableTests
{
    [Fact]
    public void The_table_shows_every_column_for_each_instance()
    {
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var snapshots = new[]
        {
            new ResourceSnapshot("keyservice", "keyservice-0", 0, "Project", ResourceState.Running, HealthStatus.Healthy, 1234,
                ["http://localhost:5101"], null, now.AddSeconds(-75), 0, null),
            new ResourceSnapshot("totservice", "totservice", 0, "Project", ResourceState.Exited, HealthStatus.Unhealthy, 99,
                ["http://localhost:5102"], 3, now.AddMinutes(-1), 2, "exited with code 3"),
        };

        var lines = StatusTable.Render(snapshots, now).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal("RESOURCE      KIND     STATE    HEALTH     PID   UPTIME  RESTARTS  URL                    DETAIL", lines[0]);
        Assert.Equal("keyservice-0  Project  Running  Healthy    1234  1m15s   0         http://localhost:5101", lines[1]);
        Assert.Equal("totservice    Project  Exited   Unhealthy  99    -       2         http://localhost:5102  exited with code 3", lines[2]);
    }
}
