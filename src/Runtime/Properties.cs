// The engine drives Linux only: namespaces, cgroups, overlayfs.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
