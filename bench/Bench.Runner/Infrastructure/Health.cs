using System.Diagnostics;

namespace Bench.Runner.Infrastructure;

public static class Health
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>Polls <paramref name="url"/> every 10 ms until it answers 200; returns the clock's reading then.</summary>
    public static async Task<TimeSpan> WaitHealthyAsync(Uri url, Stopwatch clock, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await Client.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(10, cancellationToken);
        }
        throw new TimeoutException($"{url} was not healthy within {timeout.TotalSeconds} s.");
    }
}
