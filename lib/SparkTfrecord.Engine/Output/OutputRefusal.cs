namespace SparkTfrecord.Engine.Output;

/// <summary>Why an output was refused (see <see cref="OutputRefusedException"/>).</summary>
public enum OutputRefusal
{
    /// <summary>The output is the root folder.</summary>
    Root,

    /// <summary>A folder output is an existing file.</summary>
    IsFile,

    /// <summary>A file output is an existing folder.</summary>
    IsFolder,

    /// <summary>The output's leaf is a symbolic link: replacing it would replace the link, not its target.</summary>
    SymbolicLink,

    /// <summary>The output is the working directory or one of its ancestors.</summary>
    WorkingDirectory,

    /// <summary>The output is an input, holds one, or lies inside one.</summary>
    Input,

    /// <summary>The output holds other outputs (<c>key=value</c> partition folders or another <c>_manifest.json</c>).</summary>
    OtherOutputs,

    /// <summary>The output folder holds files this tool did not write (<c>--force</c> replaces it).</summary>
    NotEmpty,

    /// <summary>A file output exists and is not a TFRecord file (<c>--force</c> replaces it).</summary>
    NotTfRecord,

    /// <summary>An index file's place holds a file that is not an index (<c>--force</c> replaces it).</summary>
    NotAnIndex,

    /// <summary>The output's folder is on a read-only file system.</summary>
    ReadOnly,

    /// <summary>This user may not write the output's folder.</summary>
    PermissionDenied,

    /// <summary>The output exists and <c>--no-clobber</c> was given.</summary>
    Exists,

    /// <summary>Another run holds the output's lock; the message names it (pid, host, start, command) where the lock file says.</summary>
    Locked,

    /// <summary>The lock file beside the output could not be created.</summary>
    LockNotCreated,

    /// <summary>The <c>--summary</c> file cannot be written (its folder is missing, or it cannot be opened for writing).</summary>
    SummaryNotWritable,

    /// <summary>The state folder is, holds or lies inside an input or the samples output, or the run day's snapshot
    /// folder holds something that is not a snapshot.</summary>
    StateFolder,

    /// <summary>A file a command writes besides its output (<c>validate --html</c>, <c>--summary</c>, ...) would replace
    /// data, or is a folder or another kind of file: a usage error (exit 2), nothing was run
    /// (<see cref="OutputGuard.CheckWrittenFiles"/>, <see cref="OutputGuard.CheckSummary"/>).</summary>
    WrittenFile,
}
