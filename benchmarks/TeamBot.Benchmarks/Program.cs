using TeamBot.Benchmarks;

// One executable, four roles: the orchestrator (what people run), the TeamBot host it starts, the load generator it
// starts, each in its own process so that the load does not share the host's CPU accounting or memory; and the data
// generator, which writes a realistic store of any size for the report scenarios.
return args switch
{
    ["host", .. var rest] => await HostRole.RunAsync(rest),
    ["load", var config] => await LoadGenerator.RunAsync(config),
    ["generate", var folder, .. var rest] => await DataGenerator.RunAsync(folder, rest),
    _ => await Orchestrator.RunAsync(args),
};
