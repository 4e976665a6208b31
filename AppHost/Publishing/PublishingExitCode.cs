using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AppHost.Publishing;

public static class PublishingExitCode
{
    /// <summary>
    /// 1 when the AppHost published and a pipeline step failed, else 0. Aspire logs the failed step and stops the host,
    /// whose <c>RunAsync</c> then returns normally: without this a script would take a failed publish for a good one.
    /// </summary>
    public static int ExitCode(this DistributedApplication app) =>
        app.Services.GetRequiredService<DistributedApplicationExecutionContext>().IsPublishMode
        && app.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(service => service.ExecuteTask is { IsFaulted: true })
            ? 1
            : 0;
}
