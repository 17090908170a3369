using System.Globalization;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Config;

/// <summary>
/// A feature spec file as the job sees it: the features (name, kind, list or not, default, role) from the feature
/// spec library, the job section parsed from the spec's raw <c>job:</c> node, and the spec's hash for the manifest.
/// </summary>
public sealed record JobDefinition
{
    // Internal: the features and the job section are the library's own model; a caller loads a definition and hands
    // it back (to a job, a launcher or JobOverrides.Apply).
    internal JobDefinition(string file, IReadOnlyList<FeatureColumn> features, JobConfig job, string specHash)
    {
        File = file;
        Features = features;
        Job = job;
        SpecHash = specHash;
    }

    /// <summary>The spec file.</summary>
    public string File { get; }

    /// <summary>The features in spec order.</summary>
    internal IReadOnlyList<FeatureColumn> Features { get; }

    /// <summary>The job section.</summary>
    internal JobConfig Job { get; init; }

    /// <summary>The spec's hash (<see cref="FeatureSpec.Hash"/>), recorded in <c>_manifest.json</c>.</summary>
    internal string SpecHash { get; }

    /// <summary>Loads a spec file with a <c>job:</c> section.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="JobConfigException">The spec or its job section is invalid; the message names file, line and column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static JobDefinition Load(string path)
    {
        FeatureSpec spec;
        try
        {
            spec = SpecLoader.Load(path);
        }
        catch (SpecException e)
        {
            throw new JobConfigException(e.Message, e);
        }

        return FromSpec(spec);
    }

    /// <summary>Makes the definition from a loaded spec.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="JobConfigException">The spec has no job section, or it is invalid, or a feature cannot be produced.</exception>
    internal static JobDefinition FromSpec(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var features = new List<FeatureColumn>();
        foreach (var f in spec.Features)
        {
            if (f.Name.StartsWith(Planning.TechnicalColumns.ReservedPrefix, StringComparison.Ordinal))
            {
                throw JobConfigException.At(spec.File, f.Location.Line, f.Location.Column,
                    $"feature '{f.Name}' starts with '__', which the job keeps for its internal columns (__h, __split, __ts, ...): rename the feature.");
            }

            IEnumerable<string> texts = f.Default switch
            {
                string one => [one],
                System.Collections.IEnumerable many => many.OfType<string>(),
                _ => [],
            };
            foreach (string text in texts)
            {
                if (text.Contains('\0', StringComparison.Ordinal) || HasUnpairedSurrogate(text))
                {
                    throw JobConfigException.At(spec.File, f.Location.Line, f.Location.Column,
                        $"the default of feature '{f.Name}' holds a NUL character or an unpaired surrogate, which the SQL engines cannot take as text: remove it.");
                }
            }

            // The job writes a bytes feature as UTF-8 text.
            FeatureDtype kind = f.Dtype == FeatureDtype.Bytes ? FeatureDtype.String : f.Dtype;
            object? def = f.Default switch
            {
                null => null,
                _ when f.Shape != FeatureShape.Scalar && f.Default is System.Collections.IEnumerable and not string => null,
                var d when kind == FeatureDtype.Int64 => Convert.ToInt64(d, CultureInfo.InvariantCulture),
                var d when kind == FeatureDtype.Float => Convert.ToDouble(d, CultureInfo.InvariantCulture),
                var d => Convert.ToString(d, CultureInfo.InvariantCulture),
            };
            features.Add(new FeatureColumn(f.Name, kind, f.Shape != FeatureShape.Scalar, def, f.Role.ToString().ToLowerInvariant())
            {
                IsSequence = f.Shape == FeatureShape.Sequence,
                StepOf = f.Of,
                PaddingText = Convert.ToString(f.Padding, CultureInfo.InvariantCulture),
            });
        }

        if (spec.Job is not { } job)
        {
            throw JobConfigException.At(spec.File, 1, 1, "no job: section; the jobs need one (sources, label, history, columns, output). See docs/job.md.");
        }

        var config = JobConfigParser.Parse(job, features);
        return new JobDefinition(spec.File, features, config, spec.Hash);
    }

    private static bool HasUnpairedSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
