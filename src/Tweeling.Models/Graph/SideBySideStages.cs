using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Tweeling.Models.Graph;

/// <summary>
/// Stages of one model run that share nothing, each on a pool thread beside the calling thread's own work, with one rule
/// for a failure: when a stage or the calling thread throws, the other stages are told to stop (their token is
/// cancelled) and waited for before the exception goes on, so no stage is still running after the run has returned and
/// no stage's exception is left unobserved. The caller sees the exception as it was thrown (an
/// <see cref="ArgumentException"/> for bad input, not an <see cref="AggregateException"/>), or, when its own token
/// was cancelled, an <see cref="OperationCanceledException"/> that carries that token.
/// </summary>
/// <remarks>
/// Use: start the stages, take each one's result (<c>GetAwaiter().GetResult()</c>, which throws a stage's own
/// exception), and in a <c>catch</c> around all of it call <see cref="Rethrow"/>. Every started stage's result must be
/// taken, or <see cref="Rethrow"/> called, before the instance is disposed.
/// </remarks>
internal sealed class SideBySideStages : IDisposable
{
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource _stop;
    private readonly List<Task> _started = [];

    /// <summary>Stages for a run that <paramref name="cancellationToken"/> may cancel; throws at once when it already is.</summary>
    public SideBySideStages(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _callerToken = cancellationToken;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>
    /// The token the stages and the calling thread's work between them check: cancelled when the caller's is, or when a
    /// stage or the calling thread failed (what the others compute is then of no use).
    /// </summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Starts <paramref name="stage"/> on a pool thread with <see cref="Token"/>; a failure of it stops the others.</summary>
    public Task<T> Start<T>(Func<CancellationToken, T> stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var token = _stop.Token;
        var task = Task.Run(
            () =>
            {
                try
                {
                    return stage(token);
                }
                catch
                {
                    _stop.Cancel();
                    throw;
                }
            },
            token);
        _started.Add(task);
        return task;
    }

    /// <summary>
    /// Stops and waits for every started stage, then throws what the caller should see: <paramref name="caught"/> when
    /// it is a failure of its own; when it is a cancellation, the first failure of a stage (in the order they were
    /// started) that caused it, else an <see cref="OperationCanceledException"/> with the caller's token when the caller
    /// cancelled, else <paramref name="caught"/>.
    /// </summary>
    /// <param name="caught">What the calling thread caught: its own exception or that of a stage whose result it took.</param>
    [DoesNotReturn]
    public void Rethrow(Exception caught)
    {
        ArgumentNullException.ThrowIfNull(caught);
        _stop.Cancel();
        try
        {
            Task.WaitAll(_started);
        }
        catch (AggregateException)
        {
            // Every stage's exception is in it, so none is left unobserved; which one the caller sees is chosen below.
        }

        var failure = caught;
        if (caught is OperationCanceledException)
        {
            failure = _started.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException) ?? caught;
        }

        if (failure is OperationCanceledException cancelled && _callerToken.IsCancellationRequested && cancelled.CancellationToken != _callerToken)
        {
            throw new OperationCanceledException(failure.Message, failure, _callerToken);
        }

        ExceptionDispatchInfo.Throw(failure);
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();
}
