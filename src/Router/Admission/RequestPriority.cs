namespace GpuRouter.Admission;

/// <summary>
/// Who waits first when an instance is full. Lower values are served first; Open WebUI's
/// background tasks (titles, tags, follow-ups) rank below n8n batch work because nobody is
/// watching them.
/// </summary>
public enum RequestPriority
{
    Interactive = 0,
    Batch = 1,
    Background = 2,
}
