using System.Text;
using System.Text.Json;
using TotService.Mcp;

namespace TotService.Tests.Mcp;

public sealed class JsonBodyPropertyTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """{"id":1,"params":{"name":"a\"b","n":null,"list":[{"name":"x"}],"obj":{"name":"y"},"t":true}}""");

    [Fact]
    public void A_property_is_found_by_path_with_the_exact_bytes_of_its_value()
    {
        var parameters = JsonBodyProperty.Find(Body, JsonBodyProperty.Root(Body), "params");
        var obj = JsonBodyProperty.Find(Body, parameters, "obj");

        Assert.Equal(JsonValueKind.Object, parameters.Kind);
        Assert.Equal("""{"name":"y"}""", Encoding.UTF8.GetString(Body, obj.Start, obj.Length));
        Assert.True(JsonBodyProperty.Find(Body, obj, "name").IsString(Body, "y"));
        Assert.True(JsonBodyProperty.Find(Body, parameters, "name").IsString(Body, "a\"b"));
    }

    [Theory]
    [InlineData("n", JsonValueKind.Null)]
    [InlineData("list", JsonValueKind.Array)]
    [InlineData("t", JsonValueKind.True)]
    [InlineData("absent", JsonValueKind.Undefined)]
    public void Each_kind_of_value_is_told_apart(string name, JsonValueKind expected) =>
        Assert.Equal(expected, JsonBodyProperty.Find(Body, JsonBodyProperty.Find(Body, JsonBodyProperty.Root(Body), "params"), name).Kind);

    [Fact]
    public void Only_the_parent_object_is_searched_and_non_objects_have_no_properties()
    {
        var root = JsonBodyProperty.Root(Body);
        var id = JsonBodyProperty.Find(Body, root, "id");

        Assert.Equal(JsonValueKind.Undefined, JsonBodyProperty.Find(Body, root, "name").Kind);
        Assert.Equal(JsonValueKind.Undefined, JsonBodyProperty.Find(Body, id, "name").Kind);
        Assert.True(JsonBodyProperty.Find(Body, root, "name").IsString(Body, null));
        Assert.False(JsonBodyProperty.Find(Body, root, "id").IsString(Body, "1"));
    }

    [Fact]
    public void A_repeated_name_is_reported_with_its_last_value()
    {
        var body = Encoding.UTF8.GetBytes("""{"a":"first","b":0,"a":"last"}""");

        var a = JsonBodyProperty.Find(body, JsonBodyProperty.Root(body), "a");

        Assert.True(a.IsRepeated);
        Assert.True(a.IsString(body, "last"));
        Assert.False(JsonBodyProperty.Find(body, JsonBodyProperty.Root(body), "b").IsRepeated);
    }
}
