// The module drives Linux only: namespaces, cgroups, overlayfs.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
