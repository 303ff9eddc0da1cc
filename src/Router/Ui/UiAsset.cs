namespace GpuRouter.Ui;

/// <summary>One file of the status page: its bytes, type and entity tag.</summary>
internal sealed record UiAsset(byte[] Content, string ContentType, string ETag);
