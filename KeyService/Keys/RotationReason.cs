namespace KeyService.Keys;

public enum RotationReason
{
    /// <summary>The store was empty: the first key of the ring.</summary>
    Initial,

    /// <summary>The active key reached its rotation time.</summary>
    Scheduled,

    /// <summary>An administrator asked for a rotation.</summary>
    Manual,
}
