using TeamBot.Benchmarks;

// One executable, three roles: the orchestrator (what people run), the TeamBot host it starts, and the load generator it
// starts, each in its own process so that the load does not share the host's CPU accounting or memory.
return args switch
{
    ["host", .. var rest] => await HostRole.RunAsync(rest),
    ["load", var config] => await LoadGenerator.RunAsync(config),
    _ => await Orchestrator.RunAsync(args),
};
