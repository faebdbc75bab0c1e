using System.Management.Automation;

namespace Container.Module.Cmdlets;

/// <summary>
/// -Timestamps of the log cmdlets: the entry as the view that shows its time in front of its
/// text formats it (Container.format.ps1xml names it after the type, with #Timestamped).
/// </summary>
internal static class TimestampedView
{
    public static object Of(object entry, bool timestamps)
    {
        if (!timestamps)
            return entry;
        var shown = PSObject.AsPSObject(entry);
        shown.TypeNames.Insert(0, entry.GetType().FullName + "#Timestamped");
        return shown;
    }
}
