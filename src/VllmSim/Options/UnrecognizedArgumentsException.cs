namespace VllmSim.Options;

/// <summary>
/// Arguments vLLM's parser does not know (such as <c>--task</c>, removed in vLLM 0.13): vLLM prints
/// its usage line and <c>vllm: error: unrecognized arguments: ...</c> and exits with 2.
/// </summary>
public sealed class UnrecognizedArgumentsException(IReadOnlyList<string> arguments)
    : ArgumentException("unrecognized arguments: " + string.Join(' ', arguments))
{
    public const string VllmUsage = "usage: vllm [-h] [-v] {chat,complete,serve,bench,collect-env,run-batch} ...";

    /// <summary>The two lines vLLM writes to stderr.</summary>
    public string VllmText => $"{VllmUsage}{Environment.NewLine}vllm: error: {Message}";
}
