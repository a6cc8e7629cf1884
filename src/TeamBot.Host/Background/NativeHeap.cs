using System.Runtime.InteropServices;

namespace TeamBot.Host.Background;

/// <summary>
/// The C library's heap, which SQLite, the JIT and the runtime allocate from. Memory they free stays with glibc, spread over
/// its per-thread arenas, and glibc gives back only what lies at the top of an arena: the rest counts as resident memory
/// until <c>malloc_trim</c> returns its free pages to the system. Only on Linux with glibc; elsewhere it does nothing.
/// </summary>
internal static partial class NativeHeap
{
    private static int _unavailable;

    /// <summary>Whether <see cref="Trim"/> can return anything here (so far: on glibc it finds <c>malloc_trim</c>).</summary>
    public static bool CanTrim => OperatingSystem.IsLinux() && Volatile.Read(ref _unavailable) == 0;

    /// <summary>
    /// Returns the free pages of every arena to the system: true if there were any, false if not or where it cannot be done
    /// (not Linux, not glibc).
    /// </summary>
    public static bool Trim()
    {
        if (!CanTrim) return false;
        try
        {
            return MallocTrim(0) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref _unavailable, 1);
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
