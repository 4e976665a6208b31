using System.Net;
using AppHost.Lifecycle;
using AppModelTesting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace AppHost.Tests.Integration;

public sealed class GarnetAppModel : TestAppModel
{
    public override string RedisServer => "garnet";
}

public sealed class RedisServerAppModel : TestAppModel
{
    public override string RedisServer => "redis-server";
}

/// <summary>The whole app model, as Program.cs declares it, once on Garnet and once on Debian's redis-server.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public abstract class AppModelTests<TModel>(TModel model) where TModel : TestAppModel
{
    [Fact]
    public void Every_resource_is_running_and_healthy()
    {
        Assert.Equal(["redis", "keyservice-0", "keyservice-1", "totservice"], model.ProcessResources);
        foreach (var resource in model.ProcessResources)
        {
            Assert.True(model.App.ResourceNotifications.TryGetCurrentState(resource, out var state), $"no state for {resource}");
            Assert.Equal("Running", state.Snapshot.State?.Text);
            Assert.Equal(HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }

    [Fact]
    public async Task Services_listen_in_Aspires_port_range_and_redis_above_it_so_two_app_models_never_pick_one_port()
    {
        var connectionString = await model.App.GetConnectionStringAsync("redis", TestContext.Current.CancellationToken);
        var redisPort = ConfigurationOptions.Parse(connectionString!).EndPoints.OfType<System.Net.DnsEndPoint>().Single().Port;
        Assert.InRange(redisPort, FreePort.First, 65535);
        foreach (var service in model.ProcessResources.Where(r => r != "redis"))
        {
            var urls = ProcFs.Environment(model.Process(service).ServicePid).GetValueOrDefault("ASPNETCORE_URLS") ?? "";
            var port = new Uri(urls.Split(';')[0]).Port;
            Assert.InRange(port, 10000, FreePort.First - 1);
        }
    }

    [Fact]
    public void The_requested_redis_server_is_the_one_running()
    {
        var commandLine = ProcFs.CommandLine(model.Process("redis").Pid);
        Assert.Contains(model.RedisServer == "garnet" ? "GarnetServer.dll" : "redis-server", commandLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_answers_with_the_password_and_refuses_without_it()
    {
        var connectionString = await model.App.GetConnectionStringAsync("redis", TestContext.Current.CancellationToken);
        Assert.Contains($"password={model.RedisPassword}", connectionString, StringComparison.Ordinal);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(connectionString!))
        {
            Assert.True(await redis.GetDatabase().PingAsync() > TimeSpan.Zero);
        }

        var options = ConfigurationOptions.Parse(connectionString!);
        options.Password = null;
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        await using var anonymous = await ConnectionMultiplexer.ConnectAsync(options);
        await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().PingAsync());
    }

    [Fact]
    public void No_secret_is_on_any_process_command_line()
    {
        var secrets = new[] { model.RedisPassword, model.DevClientSecret, model.KeyEncryptionKey };
        var processes = ProcFs.Pids();
        Assert.True(processes.Count > 10);
        foreach (var pid in processes)
        {
            var commandLine = ProcFs.CommandLine(pid);
            Assert.DoesNotContain(secrets, secret => commandLine.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_redis_password_is_in_a_file_only_its_owner_can_read()
    {
        // redis-server rewrites its process title, so the file is found from where the server runs: the AppHost's private
        // folder (Garnet), or the data folder inside it (redis-server moves to its "dir").
        var folder = ProcFs.WorkingDirectory(model.Process("redis").Pid);
        var configFile = new[] { folder, Path.GetDirectoryName(folder)! }.Select(f => Path.Combine(f, "redis.conf")).First(File.Exists);
        if (model.RedisServer == "garnet")
        {
            Assert.Contains($"--config-import-path {configFile}", ProcFs.CommandLine(model.Process("redis").Pid), StringComparison.Ordinal);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(configFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(configFile)!));
        Assert.Contains(model.RedisPassword, File.ReadAllText(configFile), StringComparison.Ordinal);
    }

    [Fact]
    public void TotService_gets_one_discovery_entry_per_keyservice_instance_and_the_apphost_environment()
    {
        var environment = ProcFs.Environment(model.Process("totservice").ServicePid);

        Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal(model.Endpoint("keyservice-0").ToString().TrimEnd('/'), environment["services__keyservice__http__0"]);
        Assert.Equal(model.Endpoint("keyservice-1").ToString().TrimEnd('/'), environment["services__keyservice__http__1"]);
        Assert.False(environment.ContainsKey("services__keyservice__http__2"));
        Assert.StartsWith("localhost:", environment["ConnectionStrings__redis"], StringComparison.Ordinal);
        Assert.Equal(model.Audience, environment["TotService__Audience"]);
        // Aspire's extra copies of the connection (REDIS_HOST, REDIS_PASSWORD, ...) are switched off.
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("REDIS_", StringComparison.Ordinal) || key.StartsWith("KEYSERVICE", StringComparison.Ordinal));
    }

    [Fact]
    public void KeyService_gets_a_salted_hash_of_the_development_secret_never_the_secret()
    {
        foreach (var keyservice in model.KeyServices)
        {
            var environment = ProcFs.Environment(model.Process(keyservice).ServicePid);
            Assert.True(KeyService.Options.ClientSecretHasher.Verify(model.DevClientSecret, environment["KeyService__Clients__0__SecretHash"]));
            Assert.DoesNotContain(environment.Values, value => value.Contains(model.DevClientSecret, StringComparison.Ordinal));
            Assert.Equal(model.Issuer, environment["KeyService__Issuer"]);
        }
    }

    [Fact]
    public async Task Health_endpoints_answer_with_the_status_word_only()
    {
        foreach (var service in model.KeyServices.Concat(model.TotServices))
        {
            using var http = model.CreateHttpClient(service);
            foreach (var path in new[] { "/health", "/alive" })
            {
                using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }
            var metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
            Assert.Contains("# TYPE", metrics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_from_either_keyservice_instance_opens_an_mcp_session_and_lists_the_tools()
    {
        for (var instance = 0; instance < model.KeyServiceInstances; instance++)
        {
            var token = await model.GetTokenAsync(keyserviceInstance: instance, cancellationToken: TestContext.Current.CancellationToken);
            await using var client = await model.ConnectAsync(token, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal("TotService", client.ServerInfo?.Name);
            var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
            Assert.Contains(tools, tool => tool.Name == "tot_solve");
        }
    }
}

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GarnetAppModelTests(GarnetAppModel model) : AppModelTests<GarnetAppModel>(model), IClassFixture<GarnetAppModel>;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RedisServerAppModelTests(RedisServerAppModel model) : AppModelTests<RedisServerAppModel>(model), IClassFixture<RedisServerAppModel>;
