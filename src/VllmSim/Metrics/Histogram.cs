using System.Globalization;
using System.Text;

namespace VllmSim.Metrics;

/// <summary>A Prometheus histogram with fixed upper bounds, safe for concurrent observers.</summary>
internal sealed class Histogram(string name, string help, double[] bounds)
{
    private readonly long[] counts = new long[bounds.Length + 1];
    private readonly Lock sumGate = new();
    private double sum;
    private long count;

    public void Observe(double seconds)
    {
        var bucket = 0;
        while (bucket < bounds.Length && seconds > bounds[bucket])
        {
            bucket++;
        }
        Interlocked.Increment(ref counts[bucket]);
        lock (sumGate)
        {
            sum += seconds;
            count++;
        }
    }

    public void WriteTo(StringBuilder text, string labels)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" histogram\n");
        long cumulative = 0;
        for (var i = 0; i <= bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref counts[i]);
            var le = i < bounds.Length ? bounds[i].ToString("0.0##", CultureInfo.InvariantCulture) : "+Inf";
            text.Append(name).Append("_bucket{").Append(labels).Append(",le=\"").Append(le).Append("\"} ")
                .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        double total;
        long observed;
        lock (sumGate)
        {
            total = sum;
            observed = count;
        }
        text.Append(name).Append("_count{").Append(labels).Append("} ").Append(observed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(name).Append("_sum{").Append(labels).Append("} ").Append(total.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
