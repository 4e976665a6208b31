using System.ComponentModel.DataAnnotations;

namespace TotService.Runs;

/// <summary>Execution limits and liveness timing of server-driven runs (section <c>TotService:Runs</c>).</summary>
public sealed class RunOptions
{
    public const string SectionName = "TotService:Runs";

    /// <summary>Runs executing at once on one replica; further accepted runs wait in the queue.</summary>
    [Range(1, 256)]
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>Live (queued or running) runs one client (token <c>sub</c>) may have across all replicas.</summary>
    [Range(1, 256)]
    public int MaxConcurrentPerClient { get; set; } = 2;

    /// <summary>Runs waiting for a slot on one replica; beyond this new runs are refused.</summary>
    [Range(0, 10_000)]
    public int MaxQueued { get; set; } = 32;

    /// <summary>How long runs and trees are kept after their last write.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the executing replica renews its lease and saves progress.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A live run whose lease is older than this is taken for lost and marked failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Fallback poll of the cancel flags, for when a pub/sub message was missed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:05")]
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How much longer than its time budget <c>tot_solve</c> waits (queueing, finalizing) before answering with the status.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SolveGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long <c>tot_solve</c> waits before a client that declared the tasks extension gets a task instead.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SolveTaskAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a task's client is asked to poll <c>tasks/get</c> (the task's <c>pollIntervalMs</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan TaskPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a sampling run waits for the client to answer one model request before the run fails; for a run on the
    /// model of a client without a session, how long its current round stays open.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SamplingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// UTF-8 bytes of model answers one run on the model of a client without a session may hold between rounds; a round
    /// that would pass it ends the run (failed, with this limit named).
    /// </summary>
    [Range(16 * 1024, 64 * 1024 * 1024)]
    public int MaxTranscriptBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest stored result (trace included) of one run, in UTF-8 bytes; longer texts in the trace are clipped to fit.</summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public int MaxResultBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Runs kept per client; starting one more deletes the client's oldest finished run.</summary>
    [Range(1, 1000)]
    public int MaxStoredRunsPerClient { get; set; } = 50;

    /// <summary>
    /// Stored result bytes (trace included) of all of one client's runs; storing one more result deletes the client's
    /// oldest finished runs to make room. At least <see cref="MaxResultBytes"/>.
    /// </summary>
    [Range(64L * 1024, 64L * 1024 * 1024 * 1024)]
    public long MaxStoredRunBytesPerClient { get; set; } = 8 * 1024 * 1024;
}
