namespace TeamBot.Host.Tests;

/// <summary>Tests that measure time in a compressed clock: xUnit runs this collection by itself, once the parallel ones are done.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone";
}
