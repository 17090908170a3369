using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SparkTfrecord.Spec.Loading;

/// <summary>Turns the YAML tree of one spec file into a <see cref="FeatureSpec"/>, checking every node.</summary>
internal sealed partial class SpecReader(string file)
{
    internal static readonly string[] s_topKeys = ["spec", "name", "features", "crosses", "job"];
    internal static readonly string[] s_featureKeys = ["name", "dtype", "shape", "required", "default", "padding", "role", "domain", "train"];
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

    private sealed record Pending(SpecFeature Feature, YamlNode? TrainNode, YamlNode? HashBucketsNode, YamlNode? EmbeddingNode);

    public FeatureSpec Read(YamlNode root)
    {
        YamlMappingNode top = Mapping(root, "the spec", "A spec is a mapping with 'spec: 1', 'name:' and 'features:'.");
        CheckKeys(top, s_topKeys, "at the top level of the spec");
        YamlNode versionNode = Get(top, "spec") ?? throw Fail(top, "the spec has no 'spec:' version", "Add 'spec: 1' as the first line.");
        long version = Integer(versionNode, "'spec'");
        if (version != FeatureSpec.CurrentVersion)
        {
            throw Fail(versionNode, $"spec version {version} is not supported", $"This sparktf reads 'spec: {FeatureSpec.CurrentVersion}'.");
        }

        string? name = Get(top, "name") is { } nameNode ? String(nameNode, "'name'") : null;
        YamlMappingNode? job = null;
        if (Get(top, "job") is { } jobNode && !IsNull(jobNode))
        {
            job = jobNode as YamlMappingNode ?? throw Fail(jobNode, "'job' is not a mapping", "The job section is a mapping of job settings (sources, label, history, columns, output).");
        }

        YamlNode featuresNode = Get(top, "features") ?? throw Fail(top, "the spec has no 'features:' list", "Add 'features:' with one entry per feature, for example '- {name: label, dtype: int64, role: label}'.");
        YamlSequenceNode featureList = Sequence(featuresNode, "'features'", "List the features, one '- {name: ..., dtype: ...}' entry each.");
        if (featureList.Children.Count == 0)
        {
            throw Fail(featureList, "'features' is empty", "Declare at least the label feature.");
        }

        var pending = new List<Pending>();
        var byName = new Dictionary<string, SpecFeature>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < featureList.Children.Count; i++)
        {
            Pending p = ReadFeature(featureList.Children[i], i);
            if (byName.TryGetValue(p.Feature.Name, out SpecFeature? other))
            {
                YamlNode dupNode = Get((YamlMappingNode)featureList.Children[i], "name")!;
                throw other.Name == p.Feature.Name
                    ? Fail(dupNode, $"feature '{p.Feature.Name}' is declared twice (first at line {other.Location.Line})", "Feature names are unique; rename or remove one.")
                    : Fail(dupNode, $"feature '{p.Feature.Name}' differs from feature '{other.Name}' (line {other.Location.Line}) only in case", "Names become Spark SQL columns, which ignore case; rename one.");
            }

            byName.Add(p.Feature.Name, p.Feature);
            pending.Add(p);
        }

        List<SpecFeature> labels = pending.Select(p => p.Feature).Where(f => f.Role == FeatureRole.Label).ToList();
        if (labels.Count == 0)
        {
            throw Fail(featuresNode, "no feature has 'role: label'", "Mark the training target, for example '- {name: label, dtype: int64, role: label}'.");
        }

        if (labels.Count > 1)
        {
            SourceLocation at = labels[1].Location;
            throw new SpecException(file, at.Line, at.Column, $"features '{labels[0].Name}' and '{labels[1].Name}' both have 'role: label'", "A spec has exactly one label; give the other feature another role.");
        }

