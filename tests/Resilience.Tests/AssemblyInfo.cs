// The classes share one app model and load the whole machine; two at once would measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
