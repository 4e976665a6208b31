namespace TotService.Engine;

/// <summary>
/// A client-supplied value quoted back in an error message: clipped, so a 200 KB argument is not sent back whole
/// (and written to the log whole), and never cut between the two halves of a surrogate pair.
/// </summary>
public static class EchoedText
{
    public const int MaxLength = 40;

    public static string Clip(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }
        if (value.Length <= MaxLength)
        {
            return value;
        }
        var length = char.IsHighSurrogate(value[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return string.Concat(value.AsSpan(0, length), "...");
    }
}
