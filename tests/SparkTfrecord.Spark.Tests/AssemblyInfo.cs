using System.Runtime.Versioning;

// These tests drive bash scripts, signals and Unix file modes: they run where a Spark edge node or CI runs.
[assembly: UnsupportedOSPlatform("windows")]
