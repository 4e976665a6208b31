using AppHost.Hosting.Model;

namespace AppHost.Hosting;

/// <summary>Refuses app models the orchestrator could never start (dependency cycles, dangling references).</summary>
internal static class AppModelValidator
{
    public static void Validate(IReadOnlyList<Resource> resources)
    {
        foreach (var resource in resources)
        {
            foreach (var dependency in resource.WaitsFor.Concat(resource.References))
            {
                if (!resources.Contains(dependency))
                {
                    throw new InvalidOperationException($"'{resource.Name}' refers to '{dependency.Name}', which is not in the app model.");
                }
            }
        }
        _ = TopologicalOrder(resources);
    }

    /// <summary>Resources ordered so each comes after everything it waits for.</summary>
    public static IReadOnlyList<Resource> TopologicalOrder(IReadOnlyList<Resource> resources)
    {
        var ordered = new List<Resource>();
        var visiting = new HashSet<Resource>();
        var done = new HashSet<Resource>();

        void Visit(Resource resource, Stack<Resource> path)
        {
            if (done.Contains(resource))
            {
                return;
            }
            if (!visiting.Add(resource))
            {
                var cycle = string.Join(" -> ", path.Reverse().Select(r => r.Name).Append(resource.Name));
                throw new InvalidOperationException($"The app model has a WaitFor cycle: {cycle}.");
            }
            path.Push(resource);
            foreach (var dependency in resource.WaitsFor)
            {
                Visit(dependency, path);
            }
            path.Pop();
            visiting.Remove(resource);
            done.Add(resource);
            ordered.Add(resource);
        }

        foreach (var resource in resources)
        {
            Visit(resource, new Stack<Resource>());
        }
        return ordered;
    }
}
