using SparkTfrecord.Spec.Yaml;

namespace SparkTfrecord.Spec.Tests;

[TestFixture]
[Category("Fast")]
public sealed class SpecLoaderTests
{
    [Test]
    public void Din_spec_declares_the_original_pipelines_features()
    {
        FeatureSpec spec = SpecLoader.Load(Repo.Conf("din.yaml"));

        Assert.That(spec.Features.Select(f => f.Name), Is.EqualTo(new[] { "label", "user_id", "age", "gender", "device", "item_id", "clicked_items_15d" }));
        Assert.That(spec.Label.Name, Is.EqualTo("label"));
        Assert.That(spec.Label.Dtype, Is.EqualTo(FeatureDtype.Int64));
        Assert.That(spec.TryGetFeature("user_id", out var user), Is.True);
        Assert.That((user!.Dtype, user.Train.HashBuckets, user.Train.Embedding), Is.EqualTo((FeatureDtype.String, (int?)10000, (int?)16)));
        Assert.That(spec.TryGetFeature("age", out var age), Is.True);
        Assert.That(age!.Default, Is.EqualTo(0L));
        Assert.That(age.Train.Boundaries, Is.EqualTo(new[] { 18.0, 25, 36, 45, 55, 65, 80 }));
        Assert.That(spec.TryGetFeature("gender", out var gender), Is.True);
        Assert.That(gender!.Domain!.Strings, Is.EqualTo(new[] { "0", "1", "未知" }));
        Assert.That(gender.Train.HashBuckets, Is.EqualTo(100));
        Assert.That(spec.TryGetFeature("device", out var device), Is.True);
        Assert.That(device!.Role, Is.EqualTo(FeatureRole.Context));
        Assert.That(spec.TryGetFeature("item_id", out var item), Is.True);
        Assert.That((item!.Train.HashBuckets, item.Train.Embedding, item.Train.Share), Is.EqualTo(((int?)100, (int?)16, "item_matrix")));
        Assert.That(spec.TryGetFeature("clicked_items_15d", out var history), Is.True);
        Assert.That((history!.Shape, history.Dtype, history.Padding, history.Length), Is.EqualTo((FeatureShape.Var, FeatureDtype.String, (object)"0", (int?)null)));
        Assert.That((history.Train.Share, history.Train.HashBuckets, history.Train.Embedding), Is.EqualTo(("item_matrix", (int?)100, (int?)16)), "a shared embedding gives every member the group's size");
        Assert.That(spec.Job, Is.Not.Null, "din.yaml also carries the job: section, kept uninterpreted for the jobs");
        Assert.That(spec.Features.Select(f => f.Name), Is.EqualTo(new[] { "label", "user_id", "age", "gender", "device", "item_id", "clicked_items_15d" }));
    }

    [Test]
    public void Wide_deep_spec_has_crosses_over_declared_features()
    {
        FeatureSpec spec = SpecLoader.Load(Repo.Conf("wide_deep.yaml"));

        Assert.That(spec.Crosses, Is.Not.Empty);
        Assert.That(spec.Crosses.SelectMany(c => c.Features).All(n => spec.TryGetFeature(n, out _)), Is.True);
        Assert.That(spec.Crosses[0].Name, Is.EqualTo("gender_x_category"));
        Assert.That(spec.Features.Where(f => f.Train.Wide).Select(f => f.Name), Does.Contain("age"));
    }

    [Test]
    public void An_arbitrary_job_section_is_accepted_uninterpreted_and_exposed_with_its_marks()
    {
        string yaml = """
            spec: 1
            features:
              - {name: label, dtype: int64, role: label}
            job:
              sources:
                impressions: {path: "{input}/impressions/dt={date}", format: parquet}
              anything: [1, yes, no, 017, 1:30, {deep: {er: ~}}]
              timezone: Asia/Shanghai
              shared: &anchor {a: 1}
              again: *anchor
            """;

        FeatureSpec spec = SpecLoader.Parse(yaml, "job.yaml");

        Assert.That(spec.Job, Is.Not.Null);
        Assert.That(spec.Job!.Location, Is.EqualTo(new SourceLocation("job.yaml", 5, 3)));
        var sources = (YamlMapping)spec.Job.Get("sources")!;
        Assert.That(sources.Location.Line, Is.EqualTo(6));
        Assert.That(((YamlSequence)spec.Job.Get("anything")!).Items, Has.Count.EqualTo(6));
        Assert.That(spec.Job.Get("again"), Is.SameAs(spec.Job.Get("shared")), "an alias is its anchored node");
        Assert.That(spec.File, Is.EqualTo("job.yaml"));
    }

