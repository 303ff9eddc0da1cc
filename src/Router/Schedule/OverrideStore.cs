using System.Text.Json;

namespace GpuRouter.Schedule;

/// <summary>Keeps the admin override in a small file under state.dir so it survives a restart.</summary>
internal sealed partial class OverrideStore(string stateDir, ILogger<OverrideStore> logger)
{
    private string FilePath => Path.Combine(stateDir, "mode-override.json");

    public ModeOverride Load()
    {
        try
        {
            if (!File.Exists(FilePath)) return ModeOverride.Auto;
            using var doc = JsonDocument.Parse(File.ReadAllText(FilePath));
            var text = doc.RootElement.GetProperty("override").GetString();
            return Enum.TryParse<ModeOverride>(text, ignoreCase: true, out var value) ? value : ModeOverride.Auto;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            LogUnreadable(logger, FilePath, e.Message);
            return ModeOverride.Auto;
        }
    }

    public void Save(ModeOverride value)
    {
        Directory.CreateDirectory(stateDir);
        var temp = FilePath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new Dictionary<string, string> { ["override"] = value.ToString().ToLowerInvariant() }));
        // Rename is atomic: a crash mid-write leaves the old file, never half a file.
        File.Move(temp, FilePath, overwrite: true);
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Ignoring unreadable override file {Path}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}
