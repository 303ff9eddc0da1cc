using System.Buffers;
using System.Globalization;
using System.Text;

namespace GpuRouter.Telemetry;

/// <summary>Writes the Prometheus text format 0.0.4 as UTF-8 into a buffer writer.</summary>
internal sealed class ExpositionWriter(IBufferWriter<byte> output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // A double in its shortest round-trip form, or a long, fits easily.
    private const int NumberSpace = 32;

    public void WriteHeader(string name, string help, MetricType type)
    {
        WriteAscii("# HELP ");
        WriteAscii(name);
        WriteByte((byte)' ');
        WriteEscaped(help, escapeQuotes: false);
        WriteAscii("\n# TYPE ");
        WriteAscii(name);
        WriteAscii(type switch
        {
            MetricType.Counter => " counter\n",
            MetricType.Gauge => " gauge\n",
            _ => " histogram\n",
        });
    }

    public void WriteSample(string name, string suffix, IReadOnlyList<string> labelNames, in LabelValues values, double value)
    {
        WriteSeries(name, suffix, labelNames, values);
        WriteNumber(value);
        WriteByte((byte)'\n');
    }

    public void WriteCount(string name, string suffix, IReadOnlyList<string> labelNames, in LabelValues values, long count)
    {
        WriteSeries(name, suffix, labelNames, values);
        var span = output.GetSpan(NumberSpace);
        count.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
        WriteByte((byte)'\n');
    }

    /// <summary>One <c>_bucket</c> line; <c>le</c> comes after the family's own labels.</summary>
    public void WriteBucket(string name, IReadOnlyList<string> labelNames, in LabelValues values, double upperBound, long count)
    {
        WriteAscii(name);
        WriteAscii("_bucket{");
        for (var i = 0; i < values.Count; i++)
        {
            WriteLabel(labelNames[i], values[i]);
            WriteByte((byte)',');
        }

        WriteAscii("le=\"");
        WriteNumber(upperBound);
        WriteAscii("\"} ");
        var span = output.GetSpan(NumberSpace);
        count.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
        WriteByte((byte)'\n');
    }

    private void WriteSeries(string name, string suffix, IReadOnlyList<string> labelNames, in LabelValues values)
    {
        WriteAscii(name);
        WriteAscii(suffix);
        if (values.Count > 0)
        {
            WriteByte((byte)'{');
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    WriteByte((byte)',');
                }

                WriteLabel(labelNames[i], values[i]);
            }

            WriteByte((byte)'}');
        }

        WriteByte((byte)' ');
    }

    private void WriteLabel(string name, string value)
    {
        WriteAscii(name);
        WriteAscii("=\"");
        WriteEscaped(value, escapeQuotes: true);
        WriteByte((byte)'"');
    }

    private void WriteNumber(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            WriteAscii("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            WriteAscii("-Inf");
        }
        else if (double.IsNaN(value))
        {
            WriteAscii("NaN");
        }
        else
        {
            // .NET's default format is the shortest string that round-trips, which Go's ParseFloat reads.
            var span = output.GetSpan(NumberSpace);
            value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
            output.Advance(written);
        }
    }

    /// <summary>Label values escape \, " and newline; HELP text escapes only \ and newline.</summary>
    private void WriteEscaped(string text, bool escapeQuotes)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var escape = text[i] switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '"' when escapeQuotes => "\\\"",
                _ => null,
            };
            if (escape is not null)
            {
                WriteUtf8(text.AsSpan(start, i - start));
                WriteAscii(escape);
                start = i + 1;
            }
        }

        WriteUtf8(text.AsSpan(start));
    }

    private void WriteUtf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private void WriteAscii(string text) => WriteUtf8(text);

    private void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}
