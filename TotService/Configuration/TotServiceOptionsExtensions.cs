using Microsoft.Extensions.Options;

namespace TotService.Configuration;

public static class TotServiceOptionsExtensions
{
    /// <summary>Binds <c>TotService</c> and refuses to start when a setting is missing or unsafe.</summary>
    public static IHostApplicationBuilder AddTotServiceOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TotServiceOptions>()
            .BindConfiguration(TotServiceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TotServiceOptions>, TotServiceOptionsValidator>();
        builder.Services.AddSingleton<ResourceUrls>();
        return builder;
    }
}