    [Test]
    public void The_job_section_does_not_change_the_spec_hash()
    {
        const string Features = "spec: 1\nfeatures:\n  - {name: label, dtype: int64, role: label}\n";

        string without = SpecLoader.Parse(Features).Hash;
        string with = SpecLoader.Parse(Features + "job: {output: {shards: 16}}\n").Hash;

        Assert.That(with, Is.EqualTo(without));
    }

    [Test]
    public void Comments_layout_and_quoting_style_do_not_change_the_spec_hash()
    {
        string flow = "spec: 1\nfeatures:\n  - {name: label, dtype: int64, role: label}\n  - {name: g, dtype: string, domain: [\"a\", 'b']}\n";
        string block = "# a comment\nspec: 1\nfeatures:\n- name: label\n  dtype: int64\n  role: label\n- name: g   # gender\n  dtype: \"string\"\n  domain:\n    - a2\n    - b\n".Replace("a2", "'a'");

        Assert.That(SpecLoader.Parse(block).Hash, Is.EqualTo(SpecLoader.Parse(flow).Hash));
    }

    [Test]
    public void Din_spec_hash_is_pinned_so_a_change_to_the_normalized_form_is_deliberate()
    {
        // Changing the normalized description changes every dataset's spec_hash: update docs/feature-spec.md and Python with it.
        Assert.That(SpecLoader.Load(Repo.Conf("din.yaml")).Hash, Is.EqualTo("85ec4dd18489f6fbc7f695d213997c1d09ef98a7c05f6497290d8959d95e23e9"));
    }

    [Test]
    public void Optional_feature_defaults_and_fixed_shapes_are_normalized()
    {
        string yaml = "spec: 1\nfeatures:\n  - {name: label, dtype: float, role: label}\n  - {name: v, dtype: float, shape: 3, required: false, default: 1}\n  - {name: w, dtype: int64, shape: 2, default: [1, -2]}\n";

        FeatureSpec spec = SpecLoader.Parse(yaml);

        Assert.That(spec.ToCanonicalJson(), Does.Contain("\"default\":[1.0,1.0,1.0],\"domain\":null,\"dtype\":\"float\",\"length\":3,\"name\":\"v\",\"padding\":0.0,\"required\":false"));
        Assert.That(spec.ToCanonicalJson(), Does.Contain("\"default\":[1,-2]"));
        Assert.That(spec.Label.Padding, Is.EqualTo(0.0));
    }

    [Test]
    public void Sequence_features_make_the_records_sequence_examples()
    {
        string yaml = "spec: 1\nfeatures:\n  - {name: label, dtype: int64, role: label}\n  - {name: clicks, dtype: string, shape: seq, role: history}\n";

        FeatureSpec spec = SpecLoader.Parse(yaml);

        Assert.That(spec.IsSequence, Is.True);
        Assert.That(spec.Features[1].Shape, Is.EqualTo(FeatureShape.Sequence));
    }
}

[TestFixture]
[Category("Fast")]
public sealed class ReadmeTests
{
    [Test]
    public void The_readme_spec_example_loads_and_its_python_example_names_real_functions()
    {
        string readme = File.ReadAllText(Path.Combine(Repo.Root, "docs", "feature-spec.md"));
        int section = readme.IndexOf("# The feature spec", StringComparison.Ordinal);
        int start = readme.IndexOf("```yaml\n", section, StringComparison.Ordinal) + "```yaml\n".Length;
        string yaml = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];

        FeatureSpec spec = SpecLoader.Parse(yaml, "docs/feature-spec.md");

        Assert.That(spec.Name, Is.EqualTo("din"));
        Assert.That(spec.Job, Is.Not.Null);
        Assert.That(spec.Crosses.Single().Name, Is.EqualTo("gender_x_item_id"));
    }
}
