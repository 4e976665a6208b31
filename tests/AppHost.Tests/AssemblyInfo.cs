// Most of these tests wait on other processes (an AppHost starting, Chromium, promtool, kubectl) rather than compute:
// one class more than the machine's two cores keeps the two long AppHost runs from queuing behind the rest.
[assembly: CollectionBehavior(MaxParallelThreads = 3)]
