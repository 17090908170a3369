using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Engines;

/// <summary>Options of the embedded engine.</summary>
public sealed class DuckDbEngineOptions
{
    /// <summary>Worker threads (default: the machine's cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>DuckDB's memory limit, such as <c>1GB</c>; beyond it DuckDB spills to <see cref="SpillDirectory"/>.</summary>
    public string MemoryLimit { get; init; } = "1GB";

    /// <summary>Where DuckDB spills; null for a folder in the system's temporary folder.</summary>
    public string? SpillDirectory { get; init; }
}

/// <summary>
/// Runs rendered SQL on an in-process DuckDB database (in memory, spilling to a folder). One connection, used by one
/// thread at a time (DuckDB connections are not safe to share across threads). <see cref="Cancel"/> interrupts the
/// running statement from any thread.
/// </summary>
public sealed class DuckDbEngine : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly string _spill;
    private readonly bool _ownsSpill;
    private DuckDBCommand? _running;
    private volatile bool _cancelled;

    /// <summary>Opens an engine.</summary>
    /// <param name="options">Options, or null for defaults.</param>
    public DuckDbEngine(DuckDbEngineOptions? options = null)
    {
        options ??= new DuckDbEngineOptions();
        _ownsSpill = options.SpillDirectory is null;
        _spill = options.SpillDirectory ?? Path.Combine(Path.GetTempPath(), $"sparktf-spill-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_spill);
        _connection = new DuckDBConnection("DataSource=:memory:");
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
            Execute(setting);
        }
    }

    /// <summary>DuckDB's version.</summary>
    public string Version => (string)Scalar("SELECT version()")!;

    /// <summary>Runs a statement.</summary>
    /// <param name="sql">The statement.</param>
    /// <exception cref="OperationCanceledException">The engine was cancelled.</exception>
    public void Execute(string sql)
    {
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
    public object? Scalar(string sql)
    {
        using var command = Start(sql);
        try
        {
            return command.ExecuteScalar();
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
    public void Query(string sql, Action<DbDataReader> read)
    {
        ArgumentNullException.ThrowIfNull(read);
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
    public IReadOnlyDictionary<string, object?> Row(string sql)
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
    public void Cancel()
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
        if (_ownsSpill)
        {
            try
            {
                Directory.Delete(_spill, recursive: true);
            }
            catch (IOException)
            {
            }
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
