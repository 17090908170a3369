using System.CommandLine;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Tfrecord;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>Options and arguments shared by several commands, spelled once.</summary>
internal static class CommonOptions
{
    public static Argument<string[]> Paths() => new("PATH")
    {
        Description = "TFRecord files, folders (every part file in them and their subfolders, such as a split output's train/ and eval/; names starting with '_' or '.' are skipped) or glob patterns.",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The feature spec file; <c>--conf</c> is the same option (the file also holds the job's configuration).</summary>
    public static Option<string> Spec(bool required = true) => new("--spec", "--conf")
    {
        Description = "The YAML feature spec (for example conf/din.yaml); --conf is the same option.",
        Required = required,
    };

    public static Option<bool> AllowEmpty() => new("--allow-empty")
    {
        Description = "Accept a folder with no TFRecord file, or files with no record (exit 0); by default that is an error (exit 1).",
    };

    /// <summary>
    /// The data files of the paths (see <see cref="TfRecordPaths.Expand"/>); a folder that holds none is an error
    /// unless <paramref name="allowEmpty"/>, saying what was looked for.
    /// </summary>
    public static IReadOnlyList<string> DataFiles(IEnumerable<string> paths, bool allowEmpty)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            var found = TfRecordPaths.Expand([path]);
            if (found.Count == 0 && !allowEmpty)
            {
                throw new IOException($"{path}: no TFRecord file in this folder or its subfolders (looked for data files: names not starting with '_' or '.', " +
                                      "such as part-00000-of-00004.tfrecord.gz, or a split output's train/ and eval/ folders). " +
                                      "It may be a failed or empty run's output; pass --allow-empty if an empty folder is expected.");
            }

            files.AddRange(found);
        }

        return files;
    }

    /// <summary>Whether any of the files holds a record (reads up to the first one).</summary>
    public static bool AnyRecord(IEnumerable<string> files, TfRecordReaderOptions reading)
    {
        foreach (string file in files)
        {
            using TfRecordReader reader = TfRecordReader.Open(file, reading);
            if (reader.TryRead(out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The error for files that hold no record at all (unless <c>--allow-empty</c>).</summary>
    public static IOException NoRecords(IReadOnlyCollection<string> paths, int files) =>
        new($"{string.Join(", ", paths)}: no record in {files} TFRecord file{(files == 1 ? "" : "s")} (an empty output, such as a day with no samples). " +
            "Pass --allow-empty if an empty output is expected.");

    public static Option<bool> SkipCorrupt() => new("--skip-corrupt")
    {
        Description = "On a damaged record, drop the rest of that file (as TensorFlow's ignore_errors does), report it on stderr and go on.",
    };

    /// <summary>The compression of a file command (<c>write</c>): none unless given.</summary>
    public static Option<TfRecordCompression> Compression(string description) => LowercaseCompression(new Option<TfRecordCompression>("--compression")
    {
        // No DefaultValueFactory: help would print the enum's own spelling ("[default: None]"); absent, the value is
        // default(TfRecordCompression), which is None, and the description says so.
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "none" : result.Tokens[0].Value;
            if (Enum.TryParse(text, ignoreCase: true, out TfRecordCompression value) && !int.TryParse(text, out _))
            {
                return value;
            }

            result.AddError($"--compression must be none, gzip or zlib, not '{text}'.");
            return TfRecordCompression.None;
        },
    });

    /// <summary>The compression of a job command (<c>samples</c>, <c>plan</c>, <c>encode</c>): null unless given, so the
    /// job's <c>output.compression</c> applies.</summary>
    public static Option<TfRecordCompression?> JobCompression(string description) => LowercaseCompression(new Option<TfRecordCompression?>("--compression")
    {
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            if (JobConfigParser.TryParseCompression(text, out var c))
            {
                return c;
            }

            result.AddError($"--compression must be none, gzip or zlib, not '{text}'.");
            return null;
        },
    });

    /// <summary>
    /// Spells the choices as users type them and as the rest of the help does (<c>&lt;none|gzip|zlib&gt;</c>): for an
    /// enum option System.CommandLine derives the help name and the completions from the enum's member names
    /// (<c>&lt;Gzip|None|Zlib&gt;</c>).
    /// </summary>
    private static Option<T> LowercaseCompression<T>(Option<T> option)
    {
        option.HelpName = "none|gzip|zlib";
        option.CompletionSources.Clear();
        option.CompletionSources.Add("none", "gzip", "zlib");
        return option;
    }

    /// <summary>The most part files a run may write (each is an open file while the samples are written).</summary>
    public const int MaxShards = 100_000;

    /// <summary>Makes a numeric option accept only <paramref name="min"/> to <paramref name="max"/> (a usage error, exit 2).</summary>
    public static void Between<T>(Option<T> option, long min, long max)
    {
        option.Validators.Add(r =>
        {
            object? value = r.GetValue(option);
            if (value is not null && Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) is var v && (v < min || v > max))
            {
                r.AddError($"{option.Name} must be from {min} to {max}, not {v}.");
            }
        });
    }

    /// <summary>Whether <paramref name="text"/> is a size DuckDB's memory_limit takes: a number and a unit.</summary>
    public static bool IsMemorySize(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, @"^\s*[0-9]+(\.[0-9]+)?\s*([KMGT]i?B|B)\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>The reader's cap on one record's length, settable where TFRecord files are read.</summary>
    public static Option<long?> MaxRecordBytes()
    {
        var option = new Option<long?>("--max-record-bytes")
        {
            Description = $"The largest record accepted, in bytes (default {new TfRecordReaderOptions().MaxRecordLength}); a bigger length field is reported as damage. Raise it for files with genuinely huge records.",
        };
        Between(option, 1, int.MaxValue - 16);
        return option;
    }

    /// <summary>Reports on stderr what a reader in skip mode dropped; returns whether anything was.</summary>
    public static bool ReportSkipped(TextWriter err, TfRecordFileSummary file)
    {
        if (file.Skipped is not { } skip)
        {
            return false;
        }

        string bytes = skip.BytesSkipped >= 0 ? $"{skip.BytesSkipped} bytes" : "the rest of the file";
        err.WriteLine($"sparktf: skipped {bytes} of {file.Path} after {file.Records} good records: {skip.Error.Message}");
        return true;
    }

    public static TfRecordReaderOptions ReaderOptions(bool skipCorrupt, long? maxRecordBytes = null) =>
        maxRecordBytes is { } cap ? new() { SkipCorrupt = skipCorrupt, MaxRecordLength = cap } : new() { SkipCorrupt = skipCorrupt };
}
