namespace KeyService.Keys;

/// <summary>What the ring should become: the keys to keep (schedules possibly adjusted) and a key to create.</summary>
public sealed record LifecyclePlan(IReadOnlyList<KeyMetadata> Keep, KeySchedule? NewKey, RotationReason Reason, bool Changed);
