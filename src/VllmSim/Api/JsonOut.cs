using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VllmSim.Api;

/// <summary>Writers straight onto the response pipe: no intermediate strings or DOM.</summary>
internal static class JsonOut
{
    public const string JsonContentType = "application/json";
    public const string EventStreamContentType = "text/event-stream; charset=utf-8";

    // Raw UTF-8 as pydantic writes it; the writer trusts our own well-formed calls.
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static Utf8JsonWriter Writer(PipeWriter pipe) => new(pipe, Options);

    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N");
}
