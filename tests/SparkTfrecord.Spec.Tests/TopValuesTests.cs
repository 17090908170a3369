using System.Text;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Spec.Tests;

/// <summary>
/// The top values' guarantee (docs/report.md) on a stream with far more distinct values than counters, so that purges
/// and the arena's compactions happen, against exact counts kept in a dictionary; and the validator's top values of a
/// history (one hash per value serving the distinct count too) against the same values added one at a time.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class TopValuesTests
{
    private const int Distinct = 50_000;

    // A Zipf-like stream (rank r drawn with weight 1 / r^1.1) of names of varied lengths, the same on every run.
    private static List<string> ZipfStream(int length, int seed)
    {
        double[] cumulative = new double[Distinct];
        double sum = 0;
        for (int r = 0; r < Distinct; r++)
        {
            sum += 1 / Math.Pow(r + 1, 1.1);
            cumulative[r] = sum;
        }

        var random = new Random(seed);
        var stream = new List<string>(length);
        for (int i = 0; i < length; i++)
        {
            int rank = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            rank = rank < 0 ? ~rank : rank;
            stream.Add($"item-{rank}" + new string('x', rank % 13));
        }

        return stream;
    }

    [Test]
    public void Every_value_over_the_bound_is_kept_with_a_count_short_by_at_most_the_bound()
    {
        List<string> stream = ZipfStream(400_000, seed: 15);
        var top = new TopValues();
        var exact = new Dictionary<string, long>();
        foreach (string value in stream)
        {
            top.Add(Encoding.UTF8.GetBytes(value));
            exact[value] = exact.GetValueOrDefault(value) + 1;
        }

        Assert.That(exact, Has.Count.GreaterThan(4 * TopValues.Counters), "enough distinct values for purges");
        long bound = stream.Count / TopValues.Bound;
        Dictionary<string, long> kept = top.Top(TopValues.Counters).ToDictionary(v => v.Value, v => v.Count);
        Assert.That(top.Total, Is.EqualTo(stream.Count));
        Assert.Multiple(() =>
        {
            foreach (var (value, count) in kept)
            {
                Assert.That(exact.ContainsKey(value), $"{value} was seen");
                Assert.That(count, Is.InRange(exact[value] - bound, exact[value]), value);
            }

            foreach (var (value, count) in exact.Where(e => e.Value > bound))
            {
                Assert.That(kept.ContainsKey(value), $"{value} (seen {count} times, over {bound}) is kept");
            }
        });
    }

    [Test]
    public void The_validator_counts_a_history_as_values_added_one_at_a_time()
    {
        string temp = Directory.CreateTempSubdirectory("sparktf-top-").FullName;
        try
        {
            string spec = Path.Combine(temp, "spec.yaml");
            File.WriteAllText(spec, """
                spec: 1
                name: history
                features:
                  - {name: label, dtype: int64, role: label}
                  - {name: h, dtype: string, shape: var, role: history}
                """);
            List<string> stream = ZipfStream(200_000, seed: 12);
            string data = Path.Combine(temp, "part-00000.tfrecord");
            var expected = new TopValues();
            using (TfRecordWriter writer = TfRecordWriter.Create(data))
            {
                var encoder = new ExampleEncoder();
                int at = 0;
                for (int record = 0; at < stream.Count; record++)
                {
                    List<string> list = stream.GetRange(at, Math.Min(record % 61, stream.Count - at)); // 0 to 60 values
                    at += list.Count;
                    encoder.Clear();
                    encoder.AddInt64(new FeatureKey("label"), 0);
                    encoder.AddStringList(new FeatureKey("h"), list);
                    writer.WriteFramed(encoder.GetRecord());
                    foreach (string value in list)
                    {
                        expected.Add(Encoding.UTF8.GetBytes(value));
                    }
                }
            }

            var validator = new DatasetValidator(ValidationRules.FromSpec(SpecLoader.Load(spec)), statistics: true);
            validator.AddFile(data);
            var statistics = DatasetStatistics.Of(validator.GetReport(), data, null, DateTimeOffset.UnixEpoch);
            StringValues strings = statistics.Features.Single(f => f.Name == "h").Strings!;
            Assert.That(strings.TotalValues, Is.EqualTo(expected.Total));
            Assert.That(strings.Top, Is.EqualTo(expected.Top(strings.Top.Count)));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
