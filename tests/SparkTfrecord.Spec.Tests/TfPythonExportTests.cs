using SparkTfrecord.Spec.Exports;

namespace SparkTfrecord.Spec.Tests;

/// <summary>
/// The tf-python export of conf/din.yaml equals tests/python/golden/din_example_fmt.py, the file the Python tests
/// load (so both languages check the same module). Rewrite it with <c>SPARKTF_UPDATE_GOLDEN=1</c> (that run fails).
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class TfPythonExportTests
{
    [Test]
    public void Exported_tf_python_module_for_din_matches_the_golden_file_the_python_tests_check()
    {
        string conf = Repo.Conf("din.yaml");
        FeatureSpec spec = SpecLoader.Parse(File.ReadAllText(conf), "conf/din.yaml");

        string exported = SpecExports.ToTfPython(spec);

        Golden.Check(Repo.In("tests", "python", "golden", "din_example_fmt.py"), exported, "the tf-python export of conf/din.yaml");
    }

    [Test]
    public void Exported_tf_python_module_for_a_sequence_spec_matches_the_golden_file_the_python_tests_check()
    {
        string path = Repo.In("tests", "spec-cases", "sequence", "din_seq.yaml");
        FeatureSpec spec = SpecLoader.Parse(File.ReadAllText(path), "tests/spec-cases/sequence/din_seq.yaml");

        string exported = SpecExports.ToTfPython(spec);

        Golden.Check(Repo.In("tests", "python", "golden", "din_seq_example_fmt.py"), exported, "the tf-python export of tests/spec-cases/sequence/din_seq.yaml");
    }
}
