using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Bench.Runner.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TotService.Authentication;
using static Bench.Runner.Infrastructure.Report;

namespace Bench.Runner.Measurements;

/// <summary>
/// Token validation cost per request: in-process (JsonWebTokenHandler with TotService's parameters and cached keys,
/// against a raw RS256 signature check), and inside TotService (CPU time per request with and without a token).
/// </summary>
public static class ValidationMeasurement
{
    public static async Task RunAsync(BenchContext context)
    {
        var app = context.App;
        var token = await app.GetTokenAsync(context.CancellationToken);
        using var http = new HttpClient();
        var jwks = new JsonWebKeySet(await http.GetStringAsync(new Uri(app.Endpoint("keyservice", 0), "/.well-known/jwks.json"), context.CancellationToken));
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = app.Issuer,
            ValidAudience = app.Audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        };
        var perValidation = await MeasureAsync(ValidateWith(new JsonWebTokenHandler { MapInboundClaims = false }, token, parameters), TimeSpan.FromSeconds(2));
        var perRequest = await MeasureAsync(ValidateWith(new CachingJsonWebTokenHandler(TimeProvider.System) { MapInboundClaims = false }, token, parameters), TimeSpan.FromSeconds(2));

        var kid = new JsonWebToken(token).Kid;
        var jwk = jwks.Keys.Single(k => k.Kid == kid);
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64UrlEncoder.DecodeBytes(jwk.N),
            Exponent = Base64UrlEncoder.DecodeBytes(jwk.E),
        });
        var signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        var signature = Base64UrlEncoder.DecodeBytes(token[(token.LastIndexOf('.') + 1)..]);
        var perVerify = await MeasureAsync(() =>
        {
            if (!rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                throw new InvalidOperationException("signature did not verify");
            }
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(1));

        context.Report.Add(new Row(
            "Token validation in-process, first sight of a token (JsonWebTokenHandler, TotService's parameters, keys loaded)",
            $"{F(perValidation.TotalMicroseconds, "0.0")} us/token",
            $"{F(perVerify.TotalMicroseconds, "0.0")} us raw RS256 verify",
            Ratio(perValidation / perVerify), "-", null));
        context.Report.Add(new Row(
            "Token validation in-process per request (TotService's CachingJsonWebTokenHandler, same token again)",
            $"{F(perRequest.TotalMicroseconds, "0.0")} us/request",
            $"{F(perVerify.TotalMicroseconds, "0.0")} us raw RS256 verify",
            Ratio(perRequest / perVerify), "< 50 us", perRequest.TotalMicroseconds < 50));

        await MeasureInServiceAsync(context, token);
    }

    /// <summary>
    /// TotService authenticates requests to <c>/mcp</c> in its gate, ahead of the MCP SDK. A POST with a valid token and
    /// a malformed body passes every gate check (token validation, rate limit, scopes, body read) and is then refused
    /// with a JSON-RPC parse error before the SDK; the same POST without a token is refused at authentication. The
    /// difference in service CPU time per request (from /proc) is therefore an upper bound on validating a token on a
    /// request: it also holds the rate limit, the scope check and the body read.
    /// </summary>
    private static async Task MeasureInServiceAsync(BenchContext context, string token)
    {
        var app = context.App;
        var url = app.McpEndpoint(0);
        var pid = app.PidOf("totservice", 0);
        const string malformed = "{not json";
        var anonymous = await CpuPerRequestAsync(context, url, pid, new WrkRequest("POST", malformed));
        var authenticated = await CpuPerRequestAsync(context, url, pid,
            new WrkRequest("POST", malformed, new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" }));
        var cost = authenticated.Cpu - anonymous.Cpu;
        context.Report.Add(new Row(
            "Token validation inside TotService: service CPU per request, POST /mcp with a valid token (every gate check, then refused as malformed JSON)",
            $"{F(authenticated.Cpu.TotalMicroseconds, "0.0")} us CPU/request ({F(authenticated.Load.RequestsPerSecond, "0")} RPS){SocketErrors(authenticated.Load)}",
            $"{F(anonymous.Cpu.TotalMicroseconds, "0.0")} us without a token, refused at authentication ({F(anonymous.Load.RequestsPerSecond, "0")} RPS)",
            $"+{F(cost.TotalMicroseconds, "0.0")} us; RPS {Ratio(authenticated.Load.RequestsPerSecond / anonymous.Load.RequestsPerSecond)}",
            "< 50 us", cost.TotalMicroseconds < 50 && authenticated.Load.SocketErrors == 0));
    }

    /// <summary>Both requests are refused by design (400 and 401), so only socket errors count against the row.</summary>
    private static string SocketErrors(WrkResult load) => load.SocketErrors == 0 ? "" : $" ({load.SocketErrors} socket errors)";

    private static async Task<(TimeSpan Cpu, WrkResult Load)> CpuPerRequestAsync(BenchContext context, Uri url, int pid, WrkRequest request)
    {
        await Wrk.RunAsync(url, request, BenchContext.Connections, context.Warmup, context.CancellationToken);
        var before = ProcStats.CpuTime(pid);
        var load = await Wrk.RunAsync(url, request, BenchContext.Connections, context.Duration, context.CancellationToken);
        var used = ProcStats.CpuTime(pid) - before;
        Console.WriteLine($"  wrk {request.Method} {url} ({(request.Headers is null ? "no token" : "token")}): {load}; service CPU {used.TotalSeconds:0.00} s");
        return (used / Math.Max(1, load.Requests), load);
    }

    private static Func<Task> ValidateWith(JsonWebTokenHandler handler, string token, TokenValidationParameters parameters) => async () =>
    {
        var result = await handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"token did not validate: {result.Exception?.Message}");
        }
    };

    /// <summary>Mean time per call on one thread after a warm-up.</summary>
    private static async Task<TimeSpan> MeasureAsync(Func<Task> operation, TimeSpan duration)
    {
        for (var i = 0; i < 2000; i++)
        {
            await operation();
        }
        long calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < 100; i++)
            {
                await operation();
            }
            calls += 100;
        }
        return clock.Elapsed / calls;
    }
}
