// Each class starts a whole app model and loads it; two at once on a small machine would measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
