namespace SparkTfrecord.Jobs;

/// <summary>The process exit codes of every sparktf command, as schedulers see them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Anomalies = 3;
    public const int Interrupted = 130;
    public const int Terminated = 143;
}
