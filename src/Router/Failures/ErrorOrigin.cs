namespace GpuRouter.Failures;

/// <summary>Which side failed: the router itself (or the caller's request), or the model backend.</summary>
public enum ErrorOrigin { Router, Backend }
