using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using TotService.Engine.Diagnostics;
using TotService.Engine.Providers;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;

namespace TotService.Runs;

/// <summary>
/// Runs on the model of a client that keeps no session (MCP 2026-07-28): the server cannot send the client a request,
/// so a run advances in rounds. Each round replays the search from the client's answers so far
/// (<see cref="ReplayChatClient"/>) until it needs answers it does not have, stores that batch of questions with the
/// answers (<see cref="ModelTranscript"/>, in Redis) and hands the client a <see cref="ModelRoundHandle"/>; the client's
/// next call, on any replica, brings the answers and the handle back. Between rounds nothing runs and nothing is held
/// in memory, so a replica may stop between rounds without losing the run.
/// </summary>
/// <remarks>
/// Bounds per client: live runs (<see cref="RunOptions.MaxConcurrentPerClient"/>, shared with every other run), the
/// answer bytes one run holds (<see cref="RunOptions.MaxTranscriptBytes"/>) and how long a round stays open
/// (<see cref="RunOptions.SamplingTimeout"/>, the transcript's time to live).
/// </remarks>
public sealed partial class ClientModelRuns(
    IRunStore store,
    IModelTranscriptStore transcripts,
    RunCommands commands,
    RunQueries queries,
    RunResultBudget results,
    RunMetrics metrics,
    IMeterFactory meterFactory,
    IOptions<RunOptions> options,
    TimeProvider timeProvider,
    ILogger<ClientModelRuns> logger)
{
    // Outside the exported TotMcp.* meters on purpose: every round replays the questions of the rounds before it, so the
    // engine's counters would count them again. These runs are counted once each by RunMetrics.
    private readonly EngineMetrics _replayMetrics = new(meterFactory, "Replay.TotService.Engine");

    // The client decides how many questions of a batch it answers at once; the whole batch goes out together.
    private const int UnboundedCalls = 100_000;

    public const string StaleHandle =
        "This requestState is not one this server can continue: it was already used, its round expired (Runs:SamplingTimeout), " +
        "or it belongs to another client or run. Start the run again.";

    /// <summary>Admits the run and plays its first round.</summary>
    public async Task<ModelRound> StartAsync(string owner, ThoughtProblem problem, string domain, SearchSettings settings, CancellationToken cancellationToken)
    {
        var record = await commands.CreateWaitingAsync(owner, problem, domain, settings, cancellationToken);
        var first = new ModelTranscript
        {
            RunId = record.Id,
            Owner = owner,
            Round = 0,
            Nonce = ModelRoundHandle.NewNonce(),
            UpdatedAt = timeProvider.GetUtcNow(),
        };
        return await PlayAsync(record, expected: null, first, cancellationToken);
    }

    /// <summary>
    /// Continues from a handle with the client's answers (the retry of a multi round-trip request).
    /// </summary>
    /// <exception cref="McpProtocolException">The handle is malformed, used, expired or not the caller's (invalid params).</exception>
    public async Task<ModelRound> ContinueAsync(string owner, string? requestState, IDictionary<string, ModelContextProtocol.Protocol.InputResponse>? answers, CancellationToken cancellationToken)
    {
        if (!ModelRoundHandle.TryParse(requestState, out var handle))
        {
            metrics.ClientModelRound("stale", 0);
            throw new McpProtocolException(StaleHandle, McpErrorCode.InvalidParams);
        }
        var (record, stored) = await ReadAsync(handle.Value.RunId, owner, cancellationToken);
        if (record is { State: not RunState.Waiting })
        {
            // The caller's own run has ended (its last answer's reply may have been lost): say how, as tot_run_result would.
            return ModelRound.Ended(record);
        }
        if (record is null || stored is null || stored.Transcript.Round != handle.Value.Round || !handle.Value.Matches(stored.Transcript.Nonce))
        {
            metrics.ClientModelRound("stale", 0);
            throw new McpProtocolException(StaleHandle, McpErrorCode.InvalidParams);
        }
        return await AnswerAsync(record, stored, answers, cancellationToken);
    }

    /// <summary>Continues a run by its id with the client's answers (a task update); unknown or already answered keys are ignored.</summary>
    public async Task<ModelRound> UpdateAsync(RunRecord record, IDictionary<string, ModelContextProtocol.Protocol.InputResponse>? answers, CancellationToken cancellationToken)
    {
        var stored = await transcripts.GetAsync(record.Id, cancellationToken);
        return stored is null || record.State != RunState.Waiting
            ? ModelRound.Ended(await queries.GetOwnedAsync(record.Id, record.Owner, cancellationToken))
            : await AnswerAsync(record, stored, answers, cancellationToken);
    }

    /// <summary>The run's open round as stored (for a task's status), or the run as it ended.</summary>
    public async Task<ModelRound> CurrentAsync(RunRecord record, CancellationToken cancellationToken)
    {
        var stored = record.State == RunState.Waiting ? await transcripts.GetAsync(record.Id, cancellationToken) : null;
        return stored is null
            ? ModelRound.Ended(record)
            : ModelRound.Asking(record, stored.Transcript);
    }

    private async Task<(RunRecord? Record, StoredTranscript? Transcript)> ReadAsync(string runId, string owner, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(runId, cancellationToken);
        if (record is null || record.Owner != owner)
        {
            return (null, null);
        }
        var stored = await transcripts.GetAsync(runId, cancellationToken);
        return (record.State == RunState.Waiting && stored is null ? await queries.GetOwnedAsync(runId, owner, cancellationToken) : record, stored);
    }

    private async Task<ModelRound> AnswerAsync(RunRecord record, StoredTranscript stored, IDictionary<string, ModelContextProtocol.Protocol.InputResponse>? answers, CancellationToken cancellationToken)
    {
        var transcript = stored.Transcript;
        var known = new Dictionary<string, ModelAnswer>(transcript.Answers, StringComparer.Ordinal);
        var bytes = transcript.AnswerBytes;
        foreach (var (key, response) in answers ?? new Dictionary<string, ModelContextProtocol.Protocol.InputResponse>())
        {
            if (!transcript.Pending.ContainsKey(key) || known.ContainsKey(key))
            {
                continue;
            }
            var answer = SamplingQuestions.ReadAnswer(key, response);
            bytes += Encoding.UTF8.GetByteCount(answer.Text);
            known[key] = answer;
        }

        if (bytes > options.Value.MaxTranscriptBytes)
        {
            metrics.ClientModelRound("over_budget", 0);
            var failed = record with
            {
                State = RunState.Failed,
                Error = $"The model's answers to this run passed {options.Value.MaxTranscriptBytes} bytes (Runs:MaxTranscriptBytes), so the run stopped.",
                FinishedAt = timeProvider.GetUtcNow(),
            };
            return await EndAsync(record, stored, failed, result: null, cancellationToken);
        }
        return await PlayAsync(record, stored, transcript with { Answers = known, AnswerBytes = bytes }, cancellationToken);
    }

    /// <summary>Replays the search on the answers known; stores the next round's questions, or the result when it ends.</summary>
    private async Task<ModelRound> PlayAsync(RunRecord record, StoredTranscript? expected, ModelTranscript transcript, CancellationToken cancellationToken)
    {
        var (result, asked, progress) = await ReplayAsync(record, transcript.Answers);
        if (result is null)
        {
            var next = transcript with
            {
                Round = transcript.Round + 1,
                Nonce = ModelRoundHandle.NewNonce(),
                Pending = asked,
                UpdatedAt = timeProvider.GetUtcNow(),
            };
            if (!await transcripts.TryReplaceAsync(expected, next, options.Value.SamplingTimeout, cancellationToken))
            {
                // Another call with the same handle won the round.
                metrics.ClientModelRound("stale", 0);
                throw new McpProtocolException(StaleHandle, McpErrorCode.InvalidParams);
            }
            var current = progress is null ? record : record.WithProgress(progress);
            if (current != record && !await store.TryReplaceLostAsync(record, current, cancellationToken))
            {
                // Cancelled meanwhile: the record says how it ended.
                return ModelRound.Ended(await queries.GetOwnedAsync(record.Id, record.Owner, cancellationToken));
            }
            metrics.ClientModelRound("asked", asked.Count);
            metrics.TranscriptStored(next.AnswerBytes);
            return ModelRound.Asking(current, next);
        }

        metrics.ClientModelRound("finished", 0);
        var final = record.Finished(result) with
        {
            ElapsedSeconds = (timeProvider.GetUtcNow() - record.CreatedAt).TotalSeconds,
            FinishedAt = timeProvider.GetUtcNow(),
        };
        return await EndAsync(record, expected, final, result, cancellationToken);
    }

    private async Task<ModelRound> EndAsync(RunRecord record, StoredTranscript? expected, RunRecord final, SearchResult? result, CancellationToken cancellationToken)
    {
        if (result is not null)
        {
            // Before the final record, so a run that reads as finished has its result readable.
            var stored = await results.StoreAsync(final, result, cancellationToken);
            final = final with { ResultTrimmed = stored.Trimmed, Error = stored.Refusal ?? final.Error };
        }
        if (!await store.TryReplaceLostAsync(record, final, cancellationToken))
        {
            return ModelRound.Ended(await queries.GetOwnedAsync(record.Id, record.Owner, cancellationToken));
        }
        if (expected is not null)
        {
            await transcripts.DeleteAsync(record.Id, cancellationToken);
        }
        metrics.Ended(final, final.FinishedAt!.Value - final.CreatedAt);
        LogRunFinished(record.Id, final.State.Name(), final.StopReason, final.NodesExpanded);
        return ModelRound.Ended(final);
    }

    /// <summary>
    /// One replay. Answered questions complete at once, so when the search's task is not complete on return it waits
    /// for questions only (<see cref="ReplayChatClient.Asked"/> holds the whole batch); the round then ends and the
    /// search unwinds.
    /// </summary>
    private async Task<(SearchResult? Result, Dictionary<string, ModelQuestion> Asked, SearchProgress? Progress)> ReplayAsync(
        RunRecord record, IReadOnlyDictionary<string, ModelAnswer> answers)
    {
        var replay = new ReplayChatClient(answers);
        var providers = LlmThoughtProviders.Create(replay, EngineMetrics.TagValue(ProviderKind.Sampling), _replayMetrics, UnboundedCalls, record.Domain, logger)
            with { ExpandsLevelsTogether = true };
        var engine = new ThoughtSearchEngine(timeProvider, _replayMetrics);
        var progress = new LatestProgress();
        using var endRound = new CancellationTokenSource();
        var search = engine.RunAsync(new ThoughtProblem(record.Task, record.Constraints), record.Settings, providers, progress, endRound.Token);
        if (search.IsCompleted)
        {
            return (await search, [], progress.Latest);
        }
        if (replay.Asked.Count == 0)
        {
            throw new InvalidOperationException($"Run {record.Id}: the replayed search waited on something other than the model.");
        }
        replay.EndRound();
        await endRound.CancelAsync();
        await search;
        return (null, replay.Asked, progress.Latest);
    }

    /// <summary>Keeps the last report, synchronously (Progress&lt;T&gt; would post it to the thread pool).</summary>
    private sealed class LatestProgress : IProgress<SearchProgress>
    {
        public SearchProgress? Latest { get; private set; }

        public void Report(SearchProgress value) => Latest = value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} on the client's model finished: {State}, stop reason {StopReason}, {NodesExpanded} nodes expanded")]
    private partial void LogRunFinished(string runId, string state, StopReason? stopReason, int nodesExpanded);
}

/// <summary>Where a run on the client's model stands after a call: questions for the client with the handle to answer them, or ended.</summary>
public sealed record ModelRound(RunRecord Run, IReadOnlyDictionary<string, ModelQuestion>? Questions, ModelRoundHandle? Handle)
{
    public static ModelRound Ended(RunRecord run) => new(run, null, null);

    public static ModelRound Asking(RunRecord run, ModelTranscript transcript) =>
        new(run, transcript.Pending, new ModelRoundHandle(run.Id, transcript.Round, transcript.Nonce));
}
