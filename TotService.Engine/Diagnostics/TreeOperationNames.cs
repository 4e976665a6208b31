namespace TotService.Engine.Diagnostics;

/// <summary>Values of the <c>tot.operation</c> tag on <c>tot.engine.tree.operations</c>.</summary>
public static class TreeOperationNames
{
    public const string Create = "create";
    public const string AddThoughts = "add_thoughts";
    public const string Score = "score";
    public const string SelectNext = "select_next";
    public const string Mark = "mark";
    public const string BestPath = "best_path";
    public const string Render = "render";
}
