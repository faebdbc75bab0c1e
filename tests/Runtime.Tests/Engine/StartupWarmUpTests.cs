using Container.Runtime;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>The module's background warm-up, run in the foreground: in pwsh a failure of it would only be swallowed.</summary>
public sealed class StartupWarmUpTests
{
    [Fact]
    public void EveryDocumentItWarmsRoundTripsThroughTheOneJsonSetup() => StartupWarmUp.Run();
}
