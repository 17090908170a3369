using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;

namespace SparkTfrecord.Engine.Engines;

/// <summary>
/// Runs rendered SQL on an in-process DuckDB database (in memory, spilling to a folder). One connection, used by one
/// thread at a time (DuckDB connections are not safe to share across threads). <see cref="Cancel"/> interrupts the
/// running statement from any thread.
/// </summary>
public sealed class DuckDbEngine : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly string _spill;
    private DuckDBCommand? _running;
    private volatile bool _cancelled;

    /// <summary>The prefix of every spill folder's name: <c>sparktf-spill-PID-GUID</c>.</summary>
    internal const string SpillPrefix = "sparktf-spill-";

    /// <summary>Opens an engine.</summary>
    /// <param name="options">Options, or null for defaults.</param>
    /// <exception cref="EngineSetupException">An option DuckDB refuses (such as a memory limit it cannot read).</exception>
    /// <exception cref="IOException">The spill folder cannot be made.</exception>
    internal DuckDbEngine(DuckDbEngineOptions? options = null)
    {
        options ??= new DuckDbEngineOptions();
        string parent = Path.GetFullPath(options.SpillDirectory ?? Path.GetTempPath());
        Directory.CreateDirectory(parent);
        RemoveStaleSpills(parent);

        // Always a folder of our own, also under --spill-dir: it is removed on every exit, and if this process is
        // killed, the next run recognizes it by its name and removes it.
        _spill = Path.Combine(parent, $"{SpillPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_spill);
        _connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            _connection.Open();
            foreach (string setting in new[]
            {
                $"SET threads = {Math.Max(1, options.Threads).ToString(CultureInfo.InvariantCulture)}",
                $"SET memory_limit = '{options.MemoryLimit.Replace("'", "", StringComparison.Ordinal)}'",
                $"SET temp_directory = '{_spill.Replace("'", "''", StringComparison.Ordinal)}'",
                "SET TimeZone = 'UTC'",
                "SET preserve_insertion_order = false",
                "SET enable_progress_bar = false",
            })
            {
                try
                {
                    Execute(setting);
                }
                catch (DuckDBException e)
                {
                    throw new EngineSetupException(EngineSetupProblem.EngineSetting, $"the engine refused '{setting}': {e.Message}", e);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="e"/> is DuckDB running out of memory (its "Out of Memory Error").</summary>
    /// <param name="e">An exception.</param>
    /// <returns>True for DuckDB's out-of-memory error.</returns>
    public static bool IsOutOfMemory(Exception e) =>
        e is DuckDBException d && (d.ErrorType == DuckDB.NET.Native.DuckDBErrorType.OutOfMemory || d.Message.Contains("Out of Memory Error", StringComparison.Ordinal));

    /// <summary>
    /// Removes the spill folders in <paramref name="parent"/> left by processes that no longer run (a killed run cannot
    /// remove its own). A folder whose process id is alive and is a .NET process (a sparktf run) is left alone.
    /// </summary>
    /// <param name="parent">The folder holding spill folders.</param>
    /// <returns>The folders removed.</returns>
    internal static IReadOnlyList<string> RemoveStaleSpills(string parent)
    {
        var removed = new List<string>();
        IEnumerable<string> folders;
        try
        {
            folders = Directory.EnumerateDirectories(parent, SpillPrefix + "*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return removed;
        }

        foreach (string folder in folders)
        {
            string rest = Path.GetFileName(folder)[SpillPrefix.Length..];
            int dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || IsLiveRun(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
                removed.Add(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's folder, or one being removed by someone else: not ours to force.
            }
        }

        return removed;
    }

    // A pid that is running a .NET program may be a sparktf run (pids are reused; another program reusing a dead
    // run's pid is not, so its folder is stale).
    private static bool IsLiveRun(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }

            string name = process.ProcessName;
            return name.Contains("dotnet", StringComparison.OrdinalIgnoreCase) || name.Contains("sparktf", StringComparison.OrdinalIgnoreCase)
                || name.Contains("testhost", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>DuckDB's version.</summary>
    internal string Version => (string)Scalar("SELECT version()")!;

    /// <summary>Runs a statement.</summary>
    /// <param name="sql">The statement.</param>
    /// <exception cref="OperationCanceledException">The engine was cancelled.</exception>
    internal void Execute(string sql)
    {
        using var trace = StatementTrace.Start(sql);
        using var command = Start(sql);
        try
        {
            command.ExecuteNonQuery();
        }
        catch (Exception e) when (_cancelled && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("cancelled", e);
        }
        finally
        {
            _running = null;
        }
    }

    /// <summary>Runs a query and returns its first value.</summary>
    /// <param name="sql">The query.</param>
    /// <returns>The value.</returns>
    internal object? Scalar(string sql)
    {
        using var trace = StatementTrace.Start(sql);
        using var command = Start(sql);
        try
        {
            return command.ExecuteScalar();
        }
        catch (Exception e) when (_cancelled && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("cancelled", e);
        }
        finally
        {
            _running = null;
        }
    }

    /// <summary>Runs a query and hands its reader to <paramref name="read"/>.</summary>
    /// <param name="sql">The query.</param>
    /// <param name="read">Reads the rows.</param>
    /// <exception cref="OperationCanceledException">The engine was cancelled.</exception>
    internal void Query(string sql, Action<DbDataReader> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var trace = StatementTrace.Start(sql);
        using var command = Start(sql);

        // Streamed: rows come chunk by chunk as the reader asks for them, instead of DuckDB materializing the whole
        // result outside its memory limit first (a pass of samples with their histories is hundreds of MB).
        command.UseStreamingMode = true;
        try
        {
            using var reader = command.ExecuteReader();
            read(reader);
        }
        catch (Exception e) when (_cancelled && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("cancelled", e);
        }
        finally
        {
            _running = null;
        }
    }

    /// <summary>Runs a query returning one row and gives its columns by name.</summary>
    /// <param name="sql">The query.</param>
    /// <returns>Column name to value.</returns>
    internal IReadOnlyDictionary<string, object?> Row(string sql)
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        Query(sql, r =>
        {
            if (r.Read())
            {
                for (int i = 0; i < r.FieldCount; i++)
                {
                    row[r.GetName(i)] = r.IsDBNull(i) ? null : r.GetValue(i);
                }
            }
        });
        return row;
    }

    /// <summary>Interrupts the running statement and makes later ones fail with <see cref="OperationCanceledException"/>.</summary>
    internal void Cancel()
    {
        _cancelled = true;
        try
        {
            _running?.Cancel();
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or DuckDBException)
        {
            // The statement finished meanwhile.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _connection.Dispose();
        try
        {
            Directory.Delete(_spill, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next run's sweep (RemoveStaleSpills) once this process has ended.
        }
    }

    private DuckDBCommand Start(string sql)
    {
        if (_cancelled)
        {
            throw new OperationCanceledException("cancelled");
        }

        var command = _connection.CreateCommand();
        command.CommandText = sql;
        _running = command;
        return command;
    }
}
