using SparkTfrecord.Engine.Config;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The <c>job:</c> section is read by the spec library's YAML layer, as the features are: the same dialect (true/false
/// only, numbers in the forms YAML 1.1 and 1.2 read alike, no tags) and the same <c>file:line:column</c> message for the
/// same mistake. Positions are found in the YAML the test wrote; the spec's own message for the mistake is the evidence
/// the job's message is compared with.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class JobSectionYamlTests
{
    private const string Base = """
        spec: 1
        features:
          - {name: label, dtype: int64, role: label}
          - {name: user_id, dtype: string, role: user}
          - {name: clicked, dtype: string, shape: var, role: history}
        job:
          sources:
            impressions:
              path: "{input}/impressions/dt={date}"
              format: csv
              csv: {header: true, delimiter: ","}
              time: {column: ts, unit: ms}
              dedup: [request_id, item_id]
            clicks: {path: "{input}/clicks/dt={date-15d..date}", time: {column: ts, unit: ms}}
          timezone: Asia/Shanghai
          label: {events: clicks, match: [request_id, item_id], within: 30m}
          history:
            clicked: {events: clicks, value: item_id, window: 15d, max_length: 5}
          columns: {user_id: impressions.user_id}
          sampling: {negative_rate: 0.5, eval_fraction: 0.1, salt: s1, key: [request_id, item_id]}
          output: {shards: 2, compression: none}
          checks: {min_samples: 10, max_outside_day_fraction: 0.6}

        """;

    private static JobConfig Read(string yaml) => JobDefinition.FromSpec(SpecLoader.Parse(yaml, "spec.yaml")).Job;

    private static string With(string from, string to)
    {
        Assert.That(Base.Split(from).Length, Is.EqualTo(2), $"'{from}' must occur once in the base config");
        return Base.Replace(from, to, StringComparison.Ordinal);
    }

    // The 1-based line and column of the first occurrence of `at` in `yaml`.
    private static string Place(string yaml, string at)
    {
        int index = yaml.IndexOf(at, StringComparison.Ordinal);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"'{at}' is not in the YAML");
        int line = yaml[..index].Count(c => c == '\n') + 1;
        int column = index - (yaml.LastIndexOf('\n', Math.Max(0, index - 1)) + 1) + 1;
        return $"spec.yaml:{line}:{column}: ";
    }

    // What the spec says about the same value written in a feature, the evidence for "the same message". `feature`
    // replaces the user_id feature's entry.
    private static SpecException SpecMistake(string feature)
    {
        string yaml = Base.Replace("  - {name: user_id, dtype: string, role: user}", feature, StringComparison.Ordinal);
        return Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "spec.yaml"))!;
    }

    // A message after the name of the value it is about: what is said of the value, and the hint.
    private static string After(string message, string what)
    {
        int at = message.IndexOf(what, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), $"'{what}' is not in: {message}");
        return message[(at + what.Length)..];
    }

    [Test]
    public void The_base_config_is_read()
    {
        var job = Read(Base);

        Assert.Multiple(() =>
        {
            Assert.That(job.Sources["impressions"].Csv.Header, Is.True);
            Assert.That(job.Sampling.EvalFraction, Is.EqualTo(0.1));
            Assert.That(job.Output.Shards, Is.EqualTo(2));
            Assert.That(job.Checks, Is.EqualTo(new DayChecksConfig(10, 0.6)));
        });
    }

    [TestCase("yes")]
    [TestCase("no")]
    [TestCase("on")]
    [TestCase("off")]
    [TestCase("True")]
    [TestCase("\"true\"")]
    public void A_boolean_other_than_unquoted_true_or_false_is_refused_with_the_specs_message(string written)
    {
        string yaml = With("header: true", $"header: {written}");
        var spec = SpecMistake($"  - {{name: user_id, dtype: string, role: user, required: {written}}}");

        var e = Assert.Throws<JobConfigException>(() => Read(yaml))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.StartWith(Place(yaml, $"{written}, delimiter") + "header is '" + written.Trim('"') + "', not true or false. Write true or false, unquoted"));
            Assert.That(After(e.Message, "header"), Is.EqualTo(After(spec.Message, "'required' of feature 'user_id'")), "the spec's message for the same value");
        });
    }

    [TestCase(".5")]
    [TestCase("5.")]
    [TestCase("1e-1")]
    [TestCase(".inf")]
    [TestCase("0.1_0")]
    [TestCase("\"0.1\"")]
    public void A_number_in_a_form_YAML_readers_disagree_on_is_refused_with_the_specs_message(string written)
    {
        string yaml = With("eval_fraction: 0.1", $"eval_fraction: {written}");
        var spec = SpecMistake($"  - {{name: user_id, dtype: float, role: user, default: {written}}}");

        var e = Assert.Throws<JobConfigException>(() => Read(yaml))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.StartWith(Place(yaml, $"{written}, salt") + "eval_fraction "));
            Assert.That(After(e.Message, "eval_fraction"), Is.EqualTo(After(spec.Message, "the default of feature 'user_id' (float)")), "the spec's message for the same value");
        });
    }

    [Test]
    public void A_fraction_written_without_a_leading_digit_names_the_forms_accepted()
    {
        string yaml = With("max_outside_day_fraction: 0.6", "max_outside_day_fraction: .6");

        var e = Assert.Throws<JobConfigException>(() => Read(yaml))!;

        Assert.That(e.Message, Is.EqualTo(Place(yaml, ".6}") + "max_outside_day_fraction '.6' is not a number both YAML 1.1 and 1.2 read the same way. " +
            "Write digits with a point and digits after it, and a signed exponent if any: 0.5, 100.0, 1.0e+5, -2.5e-3 (not 1e5, .5, 5., .inf or 1_000.0)."));
    }

    [TestCase("017", "has a leading zero")]
    [TestCase("1:30", "is not a plain decimal integer")]
    [TestCase("+2", "is not a plain decimal integer")]
    [TestCase("2_0", "is not a plain decimal integer")]
    [TestCase("0x10", "is not a plain decimal integer")]
    public void An_integer_in_a_form_YAML_readers_disagree_on_is_refused_with_the_specs_message(string written, string why)
    {
        string yaml = With("shards: 2", $"shards: {written}");
        var spec = SpecMistake($"  - {{name: user_id, dtype: string, role: user, train: {{hash_buckets: {written}}}}}");

        var e = Assert.Throws<JobConfigException>(() => Read(yaml))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.StartWith(Place(yaml, $"{written}, compression") + $"shards is not an integer: '{written}' {why}"));
            Assert.That(After(e.Message, "shards"), Is.EqualTo(After(spec.Message, "'hash_buckets' of feature 'user_id'")), "the spec's message for the same value");
        });
    }

    [Test]
    public void A_quoted_or_leading_zero_min_samples_is_refused()
    {
        foreach (string written in new[] { "\"10\"", "010", "-1", "1.0" })
        {
            string yaml = With("min_samples: 10", $"min_samples: {written}");

            var e = Assert.Throws<JobConfigException>(() => Read(yaml))!;

            Assert.That(e.Message, Does.StartWith(Place(yaml, $"{written},")).And.Contain("min_samples must be a whole number of samples, 0 or more"), written);
        }
    }

    [TestCase("timezone: Asia/Shanghai", "timezone: !!str Asia/Shanghai", "!!str Asia", "tag:yaml.org,2002:str")]
    [TestCase("dedup: [request_id, item_id]", "dedup: [request_id, !!str item_id]", "!!str item_id", "tag:yaml.org,2002:str")]
    [TestCase("output: {shards: 2,", "output: !!map {shards: 2,", "!!map", "tag:yaml.org,2002:map")]
    [TestCase("shards: 2", "!!str shards: 2", "!!str shards", "tag:yaml.org,2002:str")]
    [TestCase("shards: 2", "shards: !!int 2", "!!int 2", "tag:yaml.org,2002:int")]
    [TestCase("header: true", "header: !!bool yes", "!!bool yes", "tag:yaml.org,2002:bool")]
    [TestCase("  checks:", "  quarantine: !custom {max_bad_fraction: 0.1}\n  checks:", "!custom", "!custom")]
    [TestCase("max_length: 5}", "max_length: 5, order: !python/object:os.system newest_first}", "!python", "!python/object:os.system")]
    public void A_tag_anywhere_in_the_job_section_is_refused_at_its_place(string from, string to, string at, string tag)
    {
        string yaml = With(from, to);

        var e = Assert.Throws<JobConfigException>(() => Read(yaml))!;

        Assert.That(e.Message, Is.EqualTo(Place(yaml, at) + $"the tag '{tag}' is not allowed. Remove the tag: the spec decides each value's type, and quotes make a string."));
    }

    [Test]
    public void A_misspelt_key_is_answered_with_did_you_mean_and_the_keys_known_there()
    {
        string yaml = With("negative_rate: 0.5", "negativ_rate: 0.5");

        var e = Assert.Throws<JobConfigException>(() => Read(yaml))!;

        Assert.That(e.Message, Is.EqualTo(Place(yaml, "negativ_rate") + "unknown key 'negativ_rate' in 'sampling'. Did you mean 'negative_rate'? Known keys: negative_rate, eval_fraction, salt, key, weight, split."));
    }

    [Test]
    public void A_value_of_the_wrong_shape_names_what_it_is()
    {
        string yaml = With("salt: s1", "salt: [s1]");

        var e = Assert.Throws<JobConfigException>(() => Read(yaml))!;

        Assert.That(e.Message, Is.EqualTo(Place(yaml, "[s1]") + "salt is a list, not a string. Write a string here."));
    }

    [Test]
    public void A_duplicate_key_in_the_job_section_is_refused_at_the_second_one()
    {
        string yaml = With("salt: s1,", "salt: s1, 'salt': s2,");

        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "spec.yaml"))!;

        Assert.That(e.Message, Does.StartWith(Place(yaml, "'salt'") + "YAML syntax error: Duplicate key salt."));
    }

    [Test]
    public void The_time_zone_is_resolved_once_when_the_config_is_read()
    {
        var shanghai = Read(Base);
        var utc = Read(With("  timezone: Asia/Shanghai\n", ""));

        Assert.Multiple(() =>
        {
            Assert.That((shanghai.TimeZone, shanghai.Zone.Id), Is.EqualTo(("Asia/Shanghai", "Asia/Shanghai")));
            Assert.That(shanghai.Zone.BaseUtcOffset, Is.EqualTo(TimeSpan.FromHours(8)));
            Assert.That((utc.TimeZone, utc.Zone), Is.EqualTo(("UTC", TimeZoneInfo.Utc)));
        });
    }

    [Test]
    public void The_plan_cuts_the_day_in_the_zone_the_config_resolved()
    {
        var definition = JobDefinition.FromSpec(SpecLoader.Parse(Base, "spec.yaml"));

        var plan = Planning.JobPlan.Create(definition, new DateOnly(2024, 1, 15), "/nonexistent", resolveFiles: false);

        // Midnight of 2024-01-15 in Shanghai (UTC+8) is 2024-01-14 16:00 UTC.
        long expected = new DateTimeOffset(2024, 1, 14, 16, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
        Assert.That(plan.DayStartMicros, Is.EqualTo(expected));
    }
}
