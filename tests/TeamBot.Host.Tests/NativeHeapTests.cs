using System.Globalization;
using System.Runtime.InteropServices;
using TeamBot.Host.Background;

namespace TeamBot.Host.Tests;

/// <summary>The native heap's trim, on this machine's C library: memory freed in the middle of an arena goes back to the system.</summary>
[Collection(AloneCollection.Name)]
public sealed class NativeHeapTests
{
    [Fact]
    public void Trim_ReturnsWhatWasFreedInTheMiddleOfTheHeap()
    {
        Assert.True(OperatingSystem.IsLinux(), "TeamBot's tests run on Linux");
        Assert.True(NativeHeap.CanTrim);

        // 64 MB in 32 KB blocks (below glibc's mmap threshold, so from an arena), every page written. Every 16th block stays,
        // so what is freed lies between blocks still in use: glibc keeps it until trimmed.
        const int Block = 32 * 1024, Count = 2048;
        var blocks = new nint[Count];
        var ones = Enumerable.Repeat((byte)1, Block).ToArray();
        for (var i = 0; i < Count; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Block);
            Marshal.Copy(ones, 0, blocks[i], Block);
        }
        try
        {
            for (var i = 0; i < Count; i++)
            {
                if (i % 16 == 15) continue;
                Marshal.FreeHGlobal(blocks[i]);
                blocks[i] = 0;
            }
            var before = AnonymousMegabytes();

            Assert.True(NativeHeap.Trim());

            var returned = before - AnonymousMegabytes();
            Assert.True(returned > 30, $"trimming returned {returned:0.0} MB of the 60 MB freed");
        }
        finally
        {
            foreach (var block in blocks.Where(b => b != 0)) Marshal.FreeHGlobal(block);
        }
    }

    private static double AnonymousMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
