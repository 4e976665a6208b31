using System.Globalization;
using System.Numerics;

namespace TotService.Engine.Domains.Game24;

/// <summary>
/// An exact rational number, always reduced with a positive denominator, so equal values compare and hash
/// equal (8 / 3 * 3 is exactly 8, which floating point cannot promise). BigInteger parts: no overflow.
/// </summary>
public readonly struct Fraction : IEquatable<Fraction>, IComparable<Fraction>
{
    private readonly BigInteger denominatorMinusOne; // keeps default(Fraction) a valid 0/1

    private Fraction(BigInteger numerator, BigInteger denominator)
    {
        Numerator = numerator;
        denominatorMinusOne = denominator - 1;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator => denominatorMinusOne + 1;

    public bool IsZero => Numerator.IsZero;

    public static Fraction Of(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("A fraction cannot have a zero denominator.");
        }

        if (denominator.Sign < 0)
        {
            (numerator, denominator) = (-numerator, -denominator);
        }

        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        return gcd.IsOne || gcd.IsZero ? new Fraction(numerator, denominator) : new Fraction(numerator / gcd, denominator / gcd);
    }

    public static implicit operator Fraction(long value) => new(value, 1);

    public static Fraction operator +(Fraction a, Fraction b) =>
        Of((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Fraction operator -(Fraction a, Fraction b) =>
        Of((a.Numerator * b.Denominator) - (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Fraction operator *(Fraction a, Fraction b) => Of(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Fraction operator /(Fraction a, Fraction b) => b.IsZero
        ? throw new DivideByZeroException("Division by zero.")
        : Of(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public static bool operator ==(Fraction a, Fraction b) => a.Equals(b);

    public static bool operator !=(Fraction a, Fraction b) => !a.Equals(b);

    public static bool operator <(Fraction a, Fraction b) => a.CompareTo(b) < 0;

    public static bool operator >(Fraction a, Fraction b) => a.CompareTo(b) > 0;

    public static bool operator <=(Fraction a, Fraction b) => a.CompareTo(b) <= 0;

    public static bool operator >=(Fraction a, Fraction b) => a.CompareTo(b) >= 0;

    public bool Equals(Fraction other) => Numerator == other.Numerator && Denominator == other.Denominator;

    public override bool Equals(object? obj) => obj is Fraction other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    public int CompareTo(Fraction other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <summary>"7" or "-5/3".</summary>
    public override string ToString() => Denominator.IsOne
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");
}
