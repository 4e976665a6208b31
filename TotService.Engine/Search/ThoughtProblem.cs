namespace TotService.Engine.Search;

/// <summary>What to think about: the task and optional constraints, both plain text.</summary>
public sealed record ThoughtProblem(string Task, string? Constraints = null)
{
    /// <summary>Every rule broken, each as a message that says what is allowed; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Task))
        {
            errors.Add("task must not be empty.");
        }
        else if (Task.Length > EngineLimits.MaxTextLength)
        {
            errors.Add($"task must be at most {EngineLimits.MaxTextLength} characters (got {Task.Length}).");
        }

        if (Constraints?.Length > EngineLimits.MaxTextLength)
        {
            errors.Add($"constraints must be at most {EngineLimits.MaxTextLength} characters (got {Constraints.Length}).");
        }

        return errors;
    }
}
