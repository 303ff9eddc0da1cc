using System.Globalization;
using System.Reflection;

namespace GpuRouter.Usage;

/// <summary>Loads Migrations/NNN_name.sql, embedded by Router.csproj as "usage-migrations/NNN_name.sql".</summary>
internal static class UsageMigrations
{
    private const string Prefix = "usage-migrations/";

    public static IReadOnlyList<UsageMigration> Load() => Load(typeof(UsageMigrations).Assembly);

    public static IReadOnlyList<UsageMigration> Load(Assembly assembly)
    {
        var migrations = new List<UsageMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var name = resource[Prefix.Length..^".sql".Length];
            var digits = name.IndexOf('_', StringComparison.Ordinal);
            // A misnamed file is a build mistake; failing loudly beats skipping a schema change.
            if (digits <= 0 || !int.TryParse(name.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"Usage migration '{resource}' must be named NNN_description.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new UsageMigration(version, name, reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
                throw new InvalidOperationException($"Two usage migrations share version {migrations[i].Version}.");
        }
        return migrations;
    }
}
