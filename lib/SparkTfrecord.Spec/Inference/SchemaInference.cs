using System.Text;
using System.Text.RegularExpressions;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Spec.Inference;

/// <summary>
/// Infers from records the Spark schema the Spark TFRecord connectors infer: int64 → long, float → float, bytes →
/// string (a feature seen with int64 and float becomes float, with bytes string); a feature whose list holds exactly
/// one value in every record that has it is a scalar, otherwise an array; SequenceExample feature lists are arrays of
/// arrays. Every field is nullable. Also drafts a feature spec from the same evidence.
/// </summary>
public sealed partial class SchemaInference
{
    private readonly Dictionary<string, Column> _columns = new(StringComparer.Ordinal);
    private readonly ExampleDecoder _decoder = new();

    /// <summary>Records seen.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Adds the records of a TFRecord file until <see cref="RecordCount"/> reaches <paramref name="maxRecords"/>.</summary>
    /// <param name="path">The file (opened even when the limit is already reached, so a missing file is an error).</param>
    /// <param name="maxRecords">The most records seen in all, over every file added.</param>
    /// <exception cref="Tfrecord.TfRecordFormatException">The file or a record is damaged (naming the file and the record's offset).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public void AddFile(string path, long maxRecords = long.MaxValue)
    {
        using TfRecordReader reader = TfRecordReader.Open(path);
        while (RecordCount < maxRecords && reader.TryRead(out ReadOnlySpan<byte> payload))
        {
            try
            {
                Add(payload);
            }
            catch (Tfrecord.TfRecordFormatException e)
            {
                throw e.InRecord(path, reader.RecordOffset);
            }
        }
    }

    /// <summary>Adds one record.</summary>
    /// <param name="payload">A serialized Example or SequenceExample.</param>
    /// <exception cref="Tfrecord.TfRecordFormatException">The payload is not a valid message.</exception>
    public void Add(ReadOnlySpan<byte> payload)
    {
        RecordCount++;
        if (ExampleDecoder.LooksLikeSequenceExample(payload))
        {
            SequenceExampleView seq = _decoder.DecodeSequenceExample(payload);
            AddFeatures(seq.Context);
            for (int i = 0; i < seq.FeatureListCount; i++)
            {
                FeatureListView list = seq.GetFeatureList(i);
                Column c = Get(list.Name);
                c.Present++;
                c.Sequence = true;
                for (int f = 0; f < list.Count; f++)
                {
                    FeatureView frame = list[f];
                    c.Observe(frame.Kind, frame.Count);
                }
            }

            return;
        }

        AddFeatures(_decoder.DecodeExample(payload));
    }

    private void AddFeatures(FeaturesView features)
    {
        foreach (FeatureView feature in features)
        {
            if (feature.Kind == FeatureKind.None)
            {
                continue;
            }

            Column c = Get(feature.Name);
            c.Present++;
            c.Observe(feature.Kind, feature.Count);
        }
    }

    private Column Get(string name)
    {
        if (!_columns.TryGetValue(name, out Column? c))
        {
            c = new Column(name);
            _columns.Add(name, c);
        }

        return c;
    }

    private IEnumerable<Column> Columns => _columns.Values.OrderBy(c => c.Name, StringComparer.Ordinal);

