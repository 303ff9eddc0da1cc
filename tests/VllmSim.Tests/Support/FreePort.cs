using System.Net;
using System.Net.Sockets;

namespace VllmSim.Tests.Support;

internal static class FreePort
{
    /// <summary>
    /// A loopback port free right now, for processes and containers that must be told their port.
    /// It comes from below the kernel's ephemeral range (32768+), where in-process servers on port 0
    /// and client sockets take theirs, so none of those can grab it before the child binds it.
    /// </summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(21000, 30000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }
        throw new InvalidOperationException("no free loopback port between 21000 and 30000");
    }

    public static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
