using System.Runtime.InteropServices;

namespace SparkTfrecord.Jobs;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM, in one place: while a command that takes a <see cref="CancellationToken"/> runs, a
/// signal cancels <see cref="Token"/> and is remembered (<see cref="Signal"/>), so that the command cleans up and
/// <see cref="Cli"/> reports the signal by name with its exit code (130 / 143); after the command has returned, a signal
/// still ends the process with that code and a line saying so, instead of the runtime's silent default.
/// </summary>
/// <remarks>
/// Why not System.CommandLine's own handler (<c>InvocationConfiguration.ProcessTerminationTimeout</c>)? In 2.0.0 it
/// (ProcessTerminationHandler) cancels the action's token but tells nobody which signal came: the exit code (130 / 143)
/// surfaces only when the action has not finished within the timeout, and then <c>InvokeAsync</c> returns while the
/// action is still removing its temporary files. Nor can a second handler learn the signal beside it: .NET calls a
/// signal's handlers newest first and stops at the first that cancels the default action
/// (PosixSignalRegistration.Unix.cs), and System.CommandLine's registers last and cancels, blocking until the action
/// ends. It also registers only once the action has started, so a signal during a synchronous start is missed. So
/// <see cref="Cli"/> takes the signals here and passes <see cref="Token"/> to <c>ParseResult.InvokeAsync</c>, which
/// links it into the token every action receives (exactly what its own handler would cancel).
/// </remarks>
internal sealed class Termination
{
    private enum Phase
    {
        BeforeCommand,
        CommandRunning,
        CommandEnded,
    }

    private static readonly Lazy<Termination> s_process = new(() => new Termination(listen: true));

    private readonly CancellationTokenSource _stop = new();

    // Kept for the life of the process (a registration that is collected unregisters itself): a signal while the
    // process ends must still get the code and the message.
    private readonly PosixSignalRegistration[] _registrations;
    private volatile int _signal;
    private volatile Phase _phase = Phase.BeforeCommand;
    private string _command = "sparktf";

    private Termination(bool listen)
    {
        _registrations = listen
            ? [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)]
            : [];
    }

    /// <summary>The process's signals (the program's console context uses this one).</summary>
    public static Termination Process => s_process.Value;

    /// <summary>Listens to no signal: a command run in a test's process, stopped only by <see cref="Request"/>.</summary>
    public static Termination None() => new(listen: false);

    /// <summary>Whether the process's signals come here.</summary>
    public bool Listening => _registrations.Length > 0;

    /// <summary>Cancelled when a signal asks the running command to stop.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The signal that stopped the command, or null.</summary>
    public PosixSignal? Signal => _signal == 0 ? null : (PosixSignal)_signal;

    /// <summary>The exit code of a stop: 143 for SIGTERM, 130 for Ctrl-C.</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;

    /// <summary>How messages name the signal.</summary>
    public string SignalName => Signal == PosixSignal.SIGTERM ? "SIGTERM" : "Ctrl-C";

    /// <summary>Asks the running command to stop as <paramref name="signal"/> would (the signal handler; tests).</summary>
    public void Request(PosixSignal signal)
    {
        Interlocked.CompareExchange(ref _signal, (int)signal, 0);
        _stop.Cancel();
    }

    /// <summary>A command that stops on <see cref="Token"/> starts: from now on a signal stops the command.</summary>
    public void CommandStarting(string command)
    {
        _command = command;
        _phase = Phase.CommandRunning;
    }

    /// <summary>The command has returned: from now on a signal ends the process at once, with its code and a line.</summary>
    public void CommandEnded() => _phase = _phase == Phase.CommandRunning ? Phase.CommandEnded : _phase;

    private void OnSignal(PosixSignalContext context)
    {
        switch (_phase)
        {
            case Phase.BeforeCommand:
                // Parsing, or a command that does not take a token (inspect, count...): the runtime's default, which
                // ends the process.
                return;
            case Phase.CommandRunning:
                context.Cancel = true; // the command stops itself, after cleaning up
                Request(context.Signal);
                return;
            default:
                // The command returned as the signal came: its output and its report stand; the process ends now.
                context.Cancel = true;
                Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0);
                Console.Error.WriteLine($"sparktf: {_command}: stopped by {SignalName} as it was ending; what it reported above stands.");
                Environment.Exit(ExitCode);
                return;
        }
    }
}
