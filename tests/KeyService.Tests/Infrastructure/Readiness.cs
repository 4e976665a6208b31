namespace KeyService.Tests.Infrastructure;

/// <summary>KeyService's readiness as its probes see it: the body of <c>/health</c>, or why there was none.</summary>
public static class Readiness
{
    public static Task WaitAsync(HttpClient client, string status, TimeSpan timeout) =>
        Eventually.UntilAsync(cancel => ReadAsync(client, cancel), seen => seen == status, timeout, $"/health to report '{status}'");

    private static async Task<string> ReadAsync(HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }
}
