using System.Diagnostics.Metrics;

namespace TotService.Trees;

/// <summary>
/// Per-client storage on meter <c>TotMcp.TotService.Trees</c>: each write records the writing client's totals, so the
/// histograms show how much clients store without a series per client. Prometheus: <c>totmcp_tot_client_tree_bytes</c>,
/// <c>totmcp_tot_client_trees</c>, <c>totmcp_tot_tree_write_bytes</c>, <c>totmcp_tot_limit_refusals_total</c>.
/// </summary>
public sealed class TreeUsageMetrics
{
    public const string MeterName = "TotMcp.TotService.Trees";

    private readonly Histogram<long> _clientBytes;
    private readonly Histogram<long> _clientTrees;
    private readonly Histogram<long> _writeBytes;
    private readonly Counter<long> _refusals;

    public TreeUsageMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _clientBytes = meter.CreateHistogram<long>("totmcp.tot.client.tree_bytes", "By",
            "Stored bytes of all live trees of the client that just wrote one.");
        _clientTrees = meter.CreateHistogram<long>("totmcp.tot.client.trees", "{tree}",
            "Live trees of the client that just wrote one.");
        _writeBytes = meter.CreateHistogram<long>("totmcp.tot.tree.write_bytes", "By",
            "Bytes sent to the store by one tree operation (only the nodes it changed).");
        _refusals = meter.CreateCounter<long>("totmcp.tot.limit.refusals", "{request}",
            "Requests refused by a storage or run limit, by limit.");
    }

    public void Written(long writeBytes, long clientBytes, int clientTrees)
    {
        _writeBytes.Record(writeBytes);
        _clientBytes.Record(clientBytes);
        _clientTrees.Record(clientTrees);
    }

    /// <param name="limit">The setting's name, e.g. <c>MaxTreeBytes</c>.</param>
    public void Refused(string limit) => _refusals.Add(1, new KeyValuePair<string, object?>("limit", limit));
}
