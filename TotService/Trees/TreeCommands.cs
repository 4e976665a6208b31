using Microsoft.Extensions.Options;
using ModelContextProtocol;
using TotService.Engine.Diagnostics;
using TotService.Engine.Search;
using TotService.Engine.Sessions;
using TotService.Runs;
using TotService.Storage;

namespace TotService.Trees;

/// <summary>
/// Loads a client-driven tree for its owner, applies one <see cref="ThoughtTreeSession"/> operation and saves it
/// with compare-and-set, retrying on a concurrent write, so replicas can share trees safely.
/// </summary>
public sealed class TreeCommands(ITreeStore store, EngineMetrics metrics, IOptions<RunOptions> options, TimeProvider timeProvider)
{
    private const int MaxAttempts = 5;

    public async Task<TreeRecord> CreateAsync(string owner, ThoughtProblem problem, SearchSettings settings, CancellationToken cancellationToken)
    {
        var session = Guard(() => ThoughtTreeSession.Create(problem, settings));
        var now = timeProvider.GetUtcNow();
        var tree = new TreeRecord(TreeIds.New(), owner, 1, now, now, session.ToState());
        await store.CreateAsync(tree, cancellationToken);
        metrics.TreeOperation(TreeOperationNames.Create, settings.Strategy);
        return tree;
    }

    /// <summary>Applies <paramref name="apply"/> and saves the tree; refusals become tool errors that say why.</summary>
    public async Task<(TreeRecord Tree, T Outcome)> UpdateAsync<T>(
        string treeId, string owner, string operation, Func<ThoughtTreeSession, T> apply, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (tree, session) = await LoadAsync(treeId, owner, cancellationToken);
            var outcome = Guard(() => apply(session));
            var updated = tree with { Version = tree.Version + 1, UpdatedAt = timeProvider.GetUtcNow(), Session = session.ToState() };
            if (await store.TryReplaceAsync(updated, tree.Version, cancellationToken))
            {
                metrics.TreeOperation(operation, session.Settings.Strategy);
                return (updated, outcome);
            }
            if (attempt == MaxAttempts)
            {
                throw new McpException($"Tree '{treeId}' is being changed by other requests at the same time; try again.");
            }
        }
    }

    /// <summary>Reads the tree and computes <paramref name="read"/> without saving.</summary>
    public async Task<(TreeRecord Tree, T Outcome)> ReadAsync<T>(
        string treeId, string owner, string operation, Func<ThoughtTreeSession, T> read, CancellationToken cancellationToken)
    {
        var (tree, session) = await LoadAsync(treeId, owner, cancellationToken);
        var outcome = Guard(() => read(session));
        metrics.TreeOperation(operation, session.Settings.Strategy);
        return (tree, outcome);
    }

    private async Task<(TreeRecord Tree, ThoughtTreeSession Session)> LoadAsync(string treeId, string owner, CancellationToken cancellationToken)
    {
        var tree = TreeIds.IsWellFormed(treeId) ? await store.GetAsync(treeId, cancellationToken) : null;
        if (tree is null || tree.Owner != owner)
        {
            throw new McpException(
                $"Tree '{Runs.RunIds.Display(treeId)}' was not found. Trees are visible only to the client that created them and are kept for {options.Value.Ttl.TotalHours:0.#} h after their last change.");
        }
        return (tree, ThoughtTreeSession.Restore(tree.Session));
    }

    private static T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (TreeOperationException ex)
        {
            throw new McpException(ex.Message);
        }
    }
}
