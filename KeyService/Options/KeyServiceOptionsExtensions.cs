using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KeyService.Options;

public static class KeyServiceOptionsExtensions
{
    /// <summary>Binds the <c>KeyService</c> section and validates it when the host starts.</summary>
    public static IHostApplicationBuilder AddKeyServiceOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeyServiceOptions>()
            .BindConfiguration(KeyServiceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyServiceOptions>, KeyServiceOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
