namespace KeyService.Keys;

public static class KeyRingExtensions
{
    /// <summary>
    /// The key ring over the store <c>AddKeyRingStorage</c> registers: encryption at rest, the rotation background
    /// service, its metrics and its readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddKeyRing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(KeyProtectorFactory.Create);
        builder.Services.AddSingleton<KeyRingSerializer>();
        builder.Services.AddSingleton<KeyLifecycle>();
        builder.Services.AddSingleton<RsaKeyFactory>();
        builder.Services.AddSingleton<KeyRingCache>();
        builder.Services.AddSingleton<KeyRingMetrics>();
        builder.Services.AddSingleton<KeyRingManager>();
        builder.Services.AddSingleton<KeyRingBackup>();
        builder.Services.AddHostedService<KeyRotationService>();
        builder.Services.AddHealthChecks().AddCheck<KeyRingHealthCheck>("keyring", tags: ["ready"]);
        return builder;
    }
}
