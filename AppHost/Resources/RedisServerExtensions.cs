using AppHost.Lifecycle;
using HealthChecks.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AppHost.Resources;

public static class RedisServerExtensions
{
    /// <summary>The image tag the published manifest and the opt-in container use.</summary>
    public const string ImageTag = "7.4";

    /// <summary>
    /// Redis for the app model. Published (and with <c>AppHost:RedisServer=container</c>) it is Aspire's own container
    /// resource; run locally it is a <see cref="RedisServerResource"/>, because there may be no container engine.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRedisServer(
        this IDistributedApplicationBuilder builder, string name, AppHostSettings settings, PrivateRunFolder runFolder)
    {
        var password = builder.AddParameter($"{name}-password",
            new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
        if (builder.ExecutionContext.IsPublishMode || settings.RedisServer == "container")
        {
            return builder.AddRedis(name, password: password).WithImageTag(ImageTag);
        }

        var binary = RedisServerBinary.Choose(settings.RedisServer);
        var resource = new RedisServerResource(name, binary.Command, runFolder.Path, password.Resource);
        var port = 0;
        string? connectionString = null;
        var healthCheck = $"{name}_check";
        // AUTH + PING with the resource's own connection string, as Aspire's Redis resource checks its container.
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck,
            _ => connectionString is { } value ? new RedisHealthCheck(value) : new NotStartedHealthCheck(name),
            HealthStatus.Unhealthy, tags: null));

        return builder.AddResource(resource)
            .WithEndpoint(RedisServerResource.EndpointName, endpoint =>
            {
                endpoint.IsProxied = false;
                endpoint.UriScheme = "tcp";
                endpoint.Port = port = FreePort.Next();
                endpoint.TargetPort = port;
            })
            .WithArgs(async context =>
            {
                await binary.EnsureInstalledAsync(context.CancellationToken);
                var secret = await password.Resource.GetValueAsync(context.CancellationToken)
                    ?? throw new InvalidOperationException($"Parameter '{name}-password' has no value.");
                var configFile = runFolder.WriteSecretFile($"{name}.conf", binary.Configuration(secret, runFolder.CreateSubfolder($"{name}-data")));
                foreach (var argument in binary.Arguments(configFile, port))
                {
                    context.Args.Add(argument);
                }
            })
            .OnConnectionStringAvailable(async (redis, _, cancellationToken) =>
                connectionString = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken))
            .WithHealthCheck(healthCheck)
            .WithIconName("Database");
    }

    /// <summary>Unhealthy until the connection string is known (the resource has not been started yet).</summary>
    private sealed class NotStartedHealthCheck(string name) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Unhealthy($"'{name}' has not started."));
    }
}
