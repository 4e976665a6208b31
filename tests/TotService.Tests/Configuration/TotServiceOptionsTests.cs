extern alias TotServiceApp;

using Microsoft.Extensions.Options;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Configuration;

/// <summary>Unsafe or missing settings stop the service at start-up with a message naming the setting.</summary>
public sealed class TotServiceOptionsTests
{
    [Theory]
    [InlineData("TotService:Authority", null, "Authority")]
    [InlineData("TotService:Issuer", "not a url", "TotService:Issuer")]
    [InlineData("TotService:Audience", "http://localhost:5102", "TotService:Audience")]
    [InlineData("TotService:ClockSkew", "00:01:00", "TotService:ClockSkew")]
    [InlineData("TotService:JwksAutomaticRefreshInterval", "00:00:00.5", "TotService:JwksAutomaticRefreshInterval")]
    [InlineData("TotService:AllowedOrigins:0", "*", "TotService:AllowedOrigins")]
    [InlineData("TotService:MaxTokenBytes", "10", "MaxTokenBytes")]
    [InlineData("TotService:Trees:MaxThoughtBytes", "10", "MaxThoughtBytes")]
    [InlineData("TotService:Trees:MaxTreesPerClient", "0", "MaxTreesPerClient")]
    [InlineData("TotService:Trees:MaxTreeBytes", "30000", "TotService:Trees:MaxTreeBytes")]
    [InlineData("TotService:Trees:MaxStoredBytesPerClient", "500000", "TotService:Trees:MaxStoredBytesPerClient")]
    [InlineData("TotService:Runs:SamplingTimeout", "00:00:00", "SamplingTimeout")]
    [InlineData("TotService:Runs:MaxResultBytes", "100", "MaxResultBytes")]
    [InlineData("TotService:Runs:MaxStoredRunsPerClient", "0", "MaxStoredRunsPerClient")]
    public async Task Invalid_setting_stops_startup_with_a_message_naming_it(string key, string? value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["TotService:Authority"] = "http://keyservice",
            ["TotService:Issuer"] = TestSettings.Issuer,
            ["TotService:Audience"] = TestSettings.Audience,
            [key] = value,
        };
        var error = Assert.IsType<OptionsValidationException>(
            await EntryPointStartup.FailureAsync(typeof(TotServiceApp::Program).Assembly, settings, TimeSpan.FromSeconds(30)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_settings_start()
    {
        await using var host = TotServiceTestHost.Create(new Dictionary<string, string?>
        {
            ["TotService:Authority"] = "http://keyservice",
            ["TotService:Issuer"] = TestSettings.Issuer,
            ["TotService:Audience"] = TestSettings.Audience,
        });

        host.StartServer();
        Assert.NotNull(host.BaseAddress);
    }
}
