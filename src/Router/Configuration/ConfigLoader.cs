using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace GpuRouter.Configuration;

/// <summary>
/// Reads and validates the config. Relative paths, the file's own and those inside it, are taken
/// from the launch directory: the directory the command was started in (the working directory;
/// <c>dotnet run</c> keeps it, see RunWorkingDirectory in Router.csproj).
/// </summary>
public static class ConfigLoader
{
    public static RouterSettings LoadFile(string path, Func<string, string?>? environment = null, string? launchDirectory = null)
    {
        launchDirectory ??= Directory.GetCurrentDirectory();
        var fullPath = Path.GetFullPath(path, launchDirectory);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, [$"cannot read the file: {e.Message}"]);
        }
        return Load(text, path, environment, launchDirectory);
    }

    public static RouterSettings Load(string yaml, string sourceName, Func<string, string?>? environment = null, string? launchDirectory = null)
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
            .Validate(file, sourceName);
    }
}
