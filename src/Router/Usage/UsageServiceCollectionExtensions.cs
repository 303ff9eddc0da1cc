using GpuRouter.Configuration;
using Npgsql;

namespace GpuRouter.Usage;

public static class UsageServiceCollectionExtensions
{
    /// <summary>
    /// In-memory usage totals always; with usage.postgres set, also the writer that stores every
    /// request in PostgreSQL through one <see cref="NpgsqlDataSource"/>.
    /// </summary>
    internal static IServiceCollection AddUsage(this IServiceCollection services, UsageOptions options, TimeZoneInfo timeZone)
    {
        // Registered first so a test's later registration replaces it.
        services.AddSingleton(options);
        services.AddSingleton<UsageTotals>();
        services.AddSingleton(sp => new TokensToday(timeZone, sp.GetRequiredService<TimeProvider>()));
        var persist = options.Postgres is not null;
        services.AddSingleton(sp => new UsageRecorder(
            sp.GetRequiredService<UsageTotals>(), sp.GetRequiredService<UsageOptions>(), persist, sp.GetRequiredService<TokensToday>()));
        if (options.Postgres is not { } connectionString) return services;

        var builder = ParseConnectionString(connectionString);
        // Without the router's logger factory: Npgsql logs every command at Information, a line
        // per batch. UsageWriter logs what an operator needs (failures, recovery, drops).
        services.AddSingleton(_ => NpgsqlDataSource.Create(builder));
        services.AddSingleton(sp => new PendingEvents(sp.GetRequiredService<UsageOptions>().MaxBuffered));
        services.AddSingleton(sp => new UsageMigrator(sp.GetRequiredService<NpgsqlDataSource>(), UsageMigrations.Load()));
        services.AddSingleton<UsageStore>();
        services.AddSingleton<UsageStatus>();
        services.AddHostedService<UsageWriter>();
        services.AddHostedService<TokensTodayLoader>();
        services.AddSingleton<UsageQuery>();
        return services;
    }

    // Checked at start-up so a typo fails there, naming the key, not later in the background.
    private static NpgsqlConnectionStringBuilder ParseConnectionString(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException("usage.postgres", [$"usage.postgres is not a valid Npgsql connection string: {e.Message}"]);
        }
        // Names the router in pg_stat_activity unless the operator chose a name.
        builder.ApplicationName ??= "gpu-router";
        return builder;
    }
}
