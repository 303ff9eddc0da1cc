using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace GpuRouter.Gpu;

/// <summary>
/// libnvidia-ml loaded from a path chosen at run time, called through unmanaged function pointers.
/// </summary>
/// <remarks>
/// Not [LibraryImport]: a DllImport resolver binds each entry point once per process, so one
/// process could never load two libraries (tests give every case its own copy of the fake) nor
/// notice a missing library before the first call. Loading by hand also lets us check every
/// export up front and prefer _v3 of the process query while accepting a driver that has only _v2.
/// All signatures are blittable, so no marshalling stubs are needed.
/// </remarks>
internal sealed unsafe class NvmlLibrary : IDisposable
{
    /// <summary>NVML_TEMPERATURE_GPU, the die sensor.</summary>
    private const int TemperatureGpu = 0;

    private readonly nint handle;
    private readonly delegate* unmanaged<NvmlReturn> init;
    private readonly delegate* unmanaged<NvmlReturn> shutdown;
    private readonly delegate* unmanaged<NvmlReturn, byte*> errorString;
    private readonly delegate* unmanaged<uint*, NvmlReturn> getCount;
    private readonly delegate* unmanaged<uint, nint*, NvmlReturn> getHandleByIndex;
    private readonly delegate* unmanaged<nint, byte*, uint, NvmlReturn> getName;
    private readonly delegate* unmanaged<nint, byte*, uint, NvmlReturn> getUuid;
    private readonly delegate* unmanaged<nint, NvmlMemory*, NvmlReturn> getMemoryInfo;
    private readonly delegate* unmanaged<nint, NvmlUtilization*, NvmlReturn> getUtilization;
    private readonly delegate* unmanaged<nint, int, uint*, NvmlReturn> getTemperature;
    private readonly delegate* unmanaged<nint, uint*, NvmlReturn> getPowerUsage;
    private readonly delegate* unmanaged<nint, uint*, NvmlProcessInfo*, NvmlReturn> getProcesses;
    private bool initialized;
    private bool disposed;

    private NvmlLibrary(nint handle, Func<string, nint> export)
    {
        this.handle = handle;
        init = (delegate* unmanaged<NvmlReturn>)export("nvmlInit_v2");
        shutdown = (delegate* unmanaged<NvmlReturn>)export("nvmlShutdown");
        errorString = (delegate* unmanaged<NvmlReturn, byte*>)export("nvmlErrorString");
        getCount = (delegate* unmanaged<uint*, NvmlReturn>)export("nvmlDeviceGetCount_v2");
        getHandleByIndex = (delegate* unmanaged<uint, nint*, NvmlReturn>)export("nvmlDeviceGetHandleByIndex_v2");
        getName = (delegate* unmanaged<nint, byte*, uint, NvmlReturn>)export("nvmlDeviceGetName");
        getUuid = (delegate* unmanaged<nint, byte*, uint, NvmlReturn>)export("nvmlDeviceGetUUID");
        getMemoryInfo = (delegate* unmanaged<nint, NvmlMemory*, NvmlReturn>)export("nvmlDeviceGetMemoryInfo");
        getUtilization = (delegate* unmanaged<nint, NvmlUtilization*, NvmlReturn>)export("nvmlDeviceGetUtilizationRates");
        getTemperature = (delegate* unmanaged<nint, int, uint*, NvmlReturn>)export("nvmlDeviceGetTemperature");
        getPowerUsage = (delegate* unmanaged<nint, uint*, NvmlReturn>)export("nvmlDeviceGetPowerUsage");
        getProcesses = (delegate* unmanaged<nint, uint*, NvmlProcessInfo*, NvmlReturn>)export(
            NativeLibrary.TryGetExport(handle, "nvmlDeviceGetComputeRunningProcesses_v3", out _)
                ? "nvmlDeviceGetComputeRunningProcesses_v3"
                : "nvmlDeviceGetComputeRunningProcesses_v2");
    }

    /// <summary>Loads the library and resolves every entry point; a failure is a message, not an exception.</summary>
    public static bool TryLoad(string library, [NotNullWhen(true)] out NvmlLibrary? nvml, [NotNullWhen(false)] out string? error)
    {
        nvml = null;
        nint handle;
        try
        {
            handle = NativeLibrary.Load(library);
        }
        catch (DllNotFoundException ex)
        {
            error = ex.Message;
            return false;
        }

        string? missing = null;
        nint Export(string name)
        {
            if (NativeLibrary.TryGetExport(handle, name, out var address))
            {
                return address;
            }

            missing ??= name;
            return 0;
        }

        var loaded = new NvmlLibrary(handle, Export);
        if (missing is not null)
        {
            NativeLibrary.Free(handle);
            error = $"{library} has no export {missing}";
            return false;
        }

        nvml = loaded;
        error = null;
        return true;
    }

    public NvmlReturn Init()
    {
        var rc = init();
        initialized |= rc == NvmlReturn.Success;
        return rc;
    }

    /// <summary>nvmlErrorString: NVML's own words for a code, e.g. "GPU is lost".</summary>
    public string ErrorString(NvmlReturn code)
    {
        var text = errorString(code);
        return text is null ? $"NVML error {(int)code}" : Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
    }

    public NvmlReturn GetCount(out uint count)
    {
        uint value = 0;
        var rc = getCount(&value);
        count = value;
        return rc;
    }

    public NvmlReturn GetHandleByIndex(uint index, out nint device)
    {
        nint value = 0;
        var rc = getHandleByIndex(index, &value);
        device = value;
        return rc;
    }

    public NvmlReturn GetName(nint device, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            return getName(device, p, (uint)buffer.Length);
        }
    }

    public NvmlReturn GetUuid(nint device, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            return getUuid(device, p, (uint)buffer.Length);
        }
    }

    public NvmlReturn GetMemoryInfo(nint device, out NvmlMemory memory)
    {
        NvmlMemory value = default;
        var rc = getMemoryInfo(device, &value);
        memory = value;
        return rc;
    }

    public NvmlReturn GetUtilizationRates(nint device, out NvmlUtilization utilization)
    {
        NvmlUtilization value = default;
        var rc = getUtilization(device, &value);
        utilization = value;
        return rc;
    }

    public NvmlReturn GetTemperature(nint device, out uint celsius)
    {
        uint value = 0;
        var rc = getTemperature(device, TemperatureGpu, &value);
        celsius = value;
        return rc;
    }

    public NvmlReturn GetPowerUsage(nint device, out uint milliwatts)
    {
        uint value = 0;
        var rc = getPowerUsage(device, &value);
        milliwatts = value;
        return rc;
    }

    /// <summary>On entry <paramref name="count"/> is the buffer's capacity; on return, what NVML wrote or needs.</summary>
    public NvmlReturn GetComputeRunningProcesses(nint device, ref uint count, Span<NvmlProcessInfo> buffer)
    {
        fixed (NvmlProcessInfo* p = buffer)
        fixed (uint* c = &count)
        {
            return getProcesses(device, c, p);
        }
    }

    /// <summary>Shuts NVML down and unloads the library; the caller makes sure no call is under way.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (initialized)
        {
            shutdown();
        }

        NativeLibrary.Free(handle);
    }
}
