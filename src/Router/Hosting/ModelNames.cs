using GpuRouter.Instances;

namespace GpuRouter.Hosting;

/// <summary>
/// The names clients may send: every model's name and aliases must be unique across the file, and
/// a client's <c>models</c> scope may only name them. Every clash is reported at once, naming its key.
/// </summary>
internal static class ModelNames
{
    public static void CheckAliases(IReadOnlyList<ModelDefinition> models, List<string> errors)
    {
        // Where each name is declared; names first, so an alias clashing with a later model's name is found too.
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < models.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(models[i].Name)) declared.TryAdd(models[i].Name, $"the name of models[{i}]");
        }
        for (var i = 0; i < models.Count; i++)
        {
            var aliases = models[i].Aliases;
            for (var j = 0; j < aliases.Count; j++)
            {
                var key = $"models[{i}].aliases[{j}]";
                var alias = aliases[j];
                if (string.IsNullOrWhiteSpace(alias)) errors.Add($"{key}: is empty");
                else if (alias == models[i].Name) errors.Add($"{key}: '{alias}' is the model's own name");
                else if (declared.TryGetValue(alias, out var owner)) errors.Add($"{key}: '{alias}' is already {owner}");
                else declared[alias] = key;
            }
        }
    }

    public static void CheckScopes(IReadOnlyList<ClientSection> clients, IReadOnlyList<ModelDefinition> models, List<string> errors)
    {
        var known = new HashSet<string>(models.Select(m => m.Name).Concat(models.SelectMany(m => m.Aliases)), StringComparer.Ordinal);
        for (var i = 0; i < clients.Count; i++)
        {
            if (clients[i].Models is not { } scope) continue;
            if (scope.Count == 0) errors.Add($"clients[{i}].models: an empty list allows no model; leave the key out to allow every model");
            for (var j = 0; j < scope.Count; j++)
            {
                if (!known.Contains(scope[j] ?? ""))
                    errors.Add($"clients[{i}].models[{j}]: '{scope[j]}' is not a model name or alias in models");
            }
        }
    }
}
