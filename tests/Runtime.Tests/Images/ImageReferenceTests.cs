using Container.Runtime.Errors;
using Container.Runtime.Images;
using Xunit;

namespace Container.Tests.Images;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36")]
    [InlineData("library/busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("user/app:v2", "docker.io/user/app:v2", "user/app:v2")]
    [InlineData("localhost/app", "localhost/app:latest", "localhost/app:latest")]
    [InlineData("localhost:5000/ns/app:tag", "localhost:5000/ns/app:tag", "localhost:5000/ns/app:tag")]
    [InlineData("127.0.0.1:5000/app", "127.0.0.1:5000/app:latest", "127.0.0.1:5000/app:latest")]
    [InlineData("registry.example.com/a/b/c:1.0", "registry.example.com/a/b/c:1.0", "registry.example.com/a/b/c:1.0")]
    [InlineData("my_app.v2-x", "docker.io/library/my_app.v2-x:latest", "my_app.v2-x:latest")]
    public void ParsesAndNormalisesAsDocker(string text, string full, string familiar)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(full, reference.ToString());
        Assert.Equal(familiar, reference.ToFamiliarString());
    }

    [Fact]
    public void ReferencesToTheSameImageNameAreEqual()
    {
        Assert.Equal(ImageReference.Parse("busybox"), ImageReference.Parse("docker.io/library/busybox:latest"));
        Assert.Equal(ImageReference.Parse("busybox").GetHashCode(), ImageReference.Parse("library/busybox:latest").GetHashCode());
        Assert.True(ImageReference.Parse("busybox:1") == ImageReference.Parse("docker.io/library/busybox:1"));
        Assert.NotEqual(ImageReference.Parse("busybox:1"), ImageReference.Parse("busybox:2"));
        Assert.NotEqual(ImageReference.Parse("localhost/busybox"), ImageReference.Parse("busybox"));
    }

    [Fact]
    public void AReferenceIsFormattedOnceNotOnEveryUse()
    {
        var reference = ImageReference.Parse("localhost:5000/ns/app:tag");
        Assert.Same(reference.ToString(), reference.ToString());
        Assert.Same(reference.ToFamiliarString(), reference.ToFamiliarString());
        Assert.Same(reference.Repository, reference.Repository);
        Assert.Same(reference.FamiliarRepository, reference.FamiliarRepository);
    }

    [Fact]
    public void DigestReferencesHaveNoDefaultTag()
    {
        var digest = "sha256:" + new string('a', 64);
        var reference = ImageReference.Parse($"busybox@{digest}");
        Assert.Null(reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal($"docker.io/library/busybox@{digest}", reference.ToString());
        Assert.Equal("busybox:1@" + digest, ImageReference.Parse($"busybox:1@{digest}").ToFamiliarString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Busybox", "lowercase")]
    [InlineData("busybox:", "tag")]
    [InlineData("busybox:-bad", "tag")]
    [InlineData("busybox@sha256:abc", "digest")]
    [InlineData("a//b", "component")]
    [InlineData("-leading", "component")]
    [InlineData("trailing-", "component")]
    [InlineData("host:port:5000/x", "registry")]
    public void RejectsMalformedReferencesWithAReason(string text, string reason)
    {
        var e = Assert.Throws<ContainerException>(() => ImageReference.Parse(text));
        Assert.Equal("InvalidImageReference", e.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(reason, e.Message);
        Assert.Equal(text, e.Target);
    }

    [Fact]
    public void RejectsNamesLongerThan255Characters() =>
        Assert.Throws<ContainerException>(() => ImageReference.Parse(new string('a', 256)));
}
