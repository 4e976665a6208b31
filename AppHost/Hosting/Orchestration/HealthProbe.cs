using System.Net.Sockets;
using System.Text;

namespace AppHost.Hosting.Orchestration;

/// <summary>One health question about a running process: "are you ready?".</summary>
internal interface IHealthProbe
{
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}

/// <summary>GET on the resource's health path; 200 means healthy (Aspire's <c>WithHttpHealthCheck</c>).</summary>
internal sealed class HttpHealthProbe(HttpClient http, Uri healthUrl) : IHealthProbe
{
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(healthUrl, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>Authenticates and PINGs over RESP, so "healthy" means a client with the password can really talk to it.</summary>
internal sealed class RedisHealthProbe(int port, string password) : IHealthProbe
{
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            var command = $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(password)}\r\n{password}\r\n*1\r\n$4\r\nPING\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command), timeout.Token);

            var received = new StringBuilder();
            var buffer = new byte[256];
            while (!received.ToString().Contains("PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return false;
                }
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
                if (received.ToString().StartsWith('-'))
                {
                    return false;
                }
            }
            return received.ToString().StartsWith("+OK", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>For resources without a probe: running is healthy.</summary>
internal sealed class RunningIsHealthyProbe : IHealthProbe
{
    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(true);
}
