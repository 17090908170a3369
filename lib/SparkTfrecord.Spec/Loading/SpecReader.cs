using System.Text.RegularExpressions;
using SparkTfrecord.Spec.Json;
using SparkTfrecord.Spec.Yaml;

namespace SparkTfrecord.Spec.Loading;

/// <summary>Turns the YAML tree of one spec file into a <see cref="FeatureSpec"/>, checking every node.</summary>
internal sealed partial class SpecReader(string file)
{
    internal static readonly string[] s_topKeys = ["spec", "name", "features", "crosses", "job"];
    internal static readonly string[] s_featureKeys = ["name", "dtype", "shape", "required", "default", "padding", "role", "domain", "train", "drift", "skew", "of"];
    internal static readonly string[] s_comparatorKeys = ["infinity_norm", "jensen_shannon_divergence"];
    internal static readonly string[] s_trainKeys = ["hash_buckets", "embedding", "share", "boundaries", "wide"];
    internal static readonly string[] s_crossKeys = ["name", "features", "hash_buckets"];
    private static readonly string[] s_rangeKeys = ["min", "max"];
    internal static readonly string[] s_dtypes = ["int64", "float", "string", "bytes"];
    private static readonly string[] s_shapes = ["scalar", "var", "seq"];
    internal static readonly string[] s_roles = ["label", "user", "context", "item", "history", "key", "other"];

    /// <summary>The largest hash bucket count or embedding dimension accepted (TensorFlow sizes are int32).</summary>
    private const long MaxSize = int.MaxValue;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    private sealed record Pending(SpecFeature Feature, YamlNode? TrainNode, YamlNode? HashBucketsNode, YamlNode? EmbeddingNode, YamlNode? OfNode = null);

    public FeatureSpec Read(YamlNode root)
    {
        YamlMapping top = root.AsMapping("the spec", "A spec is a mapping with 'spec: 1', 'name:' and 'features:'.");
        top.CheckKeys(s_topKeys, "at the top level of the spec");
        YamlNode versionNode = top.Get("spec") ?? throw top.Fail("the spec has no 'spec:' version", "Add 'spec: 1' as the first line.");
        long version = versionNode.ReadInteger("'spec'");
        if (version != FeatureSpec.CurrentVersion)
        {
            throw versionNode.Fail($"spec version {version} is not supported", $"This sparktf reads 'spec: {FeatureSpec.CurrentVersion}'.");
        }

        string? name = top.Get("name") is { } nameNode ? nameNode.ReadString("'name'") : null;
        YamlMapping? job = null;
        if (top.Get("job") is { } jobNode && !jobNode.IsNull)
        {
            job = jobNode as YamlMapping ?? throw jobNode.Fail("'job' is not a mapping", "The job section is a mapping of job settings (sources, label, history, columns, output).");
        }

        YamlNode featuresNode = top.Get("features") ?? throw top.Fail("the spec has no 'features:' list", "Add 'features:' with one entry per feature, for example '- {name: label, dtype: int64, role: label}'.");
        YamlSequence featureList = featuresNode.AsSequence("'features'", "List the features, one '- {name: ..., dtype: ...}' entry each.");
        if (featureList.Items.Count == 0)
        {
            throw featureList.Fail("'features' is empty", "Declare at least the label feature.");
        }

        var pending = new List<Pending>();
        var byName = new Dictionary<string, SpecFeature>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < featureList.Items.Count; i++)
        {
            Pending p = ReadFeature(featureList.Items[i], i);
            if (byName.TryGetValue(p.Feature.Name, out SpecFeature? other))
            {
                YamlNode dupNode = ((YamlMapping)featureList.Items[i]).Get("name")!;
                throw other.Name == p.Feature.Name
                    ? dupNode.Fail($"feature '{p.Feature.Name}' is declared twice (first at line {other.Location.Line})", "Feature names are unique; rename or remove one.")
                    : dupNode.Fail($"feature '{p.Feature.Name}' differs from feature '{other.Name}' (line {other.Location.Line}) only in case", "Names become Spark SQL columns, which ignore case; rename one.");
            }

            byName.Add(p.Feature.Name, p.Feature);
            pending.Add(p);
        }

        List<SpecFeature> labels = pending.Select(p => p.Feature).Where(f => f.Role == FeatureRole.Label).ToList();
        if (labels.Count == 0)
        {
            throw featuresNode.Fail("no feature has 'role: label'", "Mark the training target, for example '- {name: label, dtype: int64, role: label}'.");
        }

