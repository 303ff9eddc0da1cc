using System.Collections.Frozen;
using System.Text.Json;
using GpuRouter.Configuration;
using GpuRouter.Http;
using GpuRouter.Schedule;

namespace GpuRouter.Routing;

/// <summary>
/// Which model names the router answers to in each mode, and the /v1/models body for each mode,
/// written once at start-up so the listing never waits on a backend.
/// </summary>
public sealed class ModelCatalog
{
    private readonly FrozenDictionary<string, ModelDefinition> _models;
    private readonly ModelDefinition? _nightFallback;
    private readonly byte[] _dayListing;
    private readonly byte[] _nightListing;

    public ModelCatalog(RouterSettings settings, TimeProvider time)
    {
        _models = settings.Models.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
        KnownNames = _models.Keys.ToFrozenSet(StringComparer.Ordinal);
        _nightFallback = settings.Schedule.NightFallback is { } f ? _models.GetValueOrDefault(f) : null;
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        _dayListing = Listing(Names(ModelMode.Day), created);
        _nightListing = Listing(Names(ModelMode.Night), created);
    }

    /// <summary>Every configured name: the scanner returns these string instances instead of allocating.</summary>
    public FrozenSet<string> KnownNames { get; }

    public ReadOnlyMemory<byte> ListingFor(ModelMode mode) => mode == ModelMode.Night ? _nightListing : _dayListing;

    /// <summary>The model names served in a mode, in config order.</summary>
    public IReadOnlyList<string> Names(ModelMode mode) =>
        [.. _models.Values.Where(m => m.ServesIn(mode) || (mode == ModelMode.Night && _nightFallback is not null && m.Mode == ModelMode.Day))
            .Select(m => m.Name)];

    /// <summary>
    /// The model that serves <paramref name="requested"/> now: itself, the night fallback for a day
    /// model at night, or an error (unknown: 404; not served in this mode: 503 until the switch).
    /// </summary>
    public ModelResolution Resolve(string requested, ModelMode mode, DateTimeOffset? nextSwitch, DateTimeOffset now)
    {
        if (!_models.TryGetValue(requested, out var model))
        {
            return new(null, false, RouterError.ModelNotFound(
                $"The model '{requested}' does not exist. Available now: {string.Join(", ", Names(mode))}."));
        }
        if (model.ServesIn(mode)) return new(model, false, null);
        if (mode == ModelMode.Night && _nightFallback is not null) return new(_nightFallback, true, null);
        var wait = nextSwitch is { } at && at > now ? at - now : TimeSpan.FromMinutes(5);
        var when = nextSwitch is { } next ? $" It returns at {next:yyyy-MM-dd HH:mm} UTC." : "";
        return new(null, false, RouterError.Unavailable("model_not_served_now",
            $"The model '{requested}' is served in {model.Mode.ToString().ToLowerInvariant()} mode; the router is in {mode.ToString().ToLowerInvariant()} mode.{when} Available now: {string.Join(", ", Names(mode))}.",
            wait));
    }

    private byte[] Listing(IReadOnlyList<string> names, long created)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (var name in names)
            {
                var model = _models[name];
                json.WriteStartObject();
                json.WriteString("id", name);
                json.WriteString("object", "model");
                json.WriteNumber("created", created);
                json.WriteString("owned_by", "gpu-router");
                var maxLen = model.Instances.Max(i => i.MaxModelLen);
                if (maxLen is { } len) json.WriteNumber("max_model_len", len);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }
}

public readonly record struct ModelResolution(ModelDefinition? Model, bool IsFallback, RouterError? Error);
