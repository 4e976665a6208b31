using System.Diagnostics;
using System.Diagnostics.Metrics;
using TotService.Engine.Diagnostics;
using TotService.Engine.Providers;
using TotService.Engine.Search;

namespace TotService.Runs;

/// <summary>
/// Run-level instruments on meter <c>TotMcp.TotService.Runs</c> (the engine's own meter counts searches; these count
/// runs as users see them, queueing and lost replicas included). Prometheus: <c>totmcp_tot_runs_total</c>,
/// <c>totmcp_tot_runs_active</c>, <c>totmcp_tot_runs_rejected_total</c>, <c>totmcp_tot_run_duration_seconds</c>,
/// <c>totmcp_tot_client_run_bytes</c>, <c>totmcp_tot_run_result_bytes</c>, <c>totmcp_tot_runs_evicted_total</c>,
/// <c>totmcp_tot_runs_adopted_total</c>, <c>totmcp_tot_client_model_rounds_total</c>, <c>totmcp_tot_client_model_questions_total</c>, <c>totmcp_tot_client_model_transcript_bytes</c>.
/// </summary>
public sealed class RunMetrics
{
    public const string MeterName = "TotMcp.TotService.Runs";

    private readonly Counter<long> _runs;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _clientResultBytes;
    private readonly Histogram<long> _resultBytes;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _adopted;
    private readonly Counter<long> _rounds;
    private readonly Counter<long> _questions;
    private readonly Histogram<long> _transcriptBytes;

    public RunMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _runs = meter.CreateCounter<long>("totmcp.tot.runs", "{run}",
            "Finished runs by outcome (solved, unsolved, cancelled, failed, lost), strategy and provider.");
        _active = meter.CreateUpDownCounter<long>("totmcp.tot.runs.active", "{run}",
            "Runs held by this replica, by state (queued, running).");
        _rejected = meter.CreateCounter<long>("totmcp.tot.runs.rejected", "{run}",
            "Run requests refused by admission control, by reason (client_limit, server_busy).");
        _duration = meter.CreateHistogram<double>("totmcp.tot.run.duration", "s",
            "Time from acceptance to the end of a run, queueing included.");
        _clientResultBytes = meter.CreateHistogram<long>("totmcp.tot.client.run_bytes", "By",
            "Stored result bytes of all runs of the client whose run just stored its result.");
        _resultBytes = meter.CreateHistogram<long>("totmcp.tot.run.result_bytes", "By",
            "Bytes of one stored run result, trace included.");
        _evicted = meter.CreateCounter<long>("totmcp.tot.runs.evicted", "{run}",
            "Finished runs deleted to keep their client within MaxStoredRunBytesPerClient.");
        _adopted = meter.CreateCounter<long>("totmcp.tot.runs.adopted", "{run}",
            "Runs restarted by this replica because the replica executing them went away (their lease lapsed).");
        _rounds = meter.CreateCounter<long>("totmcp.tot.client_model.rounds", "{round}",
            "Rounds of runs on a client's model without a session, by outcome (asked, finished, stale, over_budget).");
        _questions = meter.CreateCounter<long>("totmcp.tot.client_model.questions", "{question}",
            "Model questions sent to clients in rounds (multi round-trip requests and tasks).");
        _transcriptBytes = meter.CreateHistogram<long>("totmcp.tot.client_model.transcript_bytes", "By",
            "Bytes of client answers held by a waiting run after a round, bounded by MaxTranscriptBytes.");
    }

    public void Queued() => _active.Add(1, new KeyValuePair<string, object?>("state", "queued"));

    public void Started()
    {
        _active.Add(-1, new KeyValuePair<string, object?>("state", "queued"));
        _active.Add(1, new KeyValuePair<string, object?>("state", "running"));
    }

    public void Finished(RunRecord run, bool wasRunning, TimeSpan duration)
    {
        _active.Add(-1, new KeyValuePair<string, object?>("state", wasRunning ? "running" : "queued"));
        Completed(run, Outcome(run), duration);
    }

    /// <summary>A run that no replica held (one on the model of a client without a session) ended.</summary>
    public void Ended(RunRecord run, TimeSpan duration) => Completed(run, Outcome(run), duration);

    /// <summary>A round of a run on the client's model: outcome asked, finished, stale (a used or unknown handle) or over_budget.</summary>
    public void ClientModelRound(string outcome, int questions)
    {
        _rounds.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (questions > 0)
        {
            _questions.Add(questions);
        }
    }

    /// <summary>Bytes of the client's answers a waiting run holds after a round.</summary>
    public void TranscriptStored(long bytes) => _transcriptBytes.Record(bytes);

    /// <summary>A reader found the run's executing replica gone and marked it failed.</summary>
    public void Lost(RunRecord run, TimeSpan duration) => Completed(run, "lost", duration);

    /// <summary>A result was stored: its bytes, and its client's total afterwards (recorded without a series per client).</summary>
    public void ResultStored(long resultBytes, long clientBytes)
    {
        _resultBytes.Record(resultBytes);
        _clientResultBytes.Record(clientBytes);
    }

    public void Evicted() => _evicted.Add(1);

    /// <summary>A replica restarted a run whose executing replica went away.</summary>
    public void Adopted() => _adopted.Add(1);

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private void Completed(RunRecord run, string outcome, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "outcome", outcome },
            { "strategy", EngineMetrics.TagValue(run.Settings.Strategy) },
            { "provider", EngineMetrics.TagValue(run.Provider) },
        };
        _runs.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    private static string Outcome(RunRecord run) => run.State switch
    {
        RunState.Completed => run.Solved ? "solved" : "unsolved",
        RunState.Cancelled => "cancelled",
        _ => "failed",
    };

    internal static string ProviderTag(ProviderKind kind) => EngineMetrics.TagValue(kind);

    internal static string StrategyTag(SearchStrategy strategy) => EngineMetrics.TagValue(strategy);
}
