using GpuRouter.Instances;
using GpuRouter.Security;
using System.Collections.Frozen;
using System.Text.Json;
using GpuRouter.Configuration;
using GpuRouter.Failures;

namespace GpuRouter.Routing;

/// <summary>
/// Which model names the router answers to in each mode, and the /v1/models body for each mode,
/// written once at start-up so the listing never waits on a backend.
/// </summary>
public sealed class ModelCatalog
{
    // Names and aliases, each to its model.
    private readonly FrozenDictionary<string, ModelDefinition> _models;
    private readonly IReadOnlyList<ModelDefinition> _ordered;
    private readonly ModelDefinition? _nightFallback;
    private readonly long _created;
    private readonly byte[] _dayListing;
    private readonly byte[] _nightListing;
    private readonly FrozenDictionary<string, ClientScope> _scopes;

    /// <summary>How long a client waits when an operator holds the mode: nobody can say when it changes.</summary>
    private static readonly TimeSpan HeldRetry = TimeSpan.FromMinutes(5);

    public ModelCatalog(ModelsOptions models, RoutingOptions routing, IReadOnlyList<ClientDefinition> clients, TimeProvider time)
    {
        _ordered = models.Models;
        _models = models.Models
            .SelectMany(m => m.Aliases.Select(a => (Name: a, Model: m)).Prepend((Name: m.Name, Model: m)))
            .ToFrozenDictionary(x => x.Name, x => x.Model, StringComparer.Ordinal);
        KnownNames = _models.Keys.ToFrozenSet(StringComparer.Ordinal);
        _nightFallback = routing.NightFallback is { } f ? _models.GetValueOrDefault(f) : null;
        _created = time.GetUtcNow().ToUnixTimeSeconds();
        _dayListing = Listing(Names(ModelMode.Day));
        _nightListing = Listing(Names(ModelMode.Night));
        _scopes = clients.Where(c => c.Models is not null)
            .ToFrozenDictionary(c => c.Name, c => Scope(c.Models!), StringComparer.Ordinal);
    }

    /// <summary>Every configured name and alias: the scanner returns these string instances instead of allocating.</summary>
    public FrozenSet<string> KnownNames { get; }

    public ReadOnlyMemory<byte> ListingFor(ModelMode mode) => mode == ModelMode.Night ? _nightListing : _dayListing;

    /// <summary>The /v1/models body for a client: only the names its <c>models</c> scope allows.</summary>
    public ReadOnlyMemory<byte> ListingFor(ModelMode mode, string client) =>
        _scopes.TryGetValue(client, out var scope) ? (mode == ModelMode.Night ? scope.NightListing : scope.DayListing) : ListingFor(mode);

    /// <summary>
    /// The names served in a mode, in config order, each model followed by its aliases (at night:
    /// also the day names the fallback stands in for); only those a scoped client may send.
    /// </summary>
    public IReadOnlyList<string> Names(ModelMode mode, string? client = null)
    {
        var scope = client is not null && _scopes.TryGetValue(client, out var s) ? s.Allowed : null;
        return
        [
            .. _ordered.Where(m => m.ServesIn(mode) || FallbackFor(m, mode) is not null)
                .SelectMany(m => m.Aliases.Prepend(m.Name))
                .Where(n => scope is null || scope.Contains(n)),
        ];
    }

    /// <summary>The names a scoped client may send (a model name brings its aliases); null when it may send any.</summary>
    public IReadOnlyCollection<string>? AllowedNames(string client) => _scopes.TryGetValue(client, out var s) ? s.Allowed : null;

