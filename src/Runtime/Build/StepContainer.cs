using Container.Runtime.Containers;
using Container.Runtime.Images;

namespace Container.Runtime.Build;

/// <summary>
/// A step's container: made from the stage's state (as a nameless image, which the
/// collector keeps while the container uses it), given to the step, and its writable layer
/// taken as the step's layer. It is removed however the step ends.
/// </summary>
internal static class StepContainer
{
    /// <param name="work">What the step does with the container's spec (the image set, a name of its own): makes the container, and runs it or copies into it.</param>
    /// <param name="leftOut">Paths of the root (relative) that stay out of the layer: a RUN's mount points.</param>
    public static Descriptor MakeLayer(BuildService service, StageState state, Action<ContainerSpec> work, IReadOnlySet<string>? leftOut = null) =>
        With(service, state, spec =>
        {
            work(spec);
            return service.Containers.CommitLayer(spec.Name!, leftOut);
        });

    /// <summary>
    /// The config a step's container starts from: the stage's, without what a step must not
    /// get (VOLUME's anonymous volumes would keep a step's files out of its layer, as buildkit
    /// does not; a healthcheck would probe a build).
    /// </summary>
    private static ImageConfig ForStep(ImageConfig config)
    {
        var copy = StageState.CopyOf(config);
        if (copy.Config != null)
        {
            copy.Config.Volumes = null;
            copy.Config.Healthcheck = null;
            copy.Config.OnBuild = null;
        }
        return copy;
    }

    /// <summary>
    /// Runs use on the root of a state's files (a container of them, not started, mounted for
    /// the while; its host path): COPY --from reads there, RUN --mount=from= binds it.
    /// </summary>
    public static void InRootOf(BuildService service, StageState state, Action<string> use) =>
        With(service, state, spec =>
        {
            service.Containers.Create(spec with { Command = ["true"], Entrypoint = [], Network = "none" });
            service.Containers.InRoot(spec.Name!, (_, path) => use(path));
            return true;
        });

    /// <summary>Runs use with the spec of a container of the state (its nameless image, a name of its own), and removes the container however use ends.</summary>
    private static T With<T>(BuildService service, StageState state, Func<ContainerSpec, T> use)
    {
        var name = "build-" + Ids.New()[..16];
        using var hold = service.Images.HoldAgainstCollection();
        var image = service.Images.CreateNamelessImage(state.Layers, ForStep(state.Config), kept: false);
        try
        {
            return use(new ContainerSpec { Image = image.Id, Name = name });
        }
        finally
        {
            RemoveIfMade(service, name);
        }
    }

    private static void RemoveIfMade(BuildService service, string name)
    {
        try
        {
            service.Containers.Remove(name, force: true, volumes: true);
        }
        catch (Errors.ContainerException e) when (e.ErrorId == "ContainerNotFound")
        {
            // the step failed before its container was made
        }
    }
}
