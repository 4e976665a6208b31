using System.Globalization;
using Bench.Runner.Measurements;

namespace Bench.Runner.Infrastructure;

/// <summary>How each row is measured, written into the report so the numbers can be judged and reproduced.</summary>
public static class Method
{
    public static void Describe(Report report, int seconds)
    {
        var settings = string.Join("\n", BenchApp.BenchSettings.SelectMany(s => s.Value.Select(v => $"- `{s.Key}`: `{v.Key}={v.Value}`")));
        report.Section("Method", string.Create(CultureInfo.InvariantCulture, $"""
            - **App model**: the AppHost's real `Program.cs` through Aspire.Hosting.Testing, Release build, 2 instances
              of each service (`keyservice-0/1`, `totservice-0/1`), each on its own unproxied port, so wrk talks to the
              service itself and not to the orchestrator's proxy; Redis-protocol server as the AppHost picks it, ports
              the orchestrator picks, the dashboard off (no OTLP export: its collector would share the cores with the
              load). Load goes to instance 0; CPU and memory are the service process's own, not its `dotnet run`.
            - **Load**: `wrk -t{Wrk.Threads} -c{BenchContext.Connections} -d{seconds}s --latency` per row after a
              warm-up on the same URL in 5 s steps until throughput is steady (within 3% of the step before, at most
              {BenchContext.DefaultWarmup.TotalSeconds:0} s: tiered compilation needs tens of seconds under load on this
              machine to optimize a service's hot path, longer for the services than for the small baselines); service and baseline are measured
              alternately, 3 rounds each, and each side reports its median round. Rows show non-2xx responses and
              socket errors when there were any (a row with errors fails its target).
            - **Server CPU per request**: user + system CPU time of the server process (`/proc/<pid>/stat`) over a
              round divided by the requests wrk completed in it, for the round reported. Other work on the machine
              moves it much less than requests per second; it is the cost the service adds per request.
            - **JWKS**: `GET /.well-known/jwks.json` on KeyService vs `bench/Bench.Baseline --mode=static`: a minimal
              Kestrel endpoint (slim builder, no logging, no telemetry) returning the same bytes fetched from KeyService.
            - **Token endpoint**: `POST /connect/token` (client credentials, HTTP Basic, `resource` = TotService's MCP URL,
              `scope=tot:read`) vs the in-process RS256 signing rate: RSA-2048 PKCS#1 v1.5 SHA-256 signatures over a real
              token's signing input, one signer thread per core for 2 s before and 2 s after the load, averaged (the physical limit of issuing tokens here).
            - **Token validation**: (1) in-process, one thread, TotService's parameters and the JWKS keys loaded: the plain
              `JsonWebTokenHandler` (what a token costs the first time it is seen) and TotService's
              `CachingJsonWebTokenHandler` (what each further request with the same token costs), each against a raw
              RSA-2048 signature verification; (2) inside
              TotService: its gate authenticates `/mcp` ahead of the MCP SDK. `POST /mcp` with a valid token and a
              malformed body passes every gate check (token, rate limit, scopes, body read) and is refused as malformed
              JSON before the SDK; without a token it is refused at authentication. The difference in service CPU time
              (utime+stime from `/proc/<pid>/stat`) per request is an upper bound on the validation cost per request.
            - **MCP tools/call**: an MCP session is initialized by hand (`initialize`, `notifications/initialized`), then
              wrk replays `tools/call whoami` with the session id, protocol version and bearer token (exactly what an
              MCP client sends). Baseline: `bench/Bench.Baseline --mode=mcp`, the same host builder
              (`WebApplication.CreateBuilder`), ModelContextProtocol.AspNetCore version, stateful Streamable HTTP,
              `AddServiceDefaults()`, log levels and whoami tool shape, but no authentication, authorization, rate
              limiting, scope guard or Host/Origin guard. TotService has no switch to turn
              authentication off, and should not have one.
            - **MCP 2026-07-28 tools/call**: no session; wrk replays `tools/call whoami` with `MCP-Protocol-Version:
              2026-07-28`, `Mcp-Method`, `Mcp-Name`, the bearer token and `params._meta` carrying the protocol version,
              client capabilities and client info (exactly what a 2026-07-28 client sends). Two baselines, each measured
              alternately with TotService: `bench/Bench.Baseline --mode=mcp-stateless` (as above, with the SDK's
              `HttpServerSessionMode.Stateless`), and the official MCP TypeScript SDK (`@modelcontextprotocol/sdk`
              1.32.2 on Node, `bench/typescript-baseline`, installed with `npm ci`): its stateless Streamable HTTP server
              as the SDK's own example builds it (a server and a transport per request) with the same whoami tool, no
              authentication. That SDK version speaks protocol versions up to 2025-11-25 and answers 2026-07-28 with
              400, so it gets the same body and headers with `MCP-Protocol-Version: 2025-11-25`. Node runs JavaScript on
              one thread, so its server uses at most about one of the two cores.
            - **Rotation**: `POST /admin/keys/rotate` on KeyService replica 0 with a `keys:admin` token (a bench-only
              admin client added to the model). Publication: the runner polls every KeyService replica's JWKS every 5 ms
              until it lists the new kid. Acceptance: a new key signs only after the propagation time, so the runner
              reads the new key from the shared ring in Redis, decrypts it with the model's key-encryption key exactly as
              KeyService does, signs an RFC 9068 token with it and polls every TotService replica with an MCP
              `initialize` until it is accepted (200); TotService learns the key through its unknown-kid JWKS refresh.
              Both are timed from the rotate answer (202: the key exists and is stored in the shared ring); the request
              itself, mostly RSA-2048 key generation, is reported on its own row. After the propagation time every KeyService replica must issue
              tokens with the new kid. p99 over 20 rotations is their maximum.
            - **Cold start**: instance 1 is killed (the orchestrator's stop command reports a failure when a service's
              graceful shutdown outlasts its wait) and given the orchestrator's start command; the figure is the time from the service process's own
              start (`/proc/<pid>/stat`) until `/health` answers 200 (polled every 10 ms; KeyService loads the ring from
              Redis, TotService also loads the JWKS). The orchestrator starts a project through `dotnet run --no-build`,
              whose own start comes before that and is shown beside it as "from the start command".
              Baseline: the minimal Kestrel host started with `dotnet <dll>`, until its `/health` answers.
            - **Memory**: VmRSS of instance 0 after all load rows, vs each baseline host after its own load.
            - **Game of 24**: the Tree-of-Thoughts engine with the deterministic Game of 24 providers (beam 5, depth 3),
              every puzzle of `data/game24.csv`, one thread, vs a textbook brute-force solver on the same puzzles.
              Beam, best-first, DFS and MCTS compared on the whole data set (solved, nodes per solution):
              [SEARCH-STRATEGIES.md](SEARCH-STRATEGIES.md); a model's accuracy: `bench/Bench.Accuracy`.

            What was changed to meet the targets, and what is left with whom: `bench/README.md`.

            Settings changed from the defaults for the run (environment on the app model), and why: rotation is
            compressed to seconds so that 20 rotations fit in a run (the validator's rules still hold: propagation >=
            JWKS max-age, grace >= token lifetime + max-age); the per-client rate limit is lifted, else wrk would measure
            the limiter's 429s; TotService's minimum interval between unknown-kid JWKS refreshes is 100 ms because
            rotations come seconds apart (its default, 5 min, suits the default 1 h propagation time).

            {settings}
            """));
    }
}
