using System.Text;

namespace GpuRouter.Benchmarks;

/// <summary>
/// Open WebUI-shaped chat bodies of a given size: a system prompt and alternating turns of
/// English prose with newlines, quotes and the odd \u escape, as a Python client sends them.
/// </summary>
internal static class ChatBodies
{
    private const string Turn =
        "Sure. The gate keeps each instance within its limit; a request that cannot enter waits in a queue "
        + "ordered by priority, then arrival.\\nReleased slots go straight to the head waiter, so \\\"barging\\\" "
        + "is impossible. Caf\\u00e9 owners ask about it too \\ud83d\\ude42. ";

    public static byte[] Create(int targetBytes)
    {
        var builder = new StringBuilder(targetBytes + 512);
        builder.Append("{\"model\":\"llama\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[")
            .Append("{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"}");
        for (var turn = 0; builder.Length < targetBytes - 64; turn++)
        {
            var room = targetBytes - 64 - builder.Length;
            var repeats = Math.Clamp(room / Turn.Length, 1, 4);
            builder.Append(",{\"role\":\"").Append(turn % 2 == 0 ? "user" : "assistant").Append("\",\"content\":\"");
            for (var i = 0; i < repeats; i++)
            {
                builder.Append(Turn);
            }

            builder.Append("\"}");
        }

        return Encoding.UTF8.GetBytes(builder.Append("],\"temperature\":0.7}").ToString());
    }
}
