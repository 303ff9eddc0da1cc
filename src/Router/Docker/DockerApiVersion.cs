using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GpuRouter.Docker;

/// <summary>
/// An Engine API version such as 1.41. Compared numerically: 1.9 is older than 1.41.
/// </summary>
public readonly record struct DockerApiVersion(int Major, int Minor) : IComparable<DockerApiVersion>
{
    /// <summary>Docker 20.10: the oldest API with everything the router uses (device requests, wait conditions).</summary>
    public static readonly DockerApiVersion Minimum = new(1, 41);

    /// <summary>The newest API this client was checked against; newer daemons are spoken to at this level.</summary>
    public static readonly DockerApiVersion Maximum = new(1, 47);

    public static DockerApiVersion Parse(string text) =>
        TryParse(text, out var version)
            ? version
            : throw new FormatException($"'{text}' is not a Docker API version (expected MAJOR.MINOR, e.g. 1.41).");

    public static bool TryParse([NotNullWhen(true)] string? text, out DockerApiVersion version)
    {
        version = default;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (text is null || dot <= 0
            || !int.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new DockerApiVersion(major, minor);
        return true;
    }

    /// <summary>
    /// The version to speak: the daemon's newest, capped at <see cref="Maximum"/>. Throws
    /// <see cref="NotSupportedException"/> when the daemon is older than <see cref="Minimum"/>
    /// or no longer accepts anything up to <see cref="Maximum"/>.
    /// </summary>
    public static DockerApiVersion Negotiate(DockerApiVersion daemon, DockerApiVersion? daemonMinimum, string endpoint)
    {
        if (daemon < Minimum)
        {
            throw new NotSupportedException(
                $"The Docker daemon at {endpoint} speaks Engine API {daemon}; gpu-router needs at least {Minimum} (Docker 20.10 or newer).");
        }

        var chosen = daemon > Maximum ? Maximum : daemon;
        if (daemonMinimum is { } floor && chosen < floor)
        {
            throw new NotSupportedException(
                $"The Docker daemon at {endpoint} accepts Engine API {floor} to {daemon}; gpu-router speaks {Minimum} to {Maximum}.");
        }

        return chosen;
    }

    public int CompareTo(DockerApiVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(DockerApiVersion left, DockerApiVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(DockerApiVersion left, DockerApiVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(DockerApiVersion left, DockerApiVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(DockerApiVersion left, DockerApiVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
