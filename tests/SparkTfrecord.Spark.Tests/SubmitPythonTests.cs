using System.Xml.Linq;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// submit/'s files checked with Debian's python3 (/usr/bin/python3): the Airflow DAG files compile, and the Oozie XML
/// parses with Python's parser, which is what a CI step without .NET would use.
/// </summary>
[TestFixture]
[Category("External")]
public sealed class SubmitPythonTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder("sparktf-submit-python-");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("sparktf_din_daily.py")]
    [TestCase("sparktf_din_daily_spark_submit.py")]
    public void An_airflow_dag_file_compiles_with_debians_python(string file)
    {
        var result = Processes.Run("/usr/bin/python3", ["-m", "py_compile", Processes.InRepo("submit", "airflow", file)],
            environment: new Dictionary<string, string?> { ["PYTHONPYCACHEPREFIX"] = _temp["pycache"] });

        Assert.That(result.ExitCode, Is.Zero, result.Output);
    }

    [TestCase("workflow.xml")]
    [TestCase("coordinator.xml")]
    public void An_oozie_file_is_well_formed_xml(string file)
    {
        Assert.DoesNotThrow(() => XDocument.Load(Processes.InRepo("submit", "oozie", file)));

        // The same check with Python's parser, which is what a CI step without .NET would use.
        var result = Processes.Run("/usr/bin/python3", ["-c", "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])", Processes.InRepo("submit", "oozie", file)]);
        Assert.That(result.ExitCode, Is.Zero, result.Output);
    }
}
