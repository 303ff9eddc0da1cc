using GpuRouter.Configuration;
using GpuRouter.Docker;
using GpuRouter.Gpu;
using GpuRouter.Instances;

namespace GpuRouter.Capacity;

/// <summary>
/// The start-up memory check: every started instance whose model's config.json is in the
/// Hugging Face cache must hold the weights, the overhead and maxModelLen tokens of KV cache in
/// its share of the GPU, or the config is refused naming the instance and the numbers (vLLM
/// would otherwise fail minutes into the first start). Instances with <c>skipMemoryCheck</c>,
/// instances on another host, models not downloaded yet and GPUs of unknown size are skipped,
/// each with one note.
/// </summary>
/// <param name="nvmlTotals">Reads NVML's total per GPU index for a library path; null when NVML does not answer.</param>
public sealed class ModelMemoryCheck(Func<string, IReadOnlyDictionary<int, long>?> nvmlTotals)
{
    /// <summary>
    /// CUDA reports a little less than NVML's total (23.69 GiB of an RTX 3090's 24 GiB): the
    /// driver's reserve. vLLM's share is a fraction of CUDA's figure.
    /// </summary>
    public const double CudaVisibleFraction = 0.987;

    /// <summary>Runs on the config valid so far: the models' instances, the GPUs' sizes, the cache the containers mount, NVML.</summary>
    public ConfigCheckResult Check(ModelsOptions models, GpuOptions gpus, DockerOptions docker, NvmlOptions nvml)
    {
        var errors = new List<string>();
        var notes = new List<string>();
        var candidates = models.Instances.Where(i => i.IsManaged && !i.SkipMemoryCheck && i.Model.HfModel is not null).ToList();
        // Another host's weights sit in its own cache, and its GPUs are not the local ones.
        foreach (var remote in candidates.Where(i => i.Host is not null))
            notes.Add($"memory check skipped for {remote.Name}: it runs on host {remote.Host}, whose Hugging Face cache this machine cannot read");
        var instances = candidates.Where(i => i.Host is null).ToList();
        if (instances.Count == 0) return new ConfigCheckResult(errors, notes);
        if (docker.HfCache is not { } cache)
        {
            notes.Add("memory check skipped: docker.hfCache is not set, so the models' config.json cannot be read");
            return new ConfigCheckResult(errors, notes);
        }
        var files = new Dictionary<string, ModelFiles?>(StringComparer.Ordinal);
        var sizes = new GpuSizes(gpus, nvml, nvmlTotals);
        foreach (var instance in instances)
        {
            var model = instance.Model.HfModel!;
            if (!files.TryGetValue(model, out var found))
            {
                // A path is inside the container; where it is on the host, the router cannot know.
                var reason = "hfModel is a path in the container, not a Hugging Face id";
                files[model] = found = model.StartsWith('/') ? null : HfCacheModelFiles.Read(cache, model, out reason);
                if (found is null) notes.Add($"memory check skipped for {model}: {reason}");
            }
            if (found is null) continue;
            if (sizes.Visible(instance.Gpus, notes) is not { } visible) continue;
            var footprint = FootprintEstimator.Estimate(found, [.. instance.Model.Args, .. instance.Args], instance.Gpus.Count, instance.MaxModelLen);
            if (footprint is null)
            {
                notes.Add($"memory check skipped for {instance.Name}: {found.Architecture.Architecture} cannot be sized from its config.json (an architecture the check does not count, with no weight files in the cache, or dimensions kept outside the top level)");
                continue;
            }
            var verdict = MemoryFit.Judge(instance, model, footprint, visible);
            (verdict.Fits ? notes : errors).Add(verdict.Message);
        }
        return new ConfigCheckResult(errors, notes);
    }

    // gpus[].memory wins; else NVML's total, read once and only when some GPU needs it.
    private sealed class GpuSizes(GpuOptions cards, NvmlOptions nvml, Func<string, IReadOnlyDictionary<int, long>?> nvmlTotals)
    {
        private readonly HashSet<int> _reported = [];
        private IReadOnlyDictionary<int, long>? _nvml;
        private bool _nvmlRead;

        public double? Visible(IReadOnlyList<int> gpus, List<string> notes)
        {
            double? smallest = null;
            foreach (var index in gpus)
            {
                if (Total(index) is not { } total)
                {
                    if (_reported.Add(index))
                        notes.Add($"memory check skipped for GPU {index}'s instances: its size is unknown (set gpus[].memory, e.g. 24GiB, or make NVML answer)");
                    return null;
                }
                smallest = Math.Min(smallest ?? double.MaxValue, total * CudaVisibleFraction);
            }
            return smallest;
        }

        private long? Total(int index)
        {
            if (cards.Gpus.FirstOrDefault(g => g.Index == index)?.MemoryBytes is { } configured) return configured;
            if (!_nvmlRead)
            {
                _nvmlRead = true;
                _nvml = nvmlTotals(nvml.Library);
            }
            return _nvml is not null && _nvml.TryGetValue(index, out var total) && total > 0 ? total : null;
        }
    }
}
