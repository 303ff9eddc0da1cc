namespace VllmSim.Engine;

/// <summary>
/// Deterministic embeddings: a unit vector drawn from a generator seeded by the input's hash.
/// Equal inputs give equal vectors; different inputs give nearly orthogonal ones.
/// </summary>
internal static class Embedder
{
    public static float[] Embed(string input, int dimensions)
    {
        var vector = new float[dimensions];
        var state = StableHash.Of(input, 0x5eed);
        double norm = 0;
        for (var i = 0; i < dimensions; i++)
        {
            state = StableHash.Mix(state + 0x9e3779b97f4a7c15);
            // Uniform in [-1, 1): enough spread for cosine similarity to behave.
            var value = (float)((state >> 11) * (1.0 / (1UL << 53)) * 2 - 1);
            vector[i] = value;
            norm += value * value;
        }
        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] *= scale;
        }
        return vector;
    }
}
