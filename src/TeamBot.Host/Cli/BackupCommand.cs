using System.CommandLine;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using TeamBot.Chat.Local;
using TeamBot.Host.Composition;

namespace TeamBot.Host.Cli;

/// <summary>
/// <c>teambot backup &lt;file&gt;</c>: a consistent copy of TeamBot's SQLite database, taken while the bot runs, in
/// <c>&lt;file&gt;</c>, and of the local chat's database in <c>&lt;file&gt;.localchat</c>. PostgreSQL is backed up with pg_dump.
/// </summary>
/// <remarks>
/// SQLite's online backup copies the database as of one moment (WAL lets the bot keep writing meanwhile), so every lead
/// acknowledged before the backup began is in the copy. The local chat's database is copied first and TeamBot's right
/// after it, so the chat's copy never holds a post of a lead that TeamBot's copy lacks: after a restore, new leads take
/// the numbers of leads received after the backup, and a post of such a lead left in the chat would be mistaken for theirs
/// (posts are recognised by a key made from the lead). Each copy is written under a temporary name, checked with
/// <c>PRAGMA integrity_check</c>, and only then given its final name.
/// </remarks>
internal static class BackupCommand
{
    public const string LocalChatSuffix = ".localchat";

    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = $"Where to write the copy; the local chat's goes beside it, in <file>{LocalChatSuffix}." };
        var command = new Command("backup", "Copy TeamBot's SQLite database (and the local chat's) consistently, while the bot runs.") { file };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => RunAsync(result.GetValue(file)!, [.. result.UnmatchedTokens], console, ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, string[] args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        StorageOptions storage;
        string contentRoot;
        LocalChatOptions local;
        try
        {
            var builder = TeamBotHost.CreateToolBuilder(args);
            contentRoot = builder.Environment.ContentRootPath;
            storage = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
            local = builder.Configuration.GetSection("Local").Get<LocalChatOptions>() ?? new LocalChatOptions();
        }
        catch (StartupException ex)
        {
            return Fail(console, ex.Message + ": " + string.Join(" ", ex.Problems));
        }

        if (storage.Provider == StorageProvider.Postgres)
        {
            return Fail(console, "TeamBot stores its data in PostgreSQL here (Storage:Provider): back it up with pg_dump, for example " +
                "pg_dump --format=custom --file=teambot.dump <database>, and restore it with pg_restore. teambot backup copies SQLite databases.");
        }

        var paths = new TeamBotPaths(contentRoot, storage);
        var source = new SqliteConnectionStringBuilder(paths.SqliteConnectionString).DataSource;
        if (!File.Exists(source)) return Fail(console, $"There is no TeamBot database at '{source}' (Storage:DataDirectory): nothing to back up.");

        var targets = new[] { file.FullName, file.FullName + LocalChatSuffix };
        if (targets.FirstOrDefault(File.Exists) is { } existing) return Fail(console, $"'{existing}' already exists; choose another name, so that no backup is overwritten.");
        if (file.Directory is { Exists: false } folder) return Fail(console, $"The folder '{folder.FullName}' does not exist.");

        var chat = paths.LocalChatDatabase(local);
        if (File.Exists(chat))
        {
            if (await CopyAsync(chat, targets[1], cancellationToken) is { } chatProblem) return Fail(console, chatProblem);
            console.MarkupLineInterpolated($"[green]Backed up[/] the local chat {chat} to {targets[1]}.");
        }

        if (await CopyAsync(source, targets[0], cancellationToken, mustHave: "__EFMigrationsHistory") is { } problem)
        {
            File.Delete(targets[1]);
            return Fail(console, problem);
        }
        console.MarkupLineInterpolated($"[green]Backed up[/] {source} to {targets[0]} ({new FileInfo(targets[0]).Length:N0} bytes, integrity ok).");
        console.MarkupLine("To restore, stop the bot and follow README.md, Operations, Backup.");
        return TeamBotCli.Ok;
    }

    /// <summary>
    /// Copies one SQLite database with the online backup API; the problem, or null when the copy is whole, checked, and
    /// (with <paramref name="mustHave"/>) holds that table with rows: TeamBot's migration history says it is TeamBot's.
    /// </summary>
    internal static async Task<string?> CopyAsync(string sourcePath, string targetPath, CancellationToken cancellationToken, string? mustHave = null)
    {
        var partial = targetPath + ".partial";
        try
        {
            File.Delete(partial);
            await using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sourcePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString()))
            await using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
            {
                await source.OpenAsync(cancellationToken);
                await target.OpenAsync(cancellationToken);
                // One step: the whole database as of one read transaction, however much the bot writes meanwhile.
                source.BackupDatabase(target);
                await using var check = target.CreateCommand();
                check.CommandText = "PRAGMA integrity_check";
                if (await check.ExecuteScalarAsync(cancellationToken) is not "ok") return $"The copy of '{sourcePath}' failed its integrity check; the source may be damaged. Nothing was written to '{targetPath}'.";
                if (mustHave is not null)
                {
                    check.CommandText = $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{mustHave}'";
                    if (await check.ExecuteScalarAsync(cancellationToken) is not 1L)
                    {
                        return $"'{sourcePath}' is not a TeamBot database (it has no {mustHave} table). Nothing was written to '{targetPath}'.";
                    }
                }
            }
            File.Move(partial, targetPath);
            return null;
        }
        catch (SqliteException ex)
        {
            return $"Could not copy '{sourcePath}': {ex.Message}";
        }
        catch (IOException ex)
        {
            return $"Could not write '{targetPath}': {ex.Message}";
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static int Fail(IAnsiConsole console, string problem)
    {
        console.MarkupLineInterpolated($"[red]Cannot back up:[/] {problem}");
        return TeamBotCli.Failed;
    }
}
