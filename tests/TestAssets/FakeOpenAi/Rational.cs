using System.Globalization;

namespace FakeOpenAi;

/// <summary>A small exact fraction for the fake model's own Game of 24 arithmetic (independent of the server's).</summary>
public readonly record struct Rational
{
    public Rational(long numerator, long denominator)
    {
        if (denominator == 0)
        {
            throw new DivideByZeroException();
        }

        var gcd = Gcd(Math.Abs(numerator), Math.Abs(denominator));
        var sign = denominator < 0 ? -1 : 1;
        Numerator = sign * numerator / Math.Max(gcd, 1);
        Denominator = sign * denominator / Math.Max(gcd, 1);
    }

    public long Numerator { get; }

    public long Denominator { get; }

    public static Rational Of(long value) => new(value, 1);

    public static Rational operator +(Rational a, Rational b) => new((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) => new((a.Numerator * b.Denominator) - (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Rational operator *(Rational a, Rational b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Rational operator /(Rational a, Rational b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public bool IsZero => Numerator == 0;

    public static bool TryParse(string text, out Rational value)
    {
        value = default;
        var parts = text.Split('/');
        if (parts.Length > 2 || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        long d = 1;
        if (parts.Length == 2 && (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out d) || d == 0))
        {
            return false;
        }

        value = new Rational(n, d);
        return true;
    }

    public override string ToString() => Denominator == 1
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
