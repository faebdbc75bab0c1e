using System.Management.Automation;
using Container.Runtime.Errors;
using Container.Runtime.Logs;

namespace Container.Module.Cmdlets;

/// <summary>
/// A moment as -Since takes it: a date (a DateTime, or text that reads as one), or a span
/// back from now: a TimeSpan, or docker's "10m", "1h30m".
/// </summary>
public sealed class SinceTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            DateTimeOffset moment => moment,
            DateTime date => new DateTimeOffset(date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Local) : date),
            TimeSpan span => DateTimeOffset.UtcNow - span,
            string text => Parse(text),
            _ => throw new ArgumentTransformationMetadataException($"'{inputData}' is neither a date nor a span of time (10m, 1h30m, 00:10:00)."),
        };
    }

    private static DateTimeOffset Parse(string text)
    {
        try
        {
            return LogQuery.ParseSince(text, DateTimeOffset.UtcNow);
        }
        catch (ContainerException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
