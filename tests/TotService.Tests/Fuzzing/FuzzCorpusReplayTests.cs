using TotService.Fuzz;

namespace TotService.Tests.Fuzzing;

/// <summary>Every input in the fuzz corpus (seeds and what fuzzing kept) is replayed: none may throw.</summary>
public sealed class FuzzCorpusReplayTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "FuzzCorpus");

    public static TheoryData<string> CorpusFiles()
    {
        var files = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(CorpusDirectory).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetFileName(path));
        }
        return files;
    }

    [Fact]
    public void The_corpus_is_there()
    {
        Assert.True(Directory.EnumerateFiles(CorpusDirectory).Count() >= 6, $"corpus missing from {CorpusDirectory}");
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void A_corpus_input_is_handled_without_an_exception(string file)
    {
        RequestParsingTarget.Run(File.ReadAllBytes(Path.Combine(CorpusDirectory, file)));
    }
}
