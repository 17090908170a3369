using System.Data.Common;
using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Planning;

/// <summary>Where an output query's columns are in a reader's row, looked up by name once per reader.</summary>
/// <param name="Features">The ordinal of each feature, in spec order.</param>
/// <param name="Hash">The ordinal of the shard hash.</param>
/// <param name="Split">The ordinal of the split.</param>
internal sealed record OutputOrdinals(IReadOnlyList<int> Features, int Hash, int Split)
{
    /// <summary>Finds the features, the hash and the split of a reader's row by name.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="features">The features.</param>
    /// <param name="names">The technical names.</param>
    /// <returns>The ordinals.</returns>
    /// <exception cref="InvalidOperationException">A column is missing.</exception>
    public static OutputOrdinals Find(DbDataReader reader, IReadOnlyList<FeatureColumn> features, TechnicalColumns names)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(names);
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < reader.FieldCount; i++)
        {
            byName.TryAdd(reader.GetName(i), i);
        }

        int Of(string name) => byName.TryGetValue(name, out int i)
            ? i
            : throw new InvalidOperationException($"the output query has no column '{name}'; its columns are {string.Join(", ", byName.Keys)}");
        return new OutputOrdinals(features.Select(f => Of(f.Name)).ToArray(), Of(names.Hash), Of(names.Split));
    }
}
