using TeamBot.Host.Cli;

return await TeamBotCli.RunAsync(args);
