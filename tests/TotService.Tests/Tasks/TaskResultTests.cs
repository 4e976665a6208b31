using System.Text.Json;
using System.Text.Json.Nodes;
using TotService.Tasks;

namespace TotService.Tests.Tasks;

public sealed class TaskResultTests
{
    [Fact]
    public void A_created_task_is_written_with_its_fields_at_the_top_level_and_result_type_task()
    {
        var task = TaskResult.From(new JsonObject { ["resultType"] = "complete", ["taskId"] = "run_1", ["status"] = "working", ["ttlMs"] = 5 });

        var json = JsonSerializer.Serialize(task, TaskResult.TypeInfo);

        Assert.Equal("""{"resultType":"task","taskId":"run_1","status":"working","ttlMs":5}""", json);
    }
}
