namespace Container.Module.Cmdlets;

/// <summary>Parameter set names, written once.</summary>
internal static class ParameterSets
{
    public const string ByName = "Name";
    public const string ById = "Id";
    public const string ByInputObject = "InputObject";
}
