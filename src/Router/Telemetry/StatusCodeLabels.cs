using System.Globalization;

namespace GpuRouter.Telemetry;

/// <summary>Status codes as label strings, formatted once each so recording a request allocates nothing.</summary>
internal static class StatusCodeLabels
{
    private static readonly string?[] Cache = new string?[1000];

    public static string Get(int status)
    {
        if ((uint)status >= (uint)Cache.Length)
        {
            return status.ToString(CultureInfo.InvariantCulture);
        }

        // A race formats the same string twice; either copy is right.
        return Volatile.Read(ref Cache[status]) ?? (Cache[status] = status.ToString(CultureInfo.InvariantCulture));
    }
}