    /// <summary>The schema as Spark's <c>printSchema()</c> prints it (fields sorted by name).</summary>
    /// <returns>The tree, ending with a newline.</returns>
    public string ToPrintSchema()
    {
        var sb = new StringBuilder("root\n");
        foreach (Column c in Columns)
        {
            string type = c.SparkType;
            if (c.Sequence)
            {
                sb.Append($" |-- {c.Name}: array (nullable = true)\n");
                sb.Append(" |    |-- element: array (containsNull = true)\n");
                sb.Append($" |    |    |-- element: {type} (containsNull = true)\n");
            }
            else if (c.IsArray)
            {
                sb.Append($" |-- {c.Name}: array (nullable = true)\n");
                sb.Append($" |    |-- element: {type} (containsNull = true)\n");
            }
            else
            {
                sb.Append($" |-- {c.Name}: {type} (nullable = true)\n");
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    private static readonly string[] s_labelNames = ["label", "labels", "click", "clicked", "is_click", "target", "y"];

    /// <summary>A draft feature spec: dtypes, shapes, presence, and a guessed label, to be checked by a person.</summary>
    /// <param name="sources">What the records came from, for the header comment.</param>
    /// <returns>YAML text.</returns>
    public string ToDraftYaml(string sources)
    {
        List<Column> columns = [.. Columns];
        Column? label = columns.FirstOrDefault(c => s_labelNames.Contains(c.Name.ToLowerInvariant()) && c.IsScalarNumber && c.Present == RecordCount)
            ?? columns.FirstOrDefault(c => c.IsScalarNumber && c.Kind == FeatureKind.Int64 && c.Present == RecordCount);
        var sb = new StringBuilder();
        sb.Append("# yaml-language-server: $schema=feature-spec.schema.json\n");
        sb.Append($"# Draft feature spec inferred by `sparktf schema --yaml` from {RecordCount} records of {sources}.\n");
        sb.Append("# Check every line: the label, roles, defaults of optional features, domains and training hints.\n");
        sb.Append("spec: 1\nname: draft\nfeatures:\n");
        foreach (Column c in columns)
        {
            if (!Identifier().IsMatch(c.Name))
            {
                sb.Append($"  # - {{name: \"{c.Name}\"}}   # not a valid identifier (^[A-Za-z_][A-Za-z0-9_]*$): rename it in the data\n");
                continue;
            }

            string dtype = c.Kind switch { FeatureKind.Int64 => "int64", FeatureKind.Float => "float", _ => "string" };
            var parts = new List<string> { $"name: {c.Name}", $"dtype: {dtype}" };
            if (c.Sequence)
            {
                parts.Add("shape: seq");
            }
            else if (c.IsArray)
            {
                parts.Add(c.FixedLength is { } n ? $"shape: {n}" : "shape: var");
            }

            bool optional = c.Present < RecordCount;
            if (optional && !c.Sequence && (!c.IsArray || c.FixedLength is not null))
            {
                parts.Add("required: false");
                parts.Add("default: " + (c.Kind switch { FeatureKind.Int64 => "0", FeatureKind.Float => "0.0", _ => "\"\"" }));
            }
            else if (optional)
            {
                parts.Add("required: false");
            }

            string comment = "";
            if (ReferenceEquals(c, label))
            {
                parts.Add("role: label");
                comment = "   # guessed: check";
            }

            sb.Append($"  - {{{string.Join(", ", parts)}}}{comment}\n");
        }

        if (label is null)
        {
            sb.Append("# No label found: give one scalar int64 or float feature 'role: label'.\n");
        }

        return sb.ToString();
    }

    private sealed class Column(string name)
    {
        private bool _sawInt;
        private bool _sawFloat;
        private bool _sawBytes;
        private int _minCount = int.MaxValue;
        private int _maxCount = int.MinValue;

        public string Name { get; } = name;

        public long Present { get; set; }

        public bool Sequence { get; set; }

        public FeatureKind Kind => _sawBytes ? FeatureKind.Bytes : _sawFloat ? FeatureKind.Float : _sawInt ? FeatureKind.Int64 : FeatureKind.Bytes;

        public string SparkType => Kind switch { FeatureKind.Int64 => "long", FeatureKind.Float => "float", _ => "string" };

        /// <summary>An array unless every list seen held exactly one value.</summary>
        public bool IsArray => !(_minCount == 1 && _maxCount == 1);

        public int? FixedLength => _minCount == _maxCount && _minCount > 1 ? _minCount : null;

        public bool IsScalarNumber => !Sequence && !IsArray && Kind is FeatureKind.Int64 or FeatureKind.Float;

        public void Observe(FeatureKind kind, int count)
        {
            switch (kind)
            {
                case FeatureKind.Int64: _sawInt = true; break;
                case FeatureKind.Float: _sawFloat = true; break;
                case FeatureKind.Bytes: _sawBytes = true; break;
                default: return;
            }

            _minCount = Math.Min(_minCount, count);
            _maxCount = Math.Max(_maxCount, count);
        }
    }
}
