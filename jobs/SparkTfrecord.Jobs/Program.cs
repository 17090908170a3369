using SparkTfrecord.Jobs;

return Cli.Run(args);
