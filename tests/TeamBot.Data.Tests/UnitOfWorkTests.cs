using Microsoft.Extensions.DependencyInjection;
using TeamBot.Core.Workspaces;

namespace TeamBot.Data.Tests;

public sealed class UnitOfWorkTests
{
    [Fact]
    public async Task AfterCommit_RunsOnceTheOutermostTransactionCommits_AndNeverOnARollback()
    {
        await using var world = await TestWorld.CreateAsync("sqlite");
        var log = new List<string>();
        await world.InScopeAsync(async sp =>
        {
            var unitOfWork = sp.GetRequiredService<IUnitOfWork>();
            unitOfWork.AfterCommit(() => log.Add("no transaction: at once"));

            await unitOfWork.InTransactionAsync(async ct =>
            {
                await unitOfWork.InTransactionAsync(_ =>
                {
                    unitOfWork.AfterCommit(() => log.Add("inner"));
                    return Task.FromResult(true);
                }, ct);
                log.Add("inner returned");
                return true;
            }, CancellationToken.None);

            await Assert.ThrowsAsync<InvalidOperationException>(() => unitOfWork.InTransactionAsync<bool>(_ =>
            {
                unitOfWork.AfterCommit(() => log.Add("rolled back"));
                throw new InvalidOperationException("fails");
            }, CancellationToken.None));

            await unitOfWork.InTransactionAsync(_ => Task.FromResult(true), CancellationToken.None);
            return true;
        });

        Assert.Equal(["no transaction: at once", "inner returned", "inner"], log);
    }
}
