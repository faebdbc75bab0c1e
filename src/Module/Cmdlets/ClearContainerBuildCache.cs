using System.Management.Automation;
using Container.Runtime.Build;

namespace Container.Module.Cmdlets;

/// <summary>
/// Clear-ContainerBuildCache: the build cache emptied (docker builder prune --all): every
/// cached step, so the next build runs each again, and RUN's cache mounts unless
/// -KeepCacheMounts; writes what went and the bytes freed.
/// </summary>
[Cmdlet(VerbsCommon.Clear, "ContainerBuildCache", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(BuildCacheClearance))]
public sealed class ClearContainerBuildCacheCommand : ContainerCmdlet
{
    /// <summary>Keeps the RUN --mount=type=cache directories (package caches and the like): only the cached steps go.</summary>
    [Parameter]
    public SwitchParameter KeepCacheMounts { get; set; }

    protected override void EndProcessing()
    {
        var what = KeepCacheMounts ? "Clear the build cache, keeping its cache mounts" : "Clear the build cache and its cache mounts";
        if (ShouldProcess(Engine.Paths.Root, what))
            ForEachItem(() => WriteObject(Engine.Builds.ClearCache(KeepCacheMounts)));
    }
}