    /// <summary>
    /// The model that serves <paramref name="requested"/> now: itself, the night fallback for a day
    /// model of the fallback's kind at night, or an error (unknown: 404; not served in this mode:
    /// 503 until the next switch, or for 5 minutes while an operator holds the mode).
    /// </summary>
    /// <param name="nextSwitch">When the schedule next changes the mode; null when unknown or held.</param>
    /// <param name="heldByOperator">An override pins the mode: no scheduled switch will bring the model back.</param>
    /// <param name="client">The caller: a key with a <c>models</c> scope may only name what it allows (403 <c>model_not_allowed</c>).</param>
    public ModelResolution Resolve(
        string requested, ModelMode mode, DateTimeOffset? nextSwitch, DateTimeOffset now, bool heldByOperator = false, string? client = null)
    {
        var known = _models.TryGetValue(requested, out var model);
        // The scope is on the name the client sends: an allowed day name may still be served by the night fallback.
        if (client is not null && _scopes.TryGetValue(client, out var scope) && !scope.Allowed.Contains(requested) && known)
        {
            return new(null, false, Failure.ModelNotAllowed(
                $"The key of client '{client}' may not use the model '{requested}'. It may use: {string.Join(", ", scope.Ordered)}."));
        }
        if (!known)
        {
            return new(null, false, Failure.ModelNotFound(
                $"The model '{requested}' does not exist. Available now: {string.Join(", ", Names(mode, client))}."));
        }
        if (model!.ServesIn(mode)) return new(model, false, null, model);
        if (FallbackFor(model, mode) is { } fallback) return new(fallback, true, null, model);
        return new(null, false, NotServedNow(model, mode, nextSwitch, now, heldByOperator, client), model);
    }

    // Only a model of the same kind stands in: an embedding request must not reach a chat model.
    private ModelDefinition? FallbackFor(ModelDefinition model, ModelMode mode) =>
        mode == ModelMode.Night && model.Mode == ModelMode.Day && _nightFallback?.Kind == model.Kind ? _nightFallback : null;

    private Failure NotServedNow(
        ModelDefinition model, ModelMode mode, DateTimeOffset? nextSwitch, DateTimeOffset now, bool heldByOperator, string? client)
    {
        var served = model.Mode.ToString().ToLowerInvariant();
        var current = mode.ToString().ToLowerInvariant();
        var available = $" Available now: {string.Join(", ", Names(mode, client))}.";
        if (heldByOperator || nextSwitch is null)
        {
            var holder = heldByOperator ? "an operator holds the router in" : "the router is in";
            return Failure.Unavailable("model_not_served_now",
                $"The model '{model.Name}' is served in {served} mode; {holder} {current} mode (PUT /admin/mode), so no switch is scheduled.{available}",
                HeldRetry);
        }
        var at = nextSwitch.Value;
        var wait = at > now ? at - now : TimeSpan.FromSeconds(1);
        return Failure.Unavailable("model_not_served_now",
            $"The model '{model.Name}' is served in {served} mode; the router is in {current} mode until {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC (in {Duration.Format(wait)}).{available}",
            wait);
    }

    private ClientScope Scope(IReadOnlyList<string> entries)
    {
        var ordered = entries
            .SelectMany(e => _models.TryGetValue(e, out var m) && m.Name == e ? m.Aliases.Prepend(e) : [e])
            .Distinct(StringComparer.Ordinal).ToList();
        var allowed = ordered.ToFrozenSet(StringComparer.Ordinal);
        return new ClientScope(allowed, ordered,
            Listing([.. Names(ModelMode.Day).Where(allowed.Contains)]),
            Listing([.. Names(ModelMode.Night).Where(allowed.Contains)]));
    }

    private byte[] Listing(IReadOnlyList<string> names)
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
                json.WriteNumber("created", _created);
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

/// <param name="Model">The model that serves the request.</param>
/// <param name="IsFallback">Model is the night fallback standing in for <paramref name="Requested"/>.</param>
/// <param name="Error">Why no model serves it now.</param>
/// <param name="Requested">The configured model the client named, when it exists.</param>
public readonly record struct ModelResolution(ModelDefinition? Model, bool IsFallback, Failure? Error, ModelDefinition? Requested = null);
