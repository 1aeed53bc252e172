namespace Tweeling.TestSupport;

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the directory.</summary>
    public TempDirectory() => System.IO.Directory.CreateDirectory(Path);

    /// <summary>The directory's full path.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tweeling-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>The full path of <paramref name="name"/> inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc />
    public void Dispose()
    {
        if (!System.IO.Directory.Exists(Path))
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file appeared while the directory was being deleted (seen once per few full runs under load after an
            // MQTT test's host stopped; the writer is not yet found): one more try after the late writer is done.
            Thread.Sleep(200);
            DeleteOrName();
        }
    }

    private void DeleteOrName()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException exception)
        {
            // Still something writing into the directory: name what, so the writer can be found.
            var left = System.IO.Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories).Select(System.IO.Path.GetFileName);
            throw new IOException($"{exception.Message}; still there: {string.Join(", ", left)}", exception);
        }
    }
}
