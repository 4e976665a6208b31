using TotService.Tools;

namespace TotService.Tests.Tools;

/// <summary>Redis configured but unreachable: tools answer with a tool error that says so; the server stays up.</summary>
public sealed class StorageUnavailableTests(StorageUnavailableTests.DeadRedisHost host) : IClassFixture<StorageUnavailableTests.DeadRedisHost>
{
    public sealed class DeadRedisHost : ToolsHost
    {
        // Port 1 on loopback: nothing listens; short timeouts keep the test quick.
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = "127.0.0.1:1,abortConnect=false,connectTimeout=300,syncTimeout=1000,asyncTimeout=1000,connectRetry=0",
        };
    }

    [Fact]
    public async Task A_tool_call_gets_a_clear_error_when_redis_is_down()
    {
        await using var client = await host.ConnectAsync("no-redis-" + Guid.NewGuid().ToString("N")[..6]);

        var message = await client.CallErrorAsync("tot_start_run", new { task = "4 9 10 13", domain = "game24" });

        Assert.Equal(StorageErrorFilter.Message, message);
        Assert.Equal(StorageErrorFilter.Message, await client.CallErrorAsync("tot_tree_create", new { task = "t" }));
    }
}
