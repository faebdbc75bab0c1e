using Container.Runtime.Logs;

namespace Container.Runtime.Compose;

/// <summary>
/// One line a container of a project wrote, with the service and the container it came from:
/// what docker compose logs prints as "web-1 | text" (the service, then the container's number).
/// </summary>
/// <param name="Number">the container's number within its service (com.docker.compose.container-number)</param>
public sealed record ProjectLogEntry(string Service, int Number, string Container, DateTimeOffset Time, LogStream Stream, string Text)
{
    public override string ToString() => Text;
}
