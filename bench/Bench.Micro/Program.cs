using BenchmarkDotNet.Running;

// bash bench/run.sh: dotnet Bench.Micro.dll --filter '*' --job short --inProcess --artifacts bench/.artifacts/micro
BenchmarkSwitcher.FromAssembly(typeof(Bench.Micro.TokenBenchmarks).Assembly).Run(args);
