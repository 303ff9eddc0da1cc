namespace GpuRouter.Lifecycle;

/// <summary>Hands out the host ports of one engine's containers: an instance keeps its port, an adopted container keeps the one in its label.</summary>
internal interface IHostPorts
{
    ValueTask<int> AllocateAsync(string instance, CancellationToken ct);

    void Adopt(string instance, int port);
}
