using KeyService.Options;


namespace KeyService.Tests.Tokens;

public sealed class ClientSecretHasherTests
{
    [Fact]
    public void Hash_verifies_the_secret_and_nothing_else()
    {
        var hash = ClientSecretHasher.Hash("correct horse battery staple", 10_000);

        Assert.StartsWith("PBKDF2-SHA256$10000$", hash, StringComparison.Ordinal);
        Assert.DoesNotContain("correct", hash, StringComparison.Ordinal);
        Assert.True(ClientSecretHasher.Verify("correct horse battery staple", hash));
        Assert.False(ClientSecretHasher.Verify("correct horse battery stapl", hash));
        Assert.False(ClientSecretHasher.Verify("", hash));
    }

    [Fact]
    public void Hashes_are_salted()
    {
        Assert.NotEqual(ClientSecretHasher.Hash("same", 10_000), ClientSecretHasher.Hash("same", 10_000));
    }

    [Theory]
    [InlineData("")]
    [InlineData("PBKDF2-SHA256$10000$c2FsdHNhbHQ=")]
    [InlineData("PBKDF2-SHA1$10000$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("PBKDF2-SHA256$1$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("PBKDF2-SHA256$10000$not base64$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Malformed_hashes_never_verify(string encoded)
    {
        Assert.False(ClientSecretHasher.IsWellFormed(encoded));
        Assert.False(ClientSecretHasher.Verify("anything", encoded));
    }
}
