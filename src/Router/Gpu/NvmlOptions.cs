using System.ComponentModel.DataAnnotations;

namespace GpuRouter.Gpu;

/// <summary>The <c>nvml</c> section of the config.</summary>
public sealed class NvmlOptions
{
    /// <summary>A library name resolved by the loader, or a path. Missing: GPU telemetry is off.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Library { get; set; } = "libnvidia-ml.so.1";

    /// <summary>How often the background poll reads every GPU.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
