using Microsoft.Extensions.Options;

namespace TotService.Engine.Providers.Llm;

/// <summary>Refuses a half-configured endpoint at start-up, naming the settings.</summary>
internal sealed class LlmProviderOptionsValidator : IValidateOptions<LlmProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmProviderOptions options) =>
        options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}
