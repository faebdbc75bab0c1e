using System.Globalization;
using k8s.Models;

namespace Container.Runtime.Kubernetes;

/// <summary>Limits as Kubernetes quantities: memory in bytes with a binary suffix (64Mi), CPUs in cores or millicores (1500m).</summary>
internal static class KubeQuantities
{
    private static readonly (string Suffix, long Factor)[] Binary =
        [("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10)];

    public static ResourceQuantity Memory(long bytes)
    {
        foreach (var (suffix, factor) in Binary)
            if (bytes % factor == 0)
                return new ResourceQuantity((bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix);
        return new ResourceQuantity(bytes.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Kubernetes takes no finer CPU than a millicore.</summary>
    public static ResourceQuantity Cpus(double cpus)
    {
        var milli = (long)Math.Round(cpus * 1000);
        return new ResourceQuantity(milli % 1000 == 0
            ? (milli / 1000).ToString(CultureInfo.InvariantCulture)
            : milli.ToString(CultureInfo.InvariantCulture) + "m");
    }

    public static long Bytes(ResourceQuantity quantity) => (long)Math.Ceiling(quantity.ToDecimal());

    public static double CpusOf(ResourceQuantity quantity) => (double)quantity.ToDecimal();
}
