namespace GpuRouter.Cli;

/// <summary>
/// Where the commands find the admin key, so that they work on the box right after install:
/// $GPU_ROUTER_ADMIN_KEY, else $ROUTER_ADMIN_KEY (the service's own variable), else the
/// ROUTER_ADMIN_KEY= line of the service's environment file when this user may read it (root).
/// </summary>
internal sealed record AdminKey(string? Value, string Source)
{
    public const string DefaultEnvFile = "/etc/gpu-router/env";

    public static AdminKey Find(Func<string, string?> environment)
    {
        foreach (var name in new[] { "GPU_ROUTER_ADMIN_KEY", "ROUTER_ADMIN_KEY" })
        {
            if (environment(name) is { Length: > 0 } value) return new AdminKey(value, "$" + name);
        }
        var file = environment("GPU_ROUTER_ENV_FILE") is { Length: > 0 } named ? named : DefaultEnvFile;
        var values = EnvFile.TryRead(file, out var error);
        if (values?.GetValueOrDefault("ROUTER_ADMIN_KEY") is { Length: > 0 } key) return new AdminKey(key, file);
        var why = values is null ? $"{file}: {error}" : $"{file} has no ROUTER_ADMIN_KEY";
        return new AdminKey(null, why);
    }
}
