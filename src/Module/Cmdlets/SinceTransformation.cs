using System.Management.Automation;
using Container.Runtime.Errors;
using Container.Runtime.Logs;

namespace Container.Module.Cmdlets;

/// <summary>
/// A moment as -Since takes it: a date, or a span back from now (a TimeSpan, docker's "10m",
/// "1h30m", or seconds: 30s typed bare reaches us as the number 30). The engine decides.
/// </summary>
public sealed class SinceTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        try
        {
            return LogQuery.ParseSince(inputData is PSObject wrapped ? wrapped.BaseObject : inputData, DateTimeOffset.UtcNow);
        }
        catch (ContainerException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
