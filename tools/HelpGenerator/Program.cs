using Container.HelpGenerator;

// HelpGenerator <module assembly> <help sources directory> <help file to write>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: HelpGenerator <Container.Module.dll> <src/Module/Help> <out/Container/en-US/Container.Module.dll-Help.xml>");
    return 2;
}
try
{
    var cmdlets = CmdletMetadata.Read(args[0]);
    var help = HelpLibrary.Load(args[1]);
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2]))!);
    MamlWriter.Write(cmdlets, help).Save(args[2]);
    return 0;
}
catch (FormatException e)
{
    // a help source that cannot be read: msbuild shows it as an error of that file
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
