using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GpuRouter.Docker;

/// <summary>
/// A response whose body has not been read yet, with the call that bounds its reading.
/// Body reads go through <see cref="ReadAsync{T}"/> so a dropped connection or a timeout
/// surfaces as <see cref="DockerUnavailableException"/> like a failed send does.
/// </summary>
internal sealed class DockerResponse(HttpResponseMessage message, DockerCall call) : IDisposable
{
    public HttpStatusCode StatusCode => message.StatusCode;

    public HttpContentHeaders ContentHeaders => message.Content.Headers;

    public DockerCall Call => call;

    public Task<T> ReadJsonAsync<T>(JsonTypeInfo<T> typeInfo)
        where T : class =>
        ReadAsync(async (stream, token) =>
            await JsonSerializer.DeserializeAsync(stream, typeInfo, token)
            ?? throw new InvalidDataException($"The Docker daemon answered {call.Description} with a null body."));

    public async Task<T> ReadAsync<T>(Func<Stream, CancellationToken, Task<T>> read)
    {
        try
        {
            var stream = await message.Content.ReadAsStreamAsync(call.Token);
            return await read(stream, call.Token);
        }
        catch (Exception exception) when (call.Translate(exception) is { } unavailable)
        {
            throw unavailable;
        }
    }

    /// <summary>Throws <see cref="DockerApiException"/> with the daemon's message unless the status is 2xx.</summary>
    public async Task EnsureSuccessAsync()
    {
        if (!message.IsSuccessStatusCode)
        {
            throw await ReadErrorAsync();
        }
    }

    public async Task<DockerApiException> ReadErrorAsync()
    {
        var text = await ReadAsync(async (stream, token) =>
        {
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(token);
        });
        return new DockerApiException(StatusCode, DaemonMessage(text), call.Description);
    }

    public void Dispose()
    {
        message.Dispose();
        call.Dispose();
    }

    private string DaemonMessage(string body)
    {
        try
        {
            if (JsonSerializer.Deserialize(body, DockerJsonContext.Default.DockerErrorResponse)?.Message is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Proxies and very old daemons answer in plain text; that text is the message.
        }

        var trimmed = body.Trim();
        return trimmed.Length > 0 ? trimmed : message.ReasonPhrase ?? StatusCode.ToString();
    }
}
