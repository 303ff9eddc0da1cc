using System.Text.Json;
using GpuRouter.Configuration;
using GpuRouter.Hosting;

namespace GpuRouter.Cli;

/// <summary>
/// <c>gpu-router check-config FILE [--env-file FILE]</c>: the router's own start-up loading and
/// validation, the checks beyond the file included (the model memory check), without starting
/// anything. Every problem at once on stderr and exit code 2, as the daemon would exit; the notes
/// (a check skipped and why, each instance's memory arithmetic) on stdout.
/// </summary>
internal static class CheckConfigCommand
{
    public static Task<int> RunAsync(CliCall call)
    {
        var path = call.Args[0];
        var environment = call.Context.Environment;
        if (call.Option("--env-file") is { } envFile)
        {
            // As systemd's EnvironmentFile= gives the service its keys; the shell's variables fill the rest.
            if (EnvFile.TryRead(envFile, out var error) is not { } values)
                return Task.FromResult(call.UsageError($"cannot read --env-file {envFile}: {error}"));
            environment = name => values.GetValueOrDefault(name) ?? call.Context.Environment(name);
        }
        IReadOnlyList<string> errors = [];
        RouterConfig? config = null;
        try
        {
            config = Load(path, environment);
        }
        catch (ConfigException e)
        {
            errors = e.Errors;
        }
        var notes = config?.Notes ?? [];
        if (call.Json)
            call.Out.WriteLine(JsonSerializer.Serialize(new { file = path, valid = config is not null, errors, notes }));
        else
            Write(call, path, config, errors, notes);
        return Task.FromResult(config is null ? ExitCodes.Usage : ExitCodes.Ok);
    }

    /// <summary>The one call into the router's loader: the same file reading, validation and checks as start-up.</summary>
    private static RouterConfig Load(string path, Func<string, string?> environment) =>
        ConfigLoader.LoadFile(path, environment, RouterHostingExtensions.StartupChecks);

    private static void Write(CliCall call, string path, RouterConfig? config, IReadOnlyList<string> errors, IReadOnlyList<string> notes)
    {
        foreach (var note in notes) call.Out.WriteLine($"note: {note}");
        if (config is null)
        {
            call.Context.Error.WriteLine($"{path}: invalid, {errors.Count} {(errors.Count == 1 ? "problem" : "problems")}:");
            foreach (var error in errors) call.Context.Error.WriteLine($"  - {error}");
            return;
        }
        call.Out.WriteLine($"{path}: valid: {config.Models.Count} models, {config.Instances.Count()} instances, "
            + $"{config.Clients.Count} clients, {config.Gpus.Count} GPUs.");
    }
}
