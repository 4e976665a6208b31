using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace TotService.Runs;

/// <summary>
/// The <c>requestState</c> of a run on the client's model: <c>{runId}.{round}.{nonce}</c>. It is a reference, not a
/// value: nothing in it is trusted. The server looks the run up, checks that it belongs to the caller, that the round
/// is the open one and that the 128-bit nonce matches the stored one (in constant time); the nonce changes every round,
/// so a handle is accepted once and a forged or foreign one never.
/// </summary>
public readonly record struct ModelRoundHandle(string RunId, int Round, string Nonce)
{
    private const int NonceBytes = 16;

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(NonceBytes));

    public override string ToString() => $"{RunId}.{Round}.{Nonce}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out ModelRoundHandle? handle)
    {
        handle = null;
        var parts = text?.Split('.');
        if (parts is not [var runId, var round, var nonce]
            || !RunIds.IsWellFormed(runId)
            || round.Length is 0 or > 6 || !round.All(char.IsAsciiDigit)
            || nonce.Length != NonceBytes * 2 || !nonce.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }
        handle = new ModelRoundHandle(runId, int.Parse(round, System.Globalization.CultureInfo.InvariantCulture), nonce);
        return true;
    }

    /// <summary>True when <paramref name="stored"/> is this handle's nonce, compared in constant time.</summary>
    public bool Matches(string stored) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Nonce), System.Text.Encoding.ASCII.GetBytes(stored));
}
