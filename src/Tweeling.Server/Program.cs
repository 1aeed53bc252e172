using Tweeling.Server.Cli;

return await TweelingCli.RunAsync(args);
