using Container.Runtime.Errors;
using Container.Runtime.Registries;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>A registry's catalog searched by wildcard and by word (docker search), against a real registry.</summary>
public sealed partial class RegistryPullPushTests
{
    [SkippableFact]
    public void TheCatalogIsSearchedByWildcardOrWordInTheRegistryNamedGivenOrSearched()
    {
        using var registry = Start();
        foreach (var repository in new[] { "team/api", "team/web", "other/webapp" })
            Registries(store).Push(TestStore.Image, $"{registry.Host}/{repository}:1");

        Assert.Equal(["team/api", "team/web"], Registries(store).Find($"{registry.Host}/team/*").Select(r => r.Repository));
        Assert.Equal([$"{registry.Host}/other/webapp", $"{registry.Host}/team/web"], Registries(store).Find("web", [registry.Host]).Select(r => r.Name));
        var searching = Registries(store, configuration: new RegistriesConfiguration { SearchRegistries = [registry.Host] });
        Assert.Equal(["team/api"], searching.Find("*/a?i").Select(r => r.Repository));
        Assert.Empty(searching.Find("nothing-by-this-name"));
        var error = Assert.Throws<ContainerException>(() => Registries(store).Find("team/*"));
        Assert.Equal(("RegistryRequired", ErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
    }
}
