using TeamBot.Core.Reports;

namespace TeamBot.Core.Tests.Fakes;

/// <summary>Lead facts in memory, filtered by arrival like the real query; their totals are tallied from them on each call.</summary>
public sealed class FakeLeadFacts : ILeadFactsQuery, IReportTotals
{
    public List<(string Workspace, LeadFact Fact)> Facts { get; } = [];

    public Task<IReadOnlyList<LeadFact>> GetAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LeadFact>>(Facts
            .Where(f => f.Workspace == workspaceId && f.Fact.ReceivedAt >= from && f.Fact.ReceivedAt < to)
            .Select(f => f.Fact)
            .ToList());

    public async Task<PeriodTotals> GetAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, ReportGrouping by, CancellationToken cancellationToken) =>
        PeriodTotals.FromFacts(await GetAsync(workspaceId, from, to, cancellationToken), by);
}
