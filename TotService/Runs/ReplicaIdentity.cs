namespace TotService.Runs;

/// <summary>Names this process in leases and run records, so a trace shows which replica executed a run.</summary>
public sealed class ReplicaIdentity
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
}
