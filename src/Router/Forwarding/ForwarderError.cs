namespace GpuRouter.Forwarding;

/// <summary>How a forward went wrong; mapped to a status or an error frame in one place (the request pipeline's ForwardErrors).</summary>
public enum ForwarderError
{
    None,

    /// <summary>The backend refused or reset the connection before it sent headers.</summary>
    Connect,

    /// <summary>The backend sent no headers within the idle timeout.</summary>
    RequestTimedOut,

    /// <summary>The client went away; the upstream request was cancelled.</summary>
    ClientCanceled,

    /// <summary>The backend went silent mid-body for longer than the idle timeout.</summary>
    ResponseBodyIdle,

    /// <summary>The backend failed mid-body (closed, reset, died).</summary>
    ResponseBodyUpstream,

    /// <summary>Writing to the client failed.</summary>
    ResponseBodyClient,

    /// <summary>
    /// The client already had a 200 event stream (loading feedback) when the backend answered with
    /// an error status; the backend's body is in the result's detail.
    /// </summary>
    BackendErrorInStream,
}
