using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TotService.Engine;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;

namespace TotService.Tests.Engine.Providers;

public sealed class LlmEndpointConfigurationTests
{
    [Fact]
    public void Configured_endpoint_yields_a_chat_client_for_the_model()
    {
        using var client = OpenAiChatClientFactory.Create(new LlmProviderOptions { BaseUrl = "http://localhost:11434/v1", Model = "llama3.2" });

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.Equal("llama3.2", metadata?.DefaultModelId);
        Assert.Equal(new Uri("http://localhost:11434/v1"), metadata?.ProviderUri);
    }

    [Theory]
    [InlineData(null, null, 0)]
    [InlineData("http://localhost:11434/v1", "m", 0)]
    [InlineData("localhost:11434", "m", 1)]
    [InlineData("http://localhost:11434/v1", null, 1)]
    [InlineData(null, "m", 1)]
    public void Half_configured_endpoints_are_refused(string? baseUrl, string? model, int errors) =>
        Assert.Equal(errors, new LlmProviderOptions { BaseUrl = baseUrl, Model = model }.Validate().Count);

    [Fact]
    public void Unconfigured_endpoint_cannot_create_a_client()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OpenAiChatClientFactory.Create(new LlmProviderOptions()));

        Assert.Contains("Llm:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_provides_the_engine_and_validates_the_llm_section()
    {
        using var valid = Provider(new() { ["Llm:BaseUrl"] = "http://localhost:8000/v1", ["Llm:Model"] = "m" });
        using var invalid = Provider(new() { ["Llm:BaseUrl"] = "not a url" });

        Assert.NotNull(valid.GetRequiredService<ThoughtSearchEngine>());
        Assert.True(valid.GetRequiredService<IOptions<LlmProviderOptions>>().Value.IsConfigured);
        var error = Assert.Throws<OptionsValidationException>(() => invalid.GetRequiredService<IOptions<LlmProviderOptions>>().Value);
        Assert.Contains("Llm:BaseUrl must be an absolute http(s) URL", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddTotEngine();
        return services.BuildServiceProvider();
    }
}