        List<SpecFeature> features = ResolveSharedEmbeddings(pending);
        List<FeatureCross> crosses = Get(top, "crosses") is { } crossesNode ? ReadCrosses(crossesNode, features) : [];
        return new FeatureSpec(file, (int)version, name, features, crosses, job);
    }

    private Pending ReadFeature(YamlNode node, int index)
    {
        string what = $"feature {index + 1}";
        YamlMappingNode map = Mapping(node, what, "Write each feature as a mapping, for example '- {name: age, dtype: int64}'.");
        YamlNode nameNode = Get(map, "name") ?? throw Fail(map, $"{what} has no 'name'", "Add 'name: <identifier>'.");
        string name = Identifier(nameNode, "a feature name");
        what = $"feature '{name}'";
        CheckKeys(map, s_featureKeys, $"in {what}");

        YamlNode dtypeNode = Get(map, "dtype") ?? throw Fail(map, $"{what} has no 'dtype'", "Add 'dtype: int64', 'float', 'string' or 'bytes'.");
        var dtype = (FeatureDtype)Choice(dtypeNode, s_dtypes, $"the dtype of {what}");

        FeatureShape shape = FeatureShape.Scalar;
        int? length = 1;
        if (Get(map, "shape") is { } shapeNode)
        {
            (shape, length) = ReadShape(shapeNode, what);
        }

        bool required = Get(map, "required") is not { } requiredNode || Bool(requiredNode, $"'required' of {what}");
        FeatureRole role = Get(map, "role") is { } roleNode ? (FeatureRole)Choice(roleNode, s_roles, $"the role of {what}") : FeatureRole.Other;

        FeatureDomain? domain = Get(map, "domain") is { } domainNode ? ReadDomain(domainNode, dtype, what) : null;

        object? defaultValue = null;
        if (Get(map, "default") is { } defaultNode)
        {
            defaultValue = ReadDefault(defaultNode, dtype, shape, length, what);
            CheckInDomain(defaultNode, defaultValue, domain, what);
        }

        object padding = Get(map, "padding") is { } paddingNode
            ? Value(paddingNode, dtype, $"the padding of {what}")
            : dtype switch { FeatureDtype.Int64 => 0L, FeatureDtype.Float => 0.0, _ => "0" };

        YamlNode? trainNode = Get(map, "train");
        YamlNode? bucketsNode = null;
        YamlNode? embeddingNode = null;
        TrainHints train = TrainHints.None;
        if (trainNode is not null)
        {
            (train, bucketsNode, embeddingNode) = ReadTrain(trainNode, dtype, what);
        }

        if (role == FeatureRole.Label)
        {
            YamlNode at = Get(map, "role")!;
            if (shape != FeatureShape.Scalar || dtype is not (FeatureDtype.Int64 or FeatureDtype.Float))
            {
                throw Fail(at, $"the label '{name}' must be a scalar int64 or float", "Give the label 'dtype: int64' (clicks) or 'dtype: float' and no 'shape'.");
            }

            if (!required || defaultValue is not null || trainNode is not null)
            {
                throw Fail(at, $"the label '{name}' cannot be optional, have a default or training hints", "Every record has its label; remove 'required: false', 'default' and 'train' from it.");
            }
        }

        if (!required && defaultValue is null && shape is FeatureShape.Scalar or FeatureShape.Fixed)
        {
            throw Fail(Get(map, "required")!, $"optional {what} has no default",
                "TensorFlow's FixedLenFeature cannot parse a record without the feature unless it has a default_value: add 'default:' or drop 'required: false'.");
        }

        var location = new SourceLocation(file, map.Start.Line, map.Start.Column);
        var feature = new SpecFeature(name, dtype, shape, length, required, defaultValue, padding, role, domain, train, location);
        return new Pending(feature, trainNode, bucketsNode, embeddingNode);
    }

    private (FeatureShape, int?) ReadShape(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } scalar && PlainScalars.IsInteger(scalar.Value ?? ""))
        {
            long n = Integer(node, $"the shape of {what}");
            if (n is < 1 or > 1 << 20)
            {
                throw Fail(node, $"the shape of {what} is {n} values", "A fixed shape is a number of values from 1 to 1048576; use 'var' for variable length.");
            }

            return (FeatureShape.Fixed, (int)n);
        }

        int choice = Choice(node, s_shapes, $"the shape of {what}", "'scalar' (one value), a number N (exactly N values), 'var' (variable length) or 'seq' (a SequenceExample feature list)");
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
                if (node is YamlSequenceNode seq)
                {
                    if (seq.Children.Count != length)
                    {
                        throw Fail(node, $"{label} has {seq.Children.Count} values but the shape is {length}", $"Give exactly {length} values, or one value to repeat.");
                    }

                    return seq.Children.Select(c => Value(c, dtype, label)).ToList();
                }

                object one = Value(node, dtype, label);
                return Enumerable.Repeat(one, length!.Value).ToList();
            default:
                throw Fail(node, $"{what} has variable length and so no default", "A record without it holds an empty list; use 'padding' for the value padded_batch fills in.");
        }
    }

    private FeatureDomain ReadDomain(YamlNode node, FeatureDtype dtype, string what)
    {
        string label = $"the domain of {what}";
        if (node is YamlSequenceNode seq)
        {
            if (dtype == FeatureDtype.Float)
            {
                throw Fail(node, $"{label} lists values, but a float feature's domain is a range", "Write 'domain: {min: 0.0, max: 1.0}'.");
            }

            if (seq.Children.Count == 0)
            {
                throw Fail(node, $"{label} is empty", "List the allowed values, or remove 'domain'.");
            }

            var seen = new HashSet<object>();
            var values = new List<object>();
            foreach (YamlNode child in seq.Children)
            {
                object v = Value(child, dtype, $"a value in {label}");
                if (!seen.Add(v))
                {
                    throw Fail(child, $"{label} lists {Show(v)} twice", "List each value once.");
                }

                values.Add(v);
            }

            return dtype == FeatureDtype.Int64
                ? new FeatureDomain(null, values.Cast<long>().ToList(), null, null)
                : new FeatureDomain(values.Cast<string>().ToList(), null, null, null);
        }

        if (node is YamlMappingNode map)
        {
            if (dtype is FeatureDtype.String or FeatureDtype.Bytes)
            {
                throw Fail(node, $"{label} is a range, but a string feature's domain is a list of values", "Write 'domain: [\"a\", \"b\"]'.");
            }

            CheckKeys(map, s_rangeKeys, $"in {label}");
            YamlNode? minNode = Get(map, "min");
            YamlNode? maxNode = Get(map, "max");
            if (minNode is null && maxNode is null)
            {
                throw Fail(node, $"{label} has neither 'min' nor 'max'", "Give 'min', 'max' or both.");
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
                throw Fail(minNode!, $"{label} has min {Show(min)} above max {Show(max)}", "Swap them.");
            }

            return new FeatureDomain(null, null, min, max);
        }

        throw Fail(node, $"{label} is neither a list of values nor a range", "Write 'domain: [\"a\", \"b\"]' for strings or integers, or 'domain: {min: 0, max: 120}' for numbers.");
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
                throw Fail(node, $"the default {Show(v)} of {what} is outside its domain", "Make the default one of the domain's values, or widen the domain.");
            }
        }
    }

    private (TrainHints, YamlNode?, YamlNode?) ReadTrain(YamlNode node, FeatureDtype dtype, string what)
    {
        YamlMappingNode map = Mapping(node, $"'train' of {what}", "Write 'train: {hash_buckets: 1000, embedding: 16}'.");
        CheckKeys(map, s_trainKeys, $"in 'train' of {what}");
        YamlNode? bucketsNode = Get(map, "hash_buckets");
        YamlNode? embeddingNode = Get(map, "embedding");
        int? buckets = bucketsNode is null ? null : Size(bucketsNode, $"'hash_buckets' of {what}");
        if (buckets is not null && dtype == FeatureDtype.Float)
        {
            throw Fail(bucketsNode!, $"{what} is a float feature and cannot be hashed", "Bucketize a float with 'boundaries: [...]' instead.");
        }

        int? embedding = embeddingNode is null ? null : Size(embeddingNode, $"'embedding' of {what}");
        string? share = Get(map, "share") is { } shareNode ? Identifier(shareNode, "a shared embedding name") : null;
        if (share is not null && dtype == FeatureDtype.Float)
        {
            throw Fail(Get(map, "share")!, $"{what} is a float feature and cannot share an embedding", "Shared embeddings look up ids: use them on string or int64 features.");
        }

        List<double>? boundaries = null;
        if (Get(map, "boundaries") is { } boundariesNode)
        {
            if (dtype is FeatureDtype.String or FeatureDtype.Bytes)
            {
                throw Fail(boundariesNode, $"{what} is a string feature and cannot be bucketized", "Use 'hash_buckets' or a 'domain' vocabulary for strings.");
            }

            YamlSequenceNode seq = Sequence(boundariesNode, $"'boundaries' of {what}", "Write 'boundaries: [18, 25, 36]'.");
            if (seq.Children.Count == 0)
            {
                throw Fail(seq, $"'boundaries' of {what} is empty", "List at least one boundary, or remove 'boundaries'.");
            }

            boundaries = [];
            foreach (YamlNode child in seq.Children)
            {
                double b = (double)Value(child, FeatureDtype.Float, $"a boundary of {what}");
                if (boundaries.Count > 0 && b <= boundaries[^1])
                {
                    throw Fail(child, $"the boundaries of {what} do not increase at {Show(b)}", "Boundaries are strictly increasing.");
                }

                boundaries.Add(b);
            }
        }

        bool wide = Get(map, "wide") is { } wideNode && Bool(wideNode, $"'wide' of {what}");
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
                    throw Fail(p.TrainNode!, $"feature '{f.Name}' ({Json.SpecDescription.DtypeName(f.Dtype)}) shares embedding '{group.Key}' with '{first.Feature.Name}' ({Json.SpecDescription.DtypeName(first.Feature.Dtype)})",
                        "Features that share an embedding hold the same kind of ids; give them the same dtype.");
                }

                if (f.Train.HashBuckets is { } b)
                {
                    if (buckets is not null && buckets != b)
                    {
                        throw Fail(p.HashBucketsNode!, $"feature '{f.Name}' has hash_buckets {b} but shares embedding '{group.Key}' with '{bucketsFrom!.Feature.Name}' (hash_buckets {buckets})",
                            "A shared embedding has one size: declare hash_buckets once, on one member, or give all members the same value.");
                    }

                    buckets = b;
                    bucketsFrom = p;
                }

                if (f.Train.Embedding is { } e)
                {
                    if (embedding is not null && embedding != e)
                    {
                        throw Fail(p.EmbeddingNode!, $"feature '{f.Name}' has embedding {e} but shares embedding '{group.Key}' with '{embeddingFrom!.Feature.Name}' (embedding {embedding})",
                            "A shared embedding has one dimension: declare it once, on one member, or give all members the same value.");
                    }

                    embedding = e;
                    embeddingFrom = p;
                }
            }

            if (embedding is null)
            {
                throw Fail(first.TrainNode!, $"shared embedding '{group.Key}' has no dimension", $"Give one of its features 'embedding: N' (for example on '{first.Feature.Name}').");
            }

            foreach (Pending p in group)
            {
                SpecFeature f = p.Feature;
                var train = new TrainHints(buckets, embedding, f.Train.Share, f.Train.Boundaries, f.Train.Wide);
                result[result.IndexOf(f)] = new SpecFeature(f.Name, f.Dtype, f.Shape, f.Length, f.Required, f.Default, f.Padding, f.Role, f.Domain, train, f.Location);
            }
        }

        return result;
    }

    private List<FeatureCross> ReadCrosses(YamlNode node, List<SpecFeature> features)
    {
        YamlSequenceNode seq = Sequence(node, "'crosses'", "Write 'crosses: [{features: [user_id, item_id], hash_buckets: 100000}]'.");
        var byName = features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var crosses = new List<FeatureCross>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (YamlNode child in seq.Children)
        {
            YamlMappingNode map = Mapping(child, "a cross", "Write '- {features: [a, b], hash_buckets: 1000}'.");
            CheckKeys(map, s_crossKeys, "in a cross");
            YamlNode listNode = Get(map, "features") ?? throw Fail(map, "a cross has no 'features'", "List the crossed features: 'features: [a, b]'.");
            YamlSequenceNode list = Sequence(listNode, "'features' of a cross", "Write 'features: [a, b]'.");
            if (list.Children.Count < 2)
            {
                throw Fail(list, "a cross needs at least two features", "List two or more features to cross.");
            }

            var crossed = new List<string>();
            foreach (YamlNode item in list.Children)
            {
                string name = Identifier(item, "a crossed feature");
                if (!byName.TryGetValue(name, out SpecFeature? f))
                {
                    throw Fail(item, $"a cross names '{name}', which is not a feature", DidYouMean(name, byName.Keys, "Cross features declared under 'features'."));
                }

                if (f.Role == FeatureRole.Label)
                {
                    throw Fail(item, $"a cross names the label '{name}'", "The label is not a model input; cross input features only.");
                }

                if (f.Dtype == FeatureDtype.Float && f.Train.Boundaries is null)
                {
                    throw Fail(item, $"a cross names float feature '{name}', which has no boundaries", $"Give '{name}' 'train: {{boundaries: [...]}}' so it can be bucketized and crossed.");
                }

                if (crossed.Contains(name))
                {
                    throw Fail(item, $"a cross names '{name}' twice", "Cross distinct features.");
                }

                crossed.Add(name);
            }

            YamlNode bucketsNode = Get(map, "hash_buckets") ?? throw Fail(map, "a cross has no 'hash_buckets'", "Crosses are hashed: add 'hash_buckets: N'.");
            int buckets = Size(bucketsNode, "'hash_buckets' of a cross");
            string crossName = Get(map, "name") is { } nameNode ? Identifier(nameNode, "a cross name") : string.Join("_x_", crossed);
            if (!names.Add(crossName))
            {
                throw Fail(Get(map, "name") ?? map, $"two crosses are named '{crossName}'", "Give each cross its own 'name'.");
            }

            crosses.Add(new FeatureCross(crossName, crossed, buckets, new SourceLocation(file, map.Start.Line, map.Start.Column)));
        }

        return crosses;
    }

    private static bool IsBytesLike(FeatureDtype dtype) => dtype is FeatureDtype.String or FeatureDtype.Bytes;

    // ---- typed reading of nodes ----

    private YamlMappingNode Mapping(YamlNode node, string what, string hint)
    {
        CheckTag(node);
        return node as YamlMappingNode ?? throw Fail(node, $"{what} is {Describe(node)}, not a mapping", hint);
    }

    private YamlSequenceNode Sequence(YamlNode node, string what, string hint)
    {
        CheckTag(node);
        return node as YamlSequenceNode ?? throw Fail(node, $"{what} is {Describe(node)}, not a list", hint);
    }

    private YamlScalarNode Scalar(YamlNode node, string what, string expected)
    {
        CheckTag(node);
        return node as YamlScalarNode ?? throw Fail(node, $"{what} is {Describe(node)}, not {expected}", $"Write {expected} here.");
    }

    /// <summary>Explicit tags (<c>!!int</c>, <c>!python/object</c>) are refused: the spec's own rules decide every type.</summary>
    private void CheckTag(YamlNode node)
    {
        if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific)
        {
            throw Fail(node, $"the tag '{node.Tag.Value}' is not allowed", "Remove the tag: the spec decides each value's type, and quotes make a string.");
        }
    }

    private bool IsNull(YamlNode node) => node is YamlScalarNode { Style: ScalarStyle.Plain } s && PlainScalars.IsNull(s.Value ?? "");

    private string String(YamlNode node, string what)
    {
        YamlScalarNode s = Scalar(node, what, "a string");
        string value = s.Value ?? "";
        if (s.Style == ScalarStyle.Plain && PlainScalars.WhyNotAString(value) is { } why)
        {
            throw Fail(node, $"{what}: {why}", $"Quote it: \"{value}\".");
        }

        return value;
    }

    private string Identifier(YamlNode node, string what)
    {
        string value = String(node, what);
        if (!IdentifierPattern().IsMatch(value))
        {
            throw Fail(node, $"{what} '{value}' is not a valid identifier", "Names become SQL columns and TensorFlow keys: use letters, digits and '_', not starting with a digit (^[A-Za-z_][A-Za-z0-9_]*$).");
        }

        return value;
    }

    private int Choice(YamlNode node, string[] options, string what, string? described = null)
    {
        described ??= string.Join(", ", options.Select(o => $"'{o}'"));
        YamlScalarNode s = Scalar(node, what, "a word");
        string value = s.Value ?? "";
        int index = Array.IndexOf(options, value);
        if (index < 0 || s.Style != ScalarStyle.Plain && s.Style != ScalarStyle.SingleQuoted && s.Style != ScalarStyle.DoubleQuoted)
        {
            throw Fail(node, $"{what} is '{value}'", DidYouMean(value, options, $"Use one of {described}."));
        }

        return index;
    }

    private long Integer(YamlNode node, string what)
    {
        YamlScalarNode s = Scalar(node, what, "an integer");
        string value = s.Value ?? "";
        if (s.Style != ScalarStyle.Plain)
        {
            throw Fail(node, $"{what} is the quoted string \"{value}\", not an integer", "Write the number without quotes.");
        }

        if (!PlainScalars.IsInteger(value))
        {
            throw Fail(node, $"{what} is not an integer: {PlainScalars.WhyNotAnInteger(value)}", "For example 16 or -1.");
        }

        if (!PlainScalars.TryParseInteger(value, out long result))
        {
            throw Fail(node, $"{what} {value} does not fit in 64 bits", "int64 values are from -9223372036854775808 to 9223372036854775807.");
        }

        return result;
    }

    private int Size(YamlNode node, string what)
    {
        long value = Integer(node, what);
        if (value is < 1 or > MaxSize)
        {
            throw Fail(node, $"{what} is {value}", "Give a positive size below 2^31.");
        }

        return (int)value;
    }

    private double Float(YamlNode node, string what)
    {
        YamlScalarNode s = Scalar(node, what, "a number");
        string value = s.Value ?? "";
        if (s.Style != ScalarStyle.Plain)
        {
            throw Fail(node, $"{what} is the quoted string \"{value}\", not a number", "Write the number without quotes.");
        }

        if (!PlainScalars.IsInteger(value) && !PlainScalars.IsFloat(value))
        {
            throw Fail(node, $"{what} '{value}' is not a number both YAML 1.1 and 1.2 read the same way",
                "Write digits with a point and digits after it, and a signed exponent if any: 0.5, 100.0, 1.0e+5, -2.5e-3 (not 1e5, .5, 5., .inf or 1_000.0).");
        }

        double d = PlainScalars.ParseFloat(value);
        if (!double.IsFinite(d) || Math.Abs(d) > float.MaxValue)
        {
            throw Fail(node, $"{what} {value} is outside the float32 range", "Float features are float32: keep values within ±3.4e+38.");
        }

        return d;
    }

    private bool Bool(YamlNode node, string what)
    {
        YamlScalarNode s = Scalar(node, what, "true or false");
        string value = s.Value ?? "";
        if (s.Style == ScalarStyle.Plain && value is "true" or "false")
        {
            return value == "true";
        }

        throw Fail(node, $"{what} is '{value}', not true or false", "Write true or false, unquoted (yes, no, on and off mean different things to YAML 1.1 and 1.2 readers).");
    }

    /// <summary>A value of the feature's dtype: a long, a double or a string.</summary>
    private object Value(YamlNode node, FeatureDtype dtype, string what) => dtype switch
    {
        FeatureDtype.Int64 => Integer(node, $"{what} (int64)"),
        FeatureDtype.Float => Float(node, $"{what} (float)"),
        _ => StringValue(node, $"{what} ({Json.SpecDescription.DtypeName(dtype)})"),
    };

    private string StringValue(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain } s && PlainScalars.WhyNotAString(s.Value ?? "") is not null && !PlainScalars.IsNull(s.Value ?? ""))
        {
            string value = s.Value ?? "";
            throw Fail(node, $"{what} is the unquoted '{value}', which YAML readers do not all read as a string", $"Quote it: \"{value}\".");
        }

        return String(node, what);
    }

    private void CheckKeys(YamlMappingNode map, string[] known, string where)
    {
        foreach (KeyValuePair<YamlNode, YamlNode> entry in map.Children)
        {
            if (entry.Key is not YamlScalarNode key)
            {
                throw Fail(entry.Key, $"a key {where} is {Describe(entry.Key)}", "Keys are plain words.");
            }

            if (Array.IndexOf(known, key.Value) < 0)
            {
                throw Fail(entry.Key, $"unknown key '{key.Value}' {where}", DidYouMean(key.Value ?? "", known, $"Known keys: {string.Join(", ", known)}."));
            }
        }
    }

    private static YamlNode? Get(YamlMappingNode map, string key)
    {
        foreach (KeyValuePair<YamlNode, YamlNode> entry in map.Children)
        {
            if (entry.Key is YamlScalarNode s && s.Value == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" or "Null" or "NULL" } => "empty (null)",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an alias",
    };

    internal static string Show(object? value) => value switch
    {
        string s => $"\"{s}\"",
        double d => Json.PythonFloat.Repr(d),
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"{value}",
    };

    private static string DidYouMean(string value, IEnumerable<string> options, string otherwise)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string option in options)
        {
            int d = Distance(value.ToLowerInvariant(), option.ToLowerInvariant());
            if (d < bestDistance)
            {
                best = option;
                bestDistance = d;
            }
        }

        return best is not null && bestDistance <= Math.Max(1, value.Length / 3) ? $"Did you mean '{best}'? {otherwise}" : otherwise;
    }

    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }

    private SpecException Fail(YamlNode node, string problem, string hint) =>
        new(file, node.Start.Line, node.Start.Column, problem, hint);
}

/// <summary>Membership of a value in a feature's domain, shared by the loader and validation.</summary>
internal static class FeatureDomainCheck
{
    public static bool Contains(FeatureDomain domain, object value) => value switch
    {
        string s => domain.Strings is null || domain.Strings.Contains(s, StringComparer.Ordinal),
        long l when domain.Integers is not null => domain.Integers.Contains(l),
        long l => (domain.Min is not long min || l >= min) && (domain.Max is not long max || l <= max),
        double d => (domain.Min is not double min || d >= min) && (domain.Max is not double max || d <= max),
        _ => true,
    };
}
