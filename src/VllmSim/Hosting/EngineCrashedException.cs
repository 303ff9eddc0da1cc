namespace VllmSim.Hosting;

/// <summary>
/// Ends the handler of the crash victim once its response has started. Kestrel then closes the
/// connection as the kernel closes a dead process's socket: what was written still arrives, the
/// stream ends without its last chunk, and the close is a FIN. An abort would send a reset, and a
/// reset makes the client's TCP stack drop whatever it had not read yet, headers included.
/// </summary>
internal sealed class EngineCrashedException() : Exception("the engine died with this request");
