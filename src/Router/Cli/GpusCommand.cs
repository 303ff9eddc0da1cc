namespace GpuRouter.Cli;

/// <summary><c>gpu-router gpus</c>: GET /admin/gpus, which reads NVML afresh.</summary>
internal static class GpusCommand
{
    public static Task<int> RunAsync(CliCall call) =>
        AdminCommand.ShowAsync(call, admin => admin.GetAsync("/admin/gpus"),
            body => GpuTable.Write(call.Out, body.Items("gpus"), detailed: true));
}
