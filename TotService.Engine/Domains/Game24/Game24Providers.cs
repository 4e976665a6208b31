using TotService.Engine.Providers;

namespace TotService.Engine.Domains.Game24;

/// <summary>The deterministic Game of 24 providers; cheap to create, share the <see cref="Game24Solver"/>.</summary>
public static class Game24Providers
{
    public const string Name = "game24";

    public static ThoughtProviders Create(Game24Solver solver) =>
        new(Name, new Game24ThoughtGenerator(), new Game24StateEvaluator(solver), new Game24AnswerFinalizer());
}
