namespace GpuRouter.Cli;

/// <summary><c>gpu-router gpus</c>: GET /admin/gpus, which reads NVML afresh; the hosts first when the router has remote ones.</summary>
internal static class GpusCommand
{
    public static Task<int> RunAsync(CliCall call) =>
        AdminCommand.ShowAsync(call, admin => admin.GetAsync("/admin/gpus"),
            body =>
            {
                HostTable.Write(call.Out, body, call.Context.Time);
                GpuTable.Write(call.Out, body.Items("gpus"), detailed: true);
            });
}
