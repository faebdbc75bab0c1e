namespace Container.Runtime.Compose.Loading;

/// <summary>
/// The merged tree typed into a ComposeProject: the services the profiles enable (a service
/// without profiles always is), the top-level resources, and the references between them
/// checked as docker compose checks them (a dependency on an undefined or disabled service, an
/// undefined network, volume, secret or config are errors; a dependency with required: false
/// on one is dropped). Each service's references to secrets and configs are given the digest
/// of their content, and the service its config hash once it is whole.
/// </summary>
internal static class ProjectReader
{
    public static ComposeProject Read(YamlMapping root, string name, string directory, ValueList<string> files,
        IReadOnlyList<string> profiles, ValueMap<string> environment)
    {
        var top = new Field(root, ComposePath.Root);
        var defined = top["services"]?.Entries.ToValueList() ?? [];
        var enabled = new Dictionary<string, Field>(StringComparer.Ordinal);
        var disabled = new List<string>();
        foreach (var (key, service) in defined)
        {
            var own = service["profiles"]?.Strings ?? [];
            if (own.Count == 0 || profiles.Contains("*") || own.Any(profiles.Contains))
                enabled[key] = service;
            else
                disabled.Add(key);
        }
        var services = enabled.ToDictionary(e => e.Key, e => ServiceReader.Read(e.Key, e.Value, environment.GetValueOrDefault, directory), StringComparer.Ordinal);

        var networks = Resources(top, "networks", (k, f) => ResourceReader.Network(k, f, name));
        var volumes = Resources(top, "volumes", (k, f) => ResourceReader.Volume(k, f, name));
        var secrets = Resources(top, "secrets", (k, f) => ResourceReader.FileObject(k, f!, name), allowNull: false);
        var configs = Resources(top, "configs", (k, f) => ResourceReader.FileObject(k, f!, name), allowNull: false);
        if (services.Values.Any(s => s.Networks.ContainsKey("default")) && !networks.ContainsKey("default"))
            networks["default"] = ResourceReader.Network("default", null, name);

        foreach (var key in services.Keys.ToList())
        {
            var service = services[key];
            var field = enabled[key];
            foreach (var network in service.Networks.Keys.Where(n => !networks.ContainsKey(n)))
                throw field.Invalid($"uses the network '{network}', which networks: does not define");
            foreach (var volume in service.Volumes.Where(v => v.Type == VolumeType.Volume && v.Source != null && !volumes.ContainsKey(v.Source)))
                throw field.Invalid($"uses the volume '{volume.Source}', which volumes: does not define");
            foreach (var secret in service.Secrets.Where(s => !secrets.ContainsKey(s.Source)))
                throw field.Invalid($"uses the secret '{secret.Source}', which secrets: does not define");
            foreach (var config in service.Configs.Where(c => !configs.ContainsKey(c.Source)))
                throw field.Invalid($"uses the config '{config.Source}', which configs: does not define");
            foreach (var (reference, other) in ServiceReferences.Of(service))
            {
                if (other == key)
                    throw field.Invalid($"{reference} names the service itself: service:<name> is another service's namespace");
                if (!services.ContainsKey(other))
                    throw field.Invalid($"{reference} uses service '{other}', which is {(disabled.Contains(other) ? "disabled" : "not defined")}");
            }
            if (service.ContainerName != null && service.Deploy?.Replicas > 1)
                throw field.Invalid($"container_name '{service.ContainerName}' names one container, and deploy.replicas asks for {service.Deploy.Replicas}");
            var dependencies = new List<KeyValuePair<string, ServiceDependency>>();
            foreach (var (dependency, how) in service.DependsOn)
            {
                if (services.ContainsKey(dependency))
                    dependencies.Add(KeyValuePair.Create(dependency, how));
                else if (how.Required)
                    throw field.Invalid(disabled.Contains(dependency)
                        ? $"depends on service '{dependency}', which is disabled: enable one of its profiles"
                        : $"depends on undefined service '{dependency}'");
            }
            foreach (var other in ServiceReferences.Of(service).Select(r => r.Service).Distinct())
            {
                var written = dependencies.FindIndex(d => d.Key == other);
                var implicitly = written >= 0 ? dependencies[written].Value with { Restart = true } : new ServiceDependency(DependencyCondition.ServiceStarted, true, true);
                if (written >= 0)
                    dependencies[written] = KeyValuePair.Create(other, implicitly);
                else
                    dependencies.Add(KeyValuePair.Create(other, implicitly));
            }
            var whole = service with
            {
                DependsOn = dependencies.SequenceEqual(service.DependsOn) ? service.DependsOn : ValueMap.Of(dependencies),
                Secrets = WithDigests("secrets", service.Secrets, secrets, environment),
                Configs = WithDigests("configs", service.Configs, configs, environment),
            };
            // taken once the service is whole: the digests of its secrets' and configs' content count
            services[key] = whole with { ConfigHash = ConfigFingerprint.Of(whole) };
        }
        DependencyCycles.Check(services, top);

        return new ComposeProject(name, directory, files, ValueMap.Of(services), disabled.Order(StringComparer.Ordinal).ToValueList(),
            ValueMap.Of(networks), ValueMap.Of(volumes), ValueMap.Of(secrets), ValueMap.Of(configs), environment);
    }

    private static ValueList<ServiceFileReference> WithDigests(string kind, ValueList<ServiceFileReference> references,
        Dictionary<string, ComposeFileObject> declared, ValueMap<string> environment) =>
        references.Select(r => r with { Digest = FileObjectContent.Digest(kind, r.Source, declared[r.Source], environment) }).ToValueList();

    /// <summary>A kind's resources; one written as nothing (data:) is given as null, to take the defaults, where allowNull.</summary>
    private static Dictionary<string, T> Resources<T>(Field top, string kind, Func<string, Field?, T> read, bool allowNull = true) =>
        (top[kind]?.Entries ?? []).ToDictionary(e => e.Key, e => read(e.Key, allowNull && e.Value.Node is YamlScalar { IsNull: true } ? null : e.Value),
            StringComparer.Ordinal);
}
