using System.Runtime.CompilerServices;

namespace GpuRouter.Telemetry;

/// <summary>Inline storage for a label set, so a lookup key lives on the stack and allocates nothing.</summary>
[InlineArray(LabelValues.MaxLabels)]
internal struct LabelValueArray
{
    private string element;
}
