using System.Diagnostics;

namespace Container.Runtime.Processes;

/// <summary>The result of a finished child process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The most telling line for an error message.</summary>
    public string ErrorText
    {
        get
        {
            var text = string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError;
            return text.Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? $"exit code {ExitCode}";
        }
    }
}

/// <summary>The one way the engine runs a child process: arguments as a list, output captured.</summary>
public static class ProcessRunner
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string? standardInput = null,
        TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        using var process = Start(fileName, arguments, redirectInput: standardInput != null);
        if (standardInput != null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var error = process.StandardError.ReadToEndAsync(cancellation);
        if (!process.WaitForExit(timeout ?? Timeout.InfiniteTimeSpan))
        {
            process.Kill(entireProcessTree: true);
            throw Errors.Errors.Timeout($"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}", fileName);
        }
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>
    /// Starts a child with redirected output, for callers that read it as it comes. Its stdin is
    /// a pipe of its own, closed at once unless redirectInput: never the caller's (a terminal,
    /// or /dev/null, which crun's exec chowns to the container's user).
    /// </summary>
    public static Process Start(string fileName, IEnumerable<string> arguments, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        try
        {
            var process = Process.Start(info) ?? throw Errors.Errors.NotInstalled(fileName, "It could not be started.");
            if (!redirectInput)
                process.StandardInput.Close();
            return process;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw Errors.Errors.NotInstalled(fileName, e.Message);
        }
    }
}
