using TotService.Authentication;

namespace TotService.Tests.Authentication;

public sealed class BearerTokenMemoTests
{
    [Theory]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("BEARER   abc.def.ghi  ", "abc.def.ghi")]
    [InlineData("Bearer ", null)]
    [InlineData("Bearer    ", null)]
    [InlineData("Basic YTpi", null)]
    [InlineData("Bearerabc", null)]
    [InlineData(null, null)]
    public void The_token_is_cut_from_the_header_as_JwtBearer_cuts_it(string? header, string? expected) =>
        Assert.Equal(expected, new BearerTokenMemo().TokenOf(header));

    [Fact]
    public void The_same_header_again_gives_the_same_token_string_not_a_copy()
    {
        var memo = new BearerTokenMemo();
        var first = memo.TokenOf("Bearer " + new string('a', 1200));

        var again = memo.TokenOf("Bearer " + new string('a', 1200));

        Assert.Same(first, again);
    }

    [Fact]
    public void Another_header_never_gets_the_remembered_token()
    {
        var memo = new BearerTokenMemo();
        memo.TokenOf("Bearer token-one");

        Assert.Equal("token-two", memo.TokenOf("Bearer token-two"));
        Assert.Null(memo.TokenOf("Basic token-two"));
        Assert.Equal("token-one", memo.TokenOf("Bearer token-one"));
    }
}
