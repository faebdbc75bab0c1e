namespace Container.Runtime.Build;

/// <summary>A step of a build's plan as -WhatIf and -Verbose tell it.</summary>
public static class BuildPlanText
{
    public static string Of(BuildStepReport step)
    {
        var head = $"Step {step.Number}/{step.Count} [{step.Stage}] {step.Instruction}";
        if (!step.MakesLayer)
            return head;
        if (step.Cached)
            return $"{head}: from the cache (key {Ids.Short(step.Key!)})";
        return step.Key == null ? $"{head}: would run ({step.Reason})" : $"{head}: would run, key {Ids.Short(step.Key)} ({step.Reason})";
    }
}
