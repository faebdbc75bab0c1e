namespace Container.Runtime.Images;

/// <summary>
/// An image a command acts on, and the reference it acts on it by (for a removal, a name takes
/// that name away, an id the image with all its names). Shown as the image is.
/// </summary>
public sealed record ImageTarget(ContainerImage Image, string Reference)
{
    public override string ToString() => Image.ToString();
}
