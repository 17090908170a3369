using System.CommandLine;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Generation;

namespace SparkTfrecord.Jobs.Commands;

/// <summary><c>sparktf gen-logs</c>: realistic click logs in the layout conf/din.yaml reads.</summary>
internal static class GenLogsCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--output", "-o") { Description = "The folder to write (impressions/, clicks/, users/, items/ below it).", Required = true };
        var date = new Option<string>("--date") { Description = "The last day written, yyyy-MM-dd. The job of day D also reads D+1's partitions (late clicks and copies): for D, give D+1 (with --days 17 and --impression-days 2).", Required = true };
        var days = new Option<int>("--days") { Description = "Days of logs ending with --date (default 16; 17 with --date D+1 gives day D its 15 days of history and its next day).", DefaultValueFactory = _ => 16 };
        var impressions = new Option<int>("--impressions-per-day") { Description = "Impressions per day (default 10000).", DefaultValueFactory = _ => 10_000 };
        var users = new Option<int>("--users") { Description = "Number of users (default 1000).", DefaultValueFactory = _ => 1_000 };
        var items = new Option<int>("--items") { Description = "Number of items (default 500).", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same options give the same files (default 1).", DefaultValueFactory = _ => 1 };
        var format = new Option<string>("--format") { Description = "parquet (default), csv or jsonl.", DefaultValueFactory = _ => "parquet" };
        format.AcceptOnlyFromAmong("parquet", "csv", "jsonl");
        var bad = new Option<double>("--bad-rows") { Description = "Fraction of impression rows made bad (null key or time), to exercise the quarantine (default 0)." };
        var impressionDays = new Option<int>("--impression-days") { Description = "Write impressions for only the last N days (default 0: every day); clicks are written for every day." };
        var historyImpressions = new Option<int?>("--history-impressions-per-day")
        {
            Description = "Impressions drawn per day for the days whose impressions are not written (before the last --impression-days days), " +
                "for their clicks only: a long history in a fraction of the time (default: --impressions-per-day).",
        };
        var force = new Option<bool>("--force") { Description = $"Write into a non-empty folder that gen-logs did not write (no {LogOutputFolder.Marker} file), replacing its files of the same names." };
        var command = new Command("gen-logs", "Generate realistic click logs (impressions, clicks, users, items) in the layout conf/din.yaml reads.")
        {
            output, date, days, impressions, users, items, seed, format, bad, impressionDays, historyImpressions, force,
        };
        command.SetAction(result =>
        {
            var day = DateOnlyOption.Parse(result.GetValue(date)!);
            int d = result.GetValue(days);
            if (d < 1 || result.GetValue(impressions) < 0 || result.GetValue(users) < 1 || result.GetValue(items) < 1 || result.GetValue(bad) is < 0 or > 1 || result.GetValue(impressionDays) < 0)
            {
                throw new UsageException("--days, --users and --items must be at least 1, --impressions-per-day and --impression-days at least 0, --bad-rows from 0 to 1.");
            }

            int written = result.GetValue(impressionDays);
            if (result.GetValue(historyImpressions) is { } history && (history < 0 || written < 1 || written >= d))
            {
                throw new UsageException(
                    $"--history-impressions-per-day {history}: it must be at least 0, and it applies to the days whose impressions are not written, so it needs " +
                    $"--impression-days from 1 to {d - 1} (one less than --days {d}); give --impression-days 2 for a job's run day and its next day.");
            }

            if (day.DayNumber - (d - 1) < DateOnlyOption.Min.DayNumber)
            {
                throw new UsageException($"--days {d} before --date {day:yyyy-MM-dd} starts before {DateOnlyOption.Min:yyyy-MM-dd}: the supported range of dates is {DateOnlyOption.Range}.");
            }

            var options = new LogGeneratorOptions
            {
                Output = result.GetValue(output)!,
                Date = day,
                Days = d,
                ImpressionsPerDay = result.GetValue(impressions),
                Users = result.GetValue(users),
                Items = result.GetValue(items),
                Seed = result.GetValue(seed),
                Format = result.GetValue(format) switch
                {
                    "csv" => SourceFormat.Csv,
                    "jsonl" => SourceFormat.JsonLines,
                    _ => SourceFormat.Parquet,
                },
                BadRowFraction = result.GetValue(bad),
                ImpressionDays = Math.Min(written, d), // more days of impressions than of logs is all of them
                HistoryImpressionsPerDay = result.GetValue(historyImpressions),
            };
            CheckOutput(options.Output, result.GetValue(force));
            var counts = LogGenerator.Generate(options, done =>
            {
                context.Err.WriteLine($"sparktf: gen-logs: wrote {done:yyyy-MM-dd}");
                if (done == options.Date)
                {
                    // The clicks are written last (a day's late clicks fall into the next day's partition): say what the wait is.
                    context.Err.WriteLine("sparktf: gen-logs: writing the clicks' partitions, users and items");
                }
            });
            context.Out.WriteLine(counts.SummaryJson(options.Output));
            return ExitCodes.Success;
        });
        return command;
    }

    // Refuses an output folder whose files gen-logs would replace (see LogOutputFolder), then claims it.
    private static void CheckOutput(string output, bool force)
    {
        string full = Path.GetFullPath(output);
        switch (LogOutputFolder.Check(full))
        {
            case LogOutputState.File:
                throw new IOException($"--output {full} is a file: gen-logs writes a folder of logs (impressions/, clicks/, users/, items/).");
            case LogOutputState.Foreign when !force:
                throw new IOException(
                    $"--output {full} is not empty and was not written by gen-logs (no {LogOutputFolder.Marker} file): gen-logs would replace its files of the same names " +
                    "(such as impressions/dt=.../part-00000.parquet). Choose a new or empty folder, or run again with --force to write into it.");
        }

        LogOutputFolder.Claim(full);
    }
}
