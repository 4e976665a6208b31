using SharpFuzz;
using TotService.Fuzz;

// Under afl-fuzz (fuzz.sh) each input arrives on stdin; run alone with file arguments, it replays them once.
if (args.Length > 0)
{
    foreach (var path in args)
    {
        RequestParsingTarget.Run(File.ReadAllBytes(path));
    }
    return;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var input = new MemoryStream();
    stream.CopyTo(input);
    RequestParsingTarget.Run(input.ToArray());
});