        // Several labels (multi-task models: click, cart, buy) are allowed; the job's `labels:` gives each its rule.
        string? weight = ReadWeight(job, pending.Select(p => p.Feature).ToList());

        CheckSteps(pending);
        List<SpecFeature> features = ResolveSharedEmbeddings(pending);
        List<FeatureCross> crosses = top.Get("crosses") is { } crossesNode ? ReadCrosses(crossesNode, features) : [];
        return new FeatureSpec(file, (int)version, name, features, crosses, job, weight);
    }

    // The sample weight feature the job's `sampling.weight` names (the one key of `job:` the trainer needs: its input
    // gives (features, labels, weights)), or null: a scalar float feature that is not a label. Python's read_weight.
    private static string? ReadWeight(YamlMapping? job, List<SpecFeature> features)
    {
        if (job?.Get("sampling") is not YamlMapping sampling || sampling.Get("weight") is not YamlScalar node)
        {
            return null;
        }

        string name = Identifier(node, "the weight feature");
        SpecFeature f = features.FirstOrDefault(x => x.Name == name)
            ?? throw node.Fail($"sampling.weight names '{name}', which is not a feature",
                Suggestions.DidYouMean(name, features.Select(x => x.Name), "Declare the weight as a float feature, for example '- {name: weight, dtype: float}'."));
        if (f.Role == FeatureRole.Label)
        {
            throw node.Fail($"the weight '{name}' is a label", "A weight is not a training target: give it its own feature with 'role: other' (the default).");
        }

        if (f.Dtype != FeatureDtype.Float || f.Shape != FeatureShape.Scalar)
        {
            throw node.Fail($"the weight '{name}' must be a scalar float", "The job writes 1 / negative_rate or 1 into it: give it 'dtype: float' and no 'shape'.");
        }

        return name;
    }

    private Pending ReadFeature(YamlNode node, int index)
    {
        string what = $"feature {index + 1}";
        YamlMapping map = node.AsMapping(what, "Write each feature as a mapping, for example '- {name: age, dtype: int64}'.");
        YamlNode nameNode = map.Get("name") ?? throw map.Fail($"{what} has no 'name'", "Add 'name: <identifier>'.");
        string name = Identifier(nameNode, "a feature name");
        what = $"feature '{name}'";
        map.CheckKeys(s_featureKeys, $"in {what}");

        YamlNode dtypeNode = map.Get("dtype") ?? throw map.Fail($"{what} has no 'dtype'", "Add 'dtype: int64', 'float', 'string' or 'bytes'.");
        var dtype = (FeatureDtype)dtypeNode.ReadChoice(s_dtypes, $"the dtype of {what}");

        FeatureShape shape = FeatureShape.Scalar;
        int? length = 1;
        if (map.Get("shape") is { } shapeNode)
        {
            (shape, length) = ReadShape(shapeNode, what);
        }

        bool required = map.Get("required") is not { } requiredNode || requiredNode.ReadBool($"'required' of {what}");
        FeatureRole role = map.Get("role") is { } roleNode ? (FeatureRole)roleNode.ReadChoice(s_roles, $"the role of {what}") : FeatureRole.Other;

        FeatureDomain? domain = map.Get("domain") is { } domainNode ? ReadDomain(domainNode, dtype, what) : null;

        object? defaultValue = null;
        if (map.Get("default") is { } defaultNode)
        {
            defaultValue = ReadDefault(defaultNode, dtype, shape, length, what);
            CheckInDomain(defaultNode, defaultValue, domain, what);
        }

        object padding = map.Get("padding") is { } paddingNode
            ? Value(paddingNode, dtype, $"the padding of {what}")
            : dtype switch { FeatureDtype.Int64 => 0L, FeatureDtype.Float => 0.0, _ => "0" };

        YamlNode? trainNode = map.Get("train");
        YamlNode? bucketsNode = null;
        YamlNode? embeddingNode = null;
        TrainHints train = TrainHints.None;
        if (trainNode is not null)
        {
            (train, bucketsNode, embeddingNode) = ReadTrain(trainNode, dtype, what);
        }

        if (role == FeatureRole.Label)
        {
            YamlNode at = map.Get("role")!;
            if (shape != FeatureShape.Scalar || dtype is not (FeatureDtype.Int64 or FeatureDtype.Float))
            {
                throw at.Fail($"the label '{name}' must be a scalar int64 or float", "Give the label 'dtype: int64' (clicks) or 'dtype: float' and no 'shape'.");
            }

            if (!required || defaultValue is not null || trainNode is not null)
            {
                throw at.Fail($"the label '{name}' cannot be optional, have a default or training hints", "Every record has its label; remove 'required: false', 'default' and 'train' from it.");
            }
        }

        if (!required && defaultValue is null && shape is FeatureShape.Scalar or FeatureShape.Fixed)
        {
            throw map.Get("required")!.Fail($"optional {what} has no default",
                "TensorFlow's FixedLenFeature cannot parse a record without the feature unless it has a default_value: add 'default:' or drop 'required: false'.");
        }

        var location = new SourceLocation(file, map.Location.Line, map.Location.Column);
        var feature = new SpecFeature(name, dtype, shape, length, required, defaultValue, padding, role, domain, train, location)
        {
            Drift = map.Get("drift") is { } driftNode ? ReadComparator(driftNode, "drift", dtype, shape, what) : null,
            Skew = map.Get("skew") is { } skewNode ? ReadComparator(skewNode, "skew", dtype, shape, what) : null,
            Of = ReadOf(map, shape, role, what),
        };
        return new Pending(feature, trainNode, bucketsNode, embeddingNode, map.Get("of"));
    }

    // Sequence features (issue 14): a SequenceExample feature list holds a history, one frame per event, so `shape: seq`
    // is for `role: history` only; `of: H` makes a feature a per-step companion of the sequence history H (same frames,
    // same order). Python's read_of.
    private static string? ReadOf(YamlMapping map, FeatureShape shape, FeatureRole role, string what)
    {
        if (shape == FeatureShape.Sequence && role != FeatureRole.History)
        {
            throw map.Get("shape")!.Fail($"{what} has 'shape: seq' but is not a history (role: {SpecDescription.RoleName(role)})",
                "A SequenceExample feature list holds a history, one frame per event: give it 'role: history', or use 'shape: var' for a list in the context.");
        }

        if (map.Get("of") is not { } ofNode)
        {
            return null;
        }

        if (shape != FeatureShape.Sequence)
        {
            throw ofNode.Fail($"'of' of {what} is for per-step companions of a sequence history",
                "Give the companion 'shape: seq' and 'role: history', or remove 'of'.");
        }

        return Identifier(ofNode, "the history 'of' names");
    }

    // Each `of:` names a sequence history declared in the spec that is not itself a companion. Python's check_steps.
    private static void CheckSteps(List<Pending> pending)
    {
        var byName = pending.ToDictionary(p => p.Feature.Name, p => p.Feature, StringComparer.Ordinal);
        foreach (Pending p in pending)
        {
            if (p.Feature.Of is not { } of)
            {
                continue;
            }

            string what = $"feature '{p.Feature.Name}'";
            if (!byName.TryGetValue(of, out SpecFeature? history))
            {
                var histories = pending.Select(x => x.Feature).Where(f => f.Shape == FeatureShape.Sequence && f.Of is null).Select(f => f.Name);
                throw p.OfNode!.Fail($"{what} is a step of '{of}', which is not a feature",
                    Suggestions.DidYouMean(of, histories, "Name a feature with 'shape: seq' and 'role: history' declared in this spec."));
            }

            if (history.Shape != FeatureShape.Sequence || history.Of is not null)
            {
                throw p.OfNode!.Fail($"{what} is a step of '{of}', which is not a sequence history" + (history.Of is null ? "" : $" (it is itself a step of '{history.Of}')"),
                    "'of' names a feature with 'shape: seq' and 'role: history' and no 'of' of its own.");
            }
        }
    }

    // drift: / skew: {infinity_norm: T, jensen_shannon_divergence: T} (TFDV's FeatureComparator), each T in [0, 1]:
    // infinity_norm compares categorical values (strings, int64s), jensen_shannon_divergence numbers' histograms, or a
    // string list's values per record (docs/report.md).
    private static ComparatorThresholds ReadComparator(YamlNode node, string key, FeatureDtype dtype, FeatureShape shape, string what)
    {
        YamlMapping map = node.AsMapping($"'{key}' of {what}", $"Write it as a mapping, for example '{key}: {{infinity_norm: 0.1}}'.");
        map.CheckKeys(s_comparatorKeys, $"in '{key}' of {what}");
        if (map.Get("infinity_norm") is null && map.Get("jensen_shannon_divergence") is null)
        {
            throw map.Fail($"'{key}' of {what} sets no threshold", "Add 'infinity_norm: 0.1' (categorical values) or 'jensen_shannon_divergence: 0.1' (numbers).");
        }

        double? infinity = Threshold(map, "infinity_norm", key, what);
        double? jensen = Threshold(map, "jensen_shannon_divergence", key, what);
        if (infinity is not null && dtype is FeatureDtype.Float or FeatureDtype.Int64)
        {
            throw map.Get("infinity_norm")!.Fail($"infinity_norm in '{key}' of {what} compares the shares of string values, and {(dtype == FeatureDtype.Float ? "a float" : "an int64")} feature has none",
                "Use jensen_shannon_divergence for a number feature (it compares histograms).");
        }

        if (jensen is not null && dtype is FeatureDtype.String or FeatureDtype.Bytes && shape is FeatureShape.Scalar or FeatureShape.Fixed)
        {
            throw map.Get("jensen_shannon_divergence")!.Fail($"jensen_shannon_divergence in '{key}' of {what} compares histograms of numbers, and a {(shape == FeatureShape.Scalar ? "scalar" : "fixed-shape")} string feature has none",
                "Use infinity_norm for a string feature (a variable-length string list may also set jensen_shannon_divergence: it compares its values per record).");
        }

        return new ComparatorThresholds(infinity, jensen);
    }

    private static double? Threshold(YamlMapping map, string name, string key, string what)
    {
        if (map.Get(name) is not { } node)
        {
            return null;
        }

        double value = node.ReadFloat($"{name} in '{key}' of {what}");
        if (!(value >= 0 && value <= 1))
        {
            throw node.Fail($"{name} in '{key}' of {what} is {node.Describe()}, outside 0..1", "Both distances lie between 0 (the same distribution) and 1: give a threshold such as 0.1.");
        }

        return value;
    }

    private (FeatureShape, int?) ReadShape(YamlNode node, string what)
    {
        if (node is YamlScalar { IsPlain: true } scalar && PlainScalars.IsInteger(scalar.Value))
        {
            long n = node.ReadInteger($"the shape of {what}");
            if (n is < 1 or > 1 << 20)
            {
                throw node.Fail($"the shape of {what} is {n} values", "A fixed shape is a number of values from 1 to 1048576; use 'var' for variable length.");
            }

            return (FeatureShape.Fixed, (int)n);
        }

        int choice = node.ReadChoice(s_shapes, $"the shape of {what}", "'scalar' (one value), a number N (exactly N values), 'var' (variable length) or 'seq' (a SequenceExample feature list)");
        return choice switch
        {
            0 => (FeatureShape.Scalar, 1),
            1 => (FeatureShape.Var, null),
            _ => (FeatureShape.Sequence, null),
        };
    }

    private object ReadDefault(YamlNode node, FeatureDtype dtype, FeatureShape shape, int? length, string what)
    {
        string label = $"the default of {what}";
        switch (shape)
        {
            case FeatureShape.Scalar:
                return Value(node, dtype, label);
            case FeatureShape.Fixed:
                if (node is YamlSequence seq)
                {
                    if (seq.Items.Count != length)
                    {
                        throw node.Fail($"{label} has {seq.Items.Count} values but the shape is {length}", $"Give exactly {length} values, or one value to repeat.");
                    }

                    return seq.Items.Select(c => Value(c, dtype, label)).ToList();
                }

                object one = Value(node, dtype, label);
                return Enumerable.Repeat(one, length!.Value).ToList();
            default:
                throw node.Fail($"{what} has variable length and so no default", "A record without it holds an empty list; use 'padding' for the value padded_batch fills in.");
        }
    }

    private FeatureDomain ReadDomain(YamlNode node, FeatureDtype dtype, string what)
    {
        string label = $"the domain of {what}";
        if (node is YamlSequence seq)
        {
            if (dtype == FeatureDtype.Float)
            {
                throw node.Fail($"{label} lists values, but a float feature's domain is a range", "Write 'domain: {min: 0.0, max: 1.0}'.");
            }

            if (seq.Items.Count == 0)
            {
                throw node.Fail($"{label} is empty", "List the allowed values, or remove 'domain'.");
            }

            var seen = new HashSet<object>();
            var values = new List<object>();
            foreach (YamlNode child in seq.Items)
            {
                object v = Value(child, dtype, $"a value in {label}");
                if (!seen.Add(v))
                {
                    throw child.Fail($"{label} lists {Show(v)} twice", "List each value once.");
                }

                values.Add(v);
            }

            return dtype == FeatureDtype.Int64
                ? new FeatureDomain(null, values.Cast<long>().ToList(), null, null)
                : new FeatureDomain(values.Cast<string>().ToList(), null, null, null);
        }

        if (node is YamlMapping map)
        {
            if (dtype is FeatureDtype.String or FeatureDtype.Bytes)
            {
                throw node.Fail($"{label} is a range, but a string feature's domain is a list of values", "Write 'domain: [\"a\", \"b\"]'.");
            }

            map.CheckKeys(s_rangeKeys, $"in {label}");
            YamlNode? minNode = map.Get("min");
            YamlNode? maxNode = map.Get("max");
            if (minNode is null && maxNode is null)
            {
                throw node.Fail($"{label} has neither 'min' nor 'max'", "Give 'min', 'max' or both.");
            }

            object? min = minNode is null ? null : Value(minNode, dtype, $"the minimum of {label}");
            object? max = maxNode is null ? null : Value(maxNode, dtype, $"the maximum of {label}");
            bool inverted = (min, max) switch
            {
                (long lo, long hi) => lo > hi,
                (double lo, double hi) => lo > hi,
                _ => false,
            };
            if (inverted)
            {
                throw minNode!.Fail($"{label} has min {Show(min)} above max {Show(max)}", "Swap them.");
            }

            return new FeatureDomain(null, null, min, max);
        }

        throw node.Fail($"{label} is neither a list of values nor a range", "Write 'domain: [\"a\", \"b\"]' for strings or integers, or 'domain: {min: 0, max: 120}' for numbers.");
    }

    private void CheckInDomain(YamlNode node, object? value, FeatureDomain? domain, string what)
    {
        if (value is null || domain is null)
        {
            return;
        }

        foreach (object v in value is List<object> list ? list : [value])
        {
            if (!FeatureDomainCheck.Contains(domain, v))
            {
                throw node.Fail($"the default {Show(v)} of {what} is outside its domain", "Make the default one of the domain's values, or widen the domain.");
            }
        }
    }

    private (TrainHints, YamlNode?, YamlNode?) ReadTrain(YamlNode node, FeatureDtype dtype, string what)
    {
        YamlMapping map = node.AsMapping($"'train' of {what}", "Write 'train: {hash_buckets: 1000, embedding: 16}'.");
        map.CheckKeys(s_trainKeys, $"in 'train' of {what}");
        YamlNode? bucketsNode = map.Get("hash_buckets");
        YamlNode? embeddingNode = map.Get("embedding");
        int? buckets = bucketsNode is null ? null : Size(bucketsNode, $"'hash_buckets' of {what}");
        if (buckets is not null && dtype == FeatureDtype.Float)
        {
            throw bucketsNode!.Fail($"{what} is a float feature and cannot be hashed", "Bucketize a float with 'boundaries: [...]' instead.");
        }

        int? embedding = embeddingNode is null ? null : Size(embeddingNode, $"'embedding' of {what}");
        string? share = map.Get("share") is { } shareNode ? Identifier(shareNode, "a shared embedding name") : null;
        if (share is not null && dtype == FeatureDtype.Float)
        {
            throw map.Get("share")!.Fail($"{what} is a float feature and cannot share an embedding", "Shared embeddings look up ids: use them on string or int64 features.");
        }

        List<double>? boundaries = null;
        if (map.Get("boundaries") is { } boundariesNode)
        {
            if (dtype is FeatureDtype.String or FeatureDtype.Bytes)
            {
                throw boundariesNode.Fail($"{what} is a string feature and cannot be bucketized", "Use 'hash_buckets' or a 'domain' vocabulary for strings.");
            }

            YamlSequence seq = boundariesNode.AsSequence($"'boundaries' of {what}", "Write 'boundaries: [18, 25, 36]'.");
            if (seq.Items.Count == 0)
            {
                throw seq.Fail($"'boundaries' of {what} is empty", "List at least one boundary, or remove 'boundaries'.");
            }

            boundaries = [];
            foreach (YamlNode child in seq.Items)
            {
                double b = (double)Value(child, FeatureDtype.Float, $"a boundary of {what}");
                if (boundaries.Count > 0 && b <= boundaries[^1])
                {
                    throw child.Fail($"the boundaries of {what} do not increase at {Show(b)}", "Boundaries are strictly increasing.");
                }

                boundaries.Add(b);
            }
        }

        bool wide = map.Get("wide") is { } wideNode && wideNode.ReadBool($"'wide' of {what}");
        return (new TrainHints(buckets, embedding, share, boundaries, wide), bucketsNode, embeddingNode);
    }

    /// <summary>Checks each shared-embedding group and gives every member the group's hash buckets and dimension.</summary>
    private List<SpecFeature> ResolveSharedEmbeddings(List<Pending> pending)
    {
        var result = pending.Select(p => p.Feature).ToList();
        foreach (IGrouping<string, Pending> group in pending.Where(p => p.Feature.Train.Share is not null).GroupBy(p => p.Feature.Train.Share!, StringComparer.Ordinal))
        {
            Pending first = group.First();
            int? buckets = null;
            int? embedding = null;
            Pending? bucketsFrom = null;
            Pending? embeddingFrom = null;
            foreach (Pending p in group)
            {
                SpecFeature f = p.Feature;
                if (IsBytesLike(f.Dtype) != IsBytesLike(first.Feature.Dtype))
                {
                    throw p.TrainNode!.Fail($"feature '{f.Name}' ({Json.SpecDescription.DtypeName(f.Dtype)}) shares embedding '{group.Key}' with '{first.Feature.Name}' ({Json.SpecDescription.DtypeName(first.Feature.Dtype)})",
                        "Features that share an embedding hold the same kind of ids; give them the same dtype.");
                }

                if (f.Train.HashBuckets is { } b)
                {
                    if (buckets is not null && buckets != b)
                    {
                        throw p.HashBucketsNode!.Fail($"feature '{f.Name}' has hash_buckets {b} but shares embedding '{group.Key}' with '{bucketsFrom!.Feature.Name}' (hash_buckets {buckets})",
                            "A shared embedding has one size: declare hash_buckets once, on one member, or give all members the same value.");
                    }

                    buckets = b;
                    bucketsFrom = p;
                }

                if (f.Train.Embedding is { } e)
                {
                    if (embedding is not null && embedding != e)
                    {
                        throw p.EmbeddingNode!.Fail($"feature '{f.Name}' has embedding {e} but shares embedding '{group.Key}' with '{embeddingFrom!.Feature.Name}' (embedding {embedding})",
                            "A shared embedding has one dimension: declare it once, on one member, or give all members the same value.");
                    }

                    embedding = e;
                    embeddingFrom = p;
                }
            }

            if (embedding is null)
            {
                throw first.TrainNode!.Fail($"shared embedding '{group.Key}' has no dimension", $"Give one of its features 'embedding: N' (for example on '{first.Feature.Name}').");
            }

            foreach (Pending p in group)
            {
                SpecFeature f = p.Feature;
                var train = new TrainHints(buckets, embedding, f.Train.Share, f.Train.Boundaries, f.Train.Wide);
                result[result.IndexOf(f)] = new SpecFeature(f.Name, f.Dtype, f.Shape, f.Length, f.Required, f.Default, f.Padding, f.Role, f.Domain, train, f.Location) { Drift = f.Drift, Skew = f.Skew, Of = f.Of };
            }
        }

        return result;
    }

    private List<FeatureCross> ReadCrosses(YamlNode node, List<SpecFeature> features)
    {
        YamlSequence seq = node.AsSequence("'crosses'", "Write 'crosses: [{features: [user_id, item_id], hash_buckets: 100000}]'.");
        var byName = features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var crosses = new List<FeatureCross>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (YamlNode child in seq.Items)
        {
            YamlMapping map = child.AsMapping("a cross", "Write '- {features: [a, b], hash_buckets: 1000}'.");
            map.CheckKeys(s_crossKeys, "in a cross");
            YamlNode listNode = map.Get("features") ?? throw map.Fail("a cross has no 'features'", "List the crossed features: 'features: [a, b]'.");
            YamlSequence list = listNode.AsSequence("'features' of a cross", "Write 'features: [a, b]'.");
            if (list.Items.Count < 2)
            {
                throw list.Fail("a cross needs at least two features", "List two or more features to cross.");
            }

            var crossed = new List<string>();
            foreach (YamlNode item in list.Items)
            {
                string name = Identifier(item, "a crossed feature");
                if (!byName.TryGetValue(name, out SpecFeature? f))
                {
                    throw item.Fail($"a cross names '{name}', which is not a feature", Suggestions.DidYouMean(name, byName.Keys, "Cross features declared under 'features'."));
                }

                if (f.Role == FeatureRole.Label)
                {
                    throw item.Fail($"a cross names the label '{name}'", "The label is not a model input; cross input features only.");
                }

                if (f.Dtype == FeatureDtype.Float && f.Train.Boundaries is null)
                {
                    throw item.Fail($"a cross names float feature '{name}', which has no boundaries", $"Give '{name}' 'train: {{boundaries: [...]}}' so it can be bucketized and crossed.");
                }

                if (crossed.Contains(name))
                {
                    throw item.Fail($"a cross names '{name}' twice", "Cross distinct features.");
                }

                crossed.Add(name);
            }

            YamlNode bucketsNode = map.Get("hash_buckets") ?? throw map.Fail("a cross has no 'hash_buckets'", "Crosses are hashed: add 'hash_buckets: N'.");
            int buckets = Size(bucketsNode, "'hash_buckets' of a cross");
            string crossName = map.Get("name") is { } nameNode ? Identifier(nameNode, "a cross name") : string.Join("_x_", crossed);
            if (!names.Add(crossName))
            {
                throw (map.Get("name") ?? map).Fail($"two crosses are named '{crossName}'", "Give each cross its own 'name'.");
            }

            crosses.Add(new FeatureCross(crossName, crossed, buckets, new SourceLocation(file, map.Location.Line, map.Location.Column)));
        }

        return crosses;
    }

    private static bool IsBytesLike(FeatureDtype dtype) => dtype is FeatureDtype.String or FeatureDtype.Bytes;

    // ---- the spec's own types, over the YAML layer's strict reading ----

    private static string Identifier(YamlNode node, string what)
    {
        string value = node.ReadString(what);
        if (!IdentifierPattern().IsMatch(value))
        {
            throw node.Fail($"{what} '{value}' is not a valid identifier", "Names become SQL columns and TensorFlow keys: use letters, digits and '_', not starting with a digit (^[A-Za-z_][A-Za-z0-9_]*$).");
        }

        return value;
    }

    private static int Size(YamlNode node, string what)
    {
        long value = node.ReadInteger(what);
        if (value is < 1 or > MaxSize)
        {
            throw node.Fail($"{what} is {value}", "Give a positive size below 2^31.");
        }

        return (int)value;
    }

    /// <summary>A float feature's value: a number as the YAML layer reads it, within the float32 range.</summary>
    private static double Float32(YamlNode node, string what)
    {
        double d = node.ReadFloat(what);
        if (!double.IsFinite(d) || Math.Abs(d) > float.MaxValue)
        {
            throw node.Fail($"{what} {((YamlScalar)node).Value} is outside the float32 range", "Float features are float32: keep values within ±3.4e+38.");
        }

        return d;
    }

    /// <summary>A value of the feature's dtype: a long, a double or a string.</summary>
    private static object Value(YamlNode node, FeatureDtype dtype, string what) => dtype switch
    {
        FeatureDtype.Int64 => node.ReadInteger($"{what} (int64)"),
        FeatureDtype.Float => Float32(node, $"{what} (float)"),
        _ => StringValue(node, $"{what} ({Json.SpecDescription.DtypeName(dtype)})"),
    };

    private static string StringValue(YamlNode node, string what)
    {
        if (node is YamlScalar { IsPlain: true } s && PlainScalars.WhyNotAString(s.Value) is not null && !PlainScalars.IsNull(s.Value))
        {
            throw node.Fail($"{what} is the unquoted '{s.Value}', which YAML readers do not all read as a string", $"Quote it: \"{s.Value}\".");
        }

        return node.ReadString(what);
    }

    internal static string Show(object? value) => value switch
    {
        string s => $"\"{s}\"",
        double d => Json.PythonFloat.Repr(d),
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"{value}",
    };
}
