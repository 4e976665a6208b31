using KeyService.Options;
using KeyService.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KeyService.Tests.Options;

public sealed class KeyServiceOptionsValidatorTests
{
    [Fact]
    public void Test_settings_are_valid()
    {
        Assert.Empty(Failures(TestSettings.Create()));
    }

    [Theory]
    [InlineData("KeyService:PropagationTime", "00:30:00", "KeyService:PropagationTime", "KeyService:JwksMaxAge")]
    [InlineData("KeyService:GraceTime", "01:10:00", "KeyService:GraceTime", "KeyService:TokenLifetime + KeyService:JwksMaxAge")]
    [InlineData("KeyService:RotationInterval", "01:00:00", "KeyService:RotationInterval", "KeyService:PropagationTime")]
    [InlineData("KeyService:KeySize", "1024", "KeyService:KeySize", "2048, 3072 or 4096")]
    [InlineData("KeyService:KeyEncryptionKey", "c2hvcnQ=", "KeyService:KeyEncryptionKey", "32 bytes")]
    [InlineData("KeyService:KeyEncryptionKey", "", "KeyService:KeyEncryptionKey", "required outside Development")]
    [InlineData("KeyService:Issuer", "not a url", "KeyService:Issuer", "absolute")]
    [InlineData("KeyService:JwksRefreshCheckInterval", "02:00:00", "KeyService:JwksRefreshCheckInterval", "KeyService:PropagationTime")]
    [InlineData("KeyService:TokenLifetime", "-00:01:00", "KeyService:TokenLifetime", "positive")]
    [InlineData("KeyService:SourceFailureLimit", "5", "KeyService:SourceFailureLimit", "KeyService:ClientFailureLimit")]
    [InlineData("KeyService:ClientFailureMaxBackoff", "00:00:30", "KeyService:ClientFailureMaxBackoff", "KeyService:ClientFailureWindow")]
    [InlineData("KeyService:Clients:0:SecretHash", "md5$abc", "KeyService:Clients:0:SecretHash", "PBKDF2-SHA256$")]
    [InlineData("KeyService:Clients:1:ClientId", "dev", "KeyService:Clients:1:ClientId", "more than once")]
    [InlineData("KeyService:Clients:0:AllowedAudiences:0", "/relative", "KeyService:Clients:0:AllowedAudiences", "absolute")]
    public void Unsafe_settings_are_refused_with_a_message_naming_them(string key, string value, string named, string because)
    {
        var settings = TestSettings.Create();
        settings[key] = value;

        var failure = Assert.Single(Failures(settings));

        Assert.Contains(named, failure, StringComparison.Ordinal);
        Assert.Contains(because, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_secrets_are_accepted_in_Development_only()
    {
        var settings = TestSettings.Create();
        settings["KeyService:Clients:0:SecretHash"] = null;
        settings["KeyService:Clients:0:Secret"] = "plain";

        Assert.Empty(Failures(settings, "Development"));
        Assert.Contains("KeyService:Clients:0:Secret", Assert.Single(Failures(settings)), StringComparison.Ordinal);
    }

    [Fact]
    public void Key_encryption_key_may_be_absent_in_Development()
    {
        var settings = TestSettings.Create();
        settings["KeyService:KeyEncryptionKey"] = null;

        Assert.Empty(Failures(settings, "Development"));
        settings["ConnectionStrings:redis"] = "127.0.0.1:6379";
        Assert.Contains("ConnectionStrings:redis", Assert.Single(Failures(settings, "Development")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_refuses_to_start_with_unsafe_settings()
    {
        var settings = TestSettings.Create();
        settings["KeyService:GraceTime"] = "00:10:00";

        var error = Assert.IsType<OptionsValidationException>(
            await EntryPointStartup.FailureAsync(typeof(Program).Assembly, settings, TimeSpan.FromSeconds(30)));
        Assert.Contains("KeyService:GraceTime", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Failures(Dictionary<string, string?> settings, string environment = "Production")
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddKeyServiceOptions();
        using var host = builder.Build();
        try
        {
            _ = host.Services.GetRequiredService<IOptions<KeyServiceOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
    }
}
