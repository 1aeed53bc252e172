using System.Collections.Concurrent;

namespace Tweeling.Governance.Identity;

/// <summary>
/// Locks one user name out of password sign-in after <see cref="MaxFailures"/> wrong passwords within
/// <see cref="Window"/> (OWASP Authentication Cheat Sheet, "Account lockout"), until the oldest of those failures
/// is older than the window. It counts by user name whether or not an account of that name exists, so a locked
/// name tells nothing about which accounts exist. Kept in memory: a restart clears it, which costs an attacker a
/// restart per <see cref="MaxFailures"/> guesses.
/// </summary>
public sealed class SignInLockout
{
    /// <summary>Default failures allowed in the window: enough for a person who mistypes, far too few to guess.</summary>
    public const int DefaultMaxFailures = 10;

    /// <summary>Default window: 15 minutes.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(15);

    /// <summary>Above this many tracked user names, names whose failures have all expired are dropped.</summary>
    private const int PruneAbove = 10_000;

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>A lockout of <paramref name="maxFailures"/> failures within <paramref name="window"/>, on <paramref name="time"/>'s clock.</summary>
    public SignInLockout(TimeProvider time, int maxFailures, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        (_time, MaxFailures, Window) = (time, maxFailures, window);
    }

    /// <summary>Wrong passwords for one user name that lock it out.</summary>
    public int MaxFailures { get; }

    /// <summary>The time within which <see cref="MaxFailures"/> failures lock a user name out.</summary>
    public TimeSpan Window { get; }

    /// <summary>How much longer <paramref name="userName"/> is locked out, or <c>null</c> when it may try a password.</summary>
    public TimeSpan? LockedFor(string userName)
    {
        if (!_failures.TryGetValue(userName, out var failures))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        lock (failures)
        {
            Expire(failures, now);
            return failures.Count >= MaxFailures ? failures.Peek() + Window - now : null;
        }
    }

    /// <summary>Counts a wrong password for <paramref name="userName"/>; true when that locks it out.</summary>
    public bool Failed(string userName)
    {
        var now = _time.GetUtcNow();
        if (_failures.Count > PruneAbove)
        {
            Prune(now);
        }

        while (true)
        {
            var failures = _failures.GetOrAdd(userName, _ => new Queue<DateTimeOffset>());
            lock (failures)
            {
                // A queue that Prune dropped meanwhile is no longer the name's: count in the one that is.
                if (!_failures.TryGetValue(userName, out var current) || !ReferenceEquals(current, failures))
                {
                    continue;
                }

                Expire(failures, now);
                failures.Enqueue(now);
                return failures.Count >= MaxFailures;
            }
        }
    }

    /// <summary>A right password: the earlier failures of <paramref name="userName"/> no longer count.</summary>
    public void Succeeded(string userName) => _failures.TryRemove(userName, out _);

    private void Expire(Queue<DateTimeOffset> failures, DateTimeOffset now)
    {
        while (failures.Count > 0 && now - failures.Peek() >= Window)
        {
            failures.Dequeue();
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (userName, failures) in _failures)
        {
            lock (failures)
            {
                Expire(failures, now);
                if (failures.Count == 0)
                {
                    _failures.TryRemove(new KeyValuePair<string, Queue<DateTimeOffset>>(userName, failures));
                }
            }
        }
    }
}
