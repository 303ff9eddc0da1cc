using GpuRouter.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace GpuRouter.Hosting;

/// <summary>
/// Reads and validates the config. Relative paths, the file's own and those inside it, are taken
/// from the launch directory: the directory the command was started in (the working directory;
/// <c>dotnet run</c> keeps it, see RunWorkingDirectory in Router.csproj).
/// </summary>
internal static class ConfigLoader
{
    /// <param name="path">The YAML file.</param>
    /// <param name="environment">Where keyEnv and ${VAR} references are read; default the process's.</param>
    /// <param name="checks">Further checks (the model memory check) whose errors are reported with the file's.</param>
    /// <param name="launchDirectory">What relative paths are relative to; default the working directory.</param>
    public static RouterConfig LoadFile(
        string path, Func<string, string?>? environment = null, IReadOnlyList<ConfigCheck>? checks = null, string? launchDirectory = null)
    {
        launchDirectory ??= Directory.GetCurrentDirectory();
        string text;
        try
        {
            text = File.ReadAllText(Path.GetFullPath(path, launchDirectory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, [$"cannot read the file: {e.Message}"]);
        }
        return Load(text, path, environment, checks, launchDirectory);
    }

    public static RouterConfig Load(
        string yaml, string sourceName, Func<string, string?>? environment = null, IReadOnlyList<ConfigCheck>? checks = null,
        string? launchDirectory = null)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .Build();
        RouterConfigFile file;
        try
        {
            file = deserializer.Deserialize<RouterConfigFile?>(yaml) ?? new RouterConfigFile();
        }
        catch (YamlException e)
        {
            // YamlDotNet names the unknown key or the bad value and where it stands.
            var inner = e.InnerException?.Message;
            throw new ConfigException(sourceName, [$"line {e.Start.Line}, column {e.Start.Column}: {e.Message}{(inner is null ? "" : " " + inner)}"]);
        }
        return new ConfigValidator(environment ?? Environment.GetEnvironmentVariable, launchDirectory ?? Directory.GetCurrentDirectory())
            .Validate(file, sourceName, checks);
    }
}
