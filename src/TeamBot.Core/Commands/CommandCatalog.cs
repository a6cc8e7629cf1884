namespace TeamBot.Core.Commands;

/// <summary>An option of a command: <c>period:30d</c>. <see cref="Suggest"/> names what platforms may offer while it is typed.</summary>
public sealed record OptionSpec(string Name, string Description, bool Required = false, IReadOnlyList<string>? Choices = null, SuggestKind Suggest = SuggestKind.None);

/// <summary>What an option's value is drawn from, so that platforms with autocompletion can offer the workspace's own values.</summary>
public enum SuggestKind { None, Lead, Reason, Person, Goal }

/// <summary>A command TeamBot understands. Platforms register these natively (Discord slash commands, Teams command lists).</summary>
public sealed record CommandSpec(
    string Name,
    string? Subcommand,
    string Description,
    IReadOnlyList<OptionSpec> Options,
    TeamRoles AllowedRoles = TeamRoles.None,
    string? Example = null)
{
    public string FullName => Subcommand is null ? "/" + Name : $"/{Name} {Subcommand}";

    public string Usage => Example ?? FullName + string.Concat(Options.Select(o => o.Required ? $" {o.Name}:<{o.Name}>" : $" [{o.Name}:…]"));

    public OptionSpec? Option(string name) =>
        Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Every command, with its options. The single source for parsing, help and platform registration.</summary>
public static class CommandCatalog
{
    private static readonly OptionSpec Lead = new("lead", "The lead's number, e.g. 42 (optional inside the lead's thread)", Suggest: SuggestKind.Lead);
    private static readonly OptionSpec Goal = new("goal", "The goal's number, e.g. 3 (/goal list shows them)", Required: true, Suggest: SuggestKind.Goal);

    private static readonly OptionSpec SetupChannel = new("channel", "A channel id or #mention (default: where you type this)");

    private static readonly OptionSpec DigestWeekOption = new("week", "last (the default), this, or a date YYYY-MM-DD in the week");

    public static readonly IReadOnlyList<CommandSpec> All =
    [
        new("help", null, "What TeamBot can do, and how", []),
        new("leads", "quality", "Lead-quality summary for a period, grouped",
        [
            new("period", "7d, 30d, 90d, quarter or YYYY-MM-DD..YYYY-MM-DD (default 30d)"),
            new("by", "source, campaign, segment or rep (default source)", Choices: ["source", "campaign", "segment", "rep"]),
        ], Example: "/leads quality period:30d by:source"),
        new("leads", "handoff", "Hand a lead to sales by hand",
        [
            new("email", "Email address (or give a phone)"),
            new("phone", "Phone number"),
            new("firstName", "First name"),
            new("lastName", "Last name"),
            new("company", "Company"),
            new("title", "Job title"),
            new("source", "Source, e.g. webinar"),
            new("campaign", "Campaign"),
            new("segment", "Segment, e.g. enterprise"),
            new("country", "Country"),
            new("companySize", "Employees: 250, 51-200 or 1000+"),
            new("score", "Score from 0 to 100"),
            new("reason", "Why this lead qualifies"),
            new("url", "Link to the lead in the source system"),
            new("externalId", "The lead's id in the source system"),
        ], TeamRoles.Marketing | TeamRoles.Admin, "/leads handoff email:jane@acme.com firstName:Jane company:Acme source:event reason:\"Asked for a demo at the booth\""),
        new("leads", "claim", "Claim a lead", [Lead], TeamRoles.Sales, "/leads claim lead:42"),
        new("leads", "release", "Give a claimed lead back", [Lead], TeamRoles.Sales, "/leads release lead:42"),
        new("leads", "rate", "Rate a lead's quality",
        [
            Lead,
            new("rating", "great, good, meh, poor or reject", Required: true, Choices: ["great", "good", "meh", "poor", "reject"]),
        ], TeamRoles.Sales, "/leads rate lead:42 rating:good"),
        new("leads", "reason", "Say why a lead was poor or rejected",
        [
            Lead,
            new("reason", "A reason code; /reasons list shows them", Required: true, Suggest: SuggestKind.Reason),
            new("note", "Free text (needed for 'other')"),
        ], TeamRoles.Sales, "/leads reason lead:42 reason:no-budget"),
        new("leads", "outcome", "Record what happened with a lead",
        [
            Lead,
            new("outcome", "contacted, meeting, opportunity, won or lost", Required: true, Choices: ["contacted", "meeting", "opportunity", "won", "lost"]),
            new("amount", "Amount, for opportunity and won"),
            new("note", "A note, e.g. why it was lost"),
        ], TeamRoles.Sales | TeamRoles.Admin, "/leads outcome lead:42 outcome:won amount:12000"),
        new("leads", "why", "Why a lead went where it went", [Lead], Example: "/leads why lead:42"),
        new("leads", "show", "Show a lead's card and history", [Lead], Example: "/leads show lead:42"),
        new("leads", "assign", "Assign a lead to a sales rep (admins)",
        [
            Lead,
            new("rep", "The rep's name or id", Required: true, Suggest: SuggestKind.Person),
        ], TeamRoles.Admin, "/leads assign lead:42 rep:sam"),
        new("reasons", "list", "The reasons reps can give for poor or rejected leads", []),
        new("reasons", "add", "Add or rename a reason (admins)",
        [
            new("code", "Short code, e.g. no-budget", Required: true),
            new("label", "What reps see, e.g. \"No budget\"", Required: true),
        ], TeamRoles.Admin, "/reasons add code:no-budget label:\"No budget\""),
        new("reasons", "remove", "Remove a reason (admins)", [new("code", "The reason's code", Required: true, Suggest: SuggestKind.Reason)], TeamRoles.Admin, "/reasons remove code:no-budget"),
        new("away", null, "Mark yourself away (leave, travel) until a date: routing and stand-ups skip you",
        [
            new("until", "The first day back, YYYY-MM-DD", Required: true),
            new("person", "Someone else (admins)", Suggest: SuggestKind.Person),
        ], Example: "/away until 2026-12-02"),
        new("back", null, "End your away time early", [new("person", "Someone else (admins)", Suggest: SuggestKind.Person)], Example: "/back"),
        new("availability", "show", "Your (or someone's) time zone, hours, work days and whether they work now", [new("person", "Someone else", Suggest: SuggestKind.Person)], Example: "/availability show"),
        new("availability", "set", "Set your time zone, working hours or work days",
        [
            new("tz", "IANA time zone, e.g. Europe/Berlin"),
            new("hours", "Working hours, e.g. 09:00-17:30"),
            new("days", "Work days, e.g. Mon-Fri or Sun-Thu"),
            new("person", "Someone else (admins)", Suggest: SuggestKind.Person),
        ], Example: "/availability set tz:Europe/Berlin hours:09:00-17:30 days:Mon-Fri"),
        new("holidays", "list", "The workspace's holidays ahead", []),
        new("holidays", "add", "Make a date a holiday for the whole workspace (admins)",
        [
            new("date", "YYYY-MM-DD", Required: true),
            new("name", "e.g. \"Christmas Day\""),
        ], TeamRoles.Admin, "/holidays add date:2026-12-25 name:\"Christmas Day\""),
        new("holidays", "remove", "Remove a holiday added in chat (admins)", [new("date", "YYYY-MM-DD", Required: true)], TeamRoles.Admin, "/holidays remove date:2026-12-25"),
        new("goal", "add", "Add a shared marketing and sales goal (admins)",
        [
            new("name", "What the teams call it, e.g. \"SQLs this quarter\"", Required: true),
            new("metric", "What it counts: " + string.Join(", ", Goals.GoalMetrics.Codes), Required: true, Choices: Goals.GoalMetrics.Codes),
            new("target", "A number of leads (120), an amount (250k), a rate (25%) or a time to claim (30m)", Required: true),
            new("period", "month, quarter, next-month, next-quarter, YYYY-MM, YYYY-Qn or YYYY-MM-DD..YYYY-MM-DD (default quarter)"),
            new("owners", "People from both teams, comma-separated names or ids, e.g. \"maria, sam\""),
            new("start", "For manual goals: the value the goal starts from"),
        ], TeamRoles.Admin, "/goal add name:\"SQLs this quarter\" metric:sqls target:120 period:quarter owners:\"maria, sam\""),
        new("goal", "update", "Record the value of a manual goal (admins and the goal's owners)",
        [
            Goal,
            new("value", "The value now, e.g. 250000 or 250k", Required: true),
            new("note", "Where the number comes from, e.g. \"CRM pipeline report\""),
        ], Example: "/goal update goal:3 value:250k"),
        new("goal", "list", "The shared goals with their progress",
        [
            new("status", "active, archived or all (default active)", Choices: ["active", "archived", "all"]),
        ], Example: "/goal list"),
        new("goal", "show", "A goal's progress: actual, expected by now, projection and verdict", [Goal], Example: "/goal show goal:3"),
        new("goal", "archive", "Archive a goal (admins)", [Goal], TeamRoles.Admin, "/goal archive goal:3"),
        .. Standups.StandupCommands.Specs,
        new("digest", "now", "Post the weekly digest to the digest channel now (admins and marketing)", [DigestWeekOption], TeamRoles.Admin | TeamRoles.Marketing, "/digest now [week:last]"),
        new("digest", "preview", "Show the weekly digest only to you", [DigestWeekOption], Example: "/digest preview [week:2026-11-09]"),
        new("setup", "show", "This workspace's channels, role mapping and webhook", [], Example: "/setup show"),
        new("setup", "handoffs", "Post handoff cards in this channel, or in channel: (admins)", [SetupChannel], TeamRoles.Admin, "/setup handoffs [channel:<id or #mention>]"),
        new("setup", "marketing", "Post marketing notices (failed posts, rejection alerts) here (admins)", [SetupChannel], TeamRoles.Admin, "/setup marketing [channel:<id or #mention>]"),
        new("setup", "general", "Post team-wide things (digests, new stand-ups) here (admins)", [SetupChannel], TeamRoles.Admin, "/setup general [channel:<id or #mention>]"),
        new("setup", "roles", "Map platform roles to TeamBot roles (admins)",
        [
            new("sales", "Role ids or @role mentions for sales, comma-separated; none clears"),
            new("marketing", "Role ids or @role mentions for marketing, comma-separated; none clears"),
            new("admin", "Role ids or @role mentions for admins, comma-separated; none clears"),
        ], TeamRoles.Admin, "/setup roles sales:<@&111>,<@&222> marketing:333 admin:none"),
        new("setup", "key", "Make a new webhook key; the old one stops working (admins)", [], TeamRoles.Admin, "/setup key"),
        .. Privacy.PrivacyCommands.Specs,
    ];

    public static IReadOnlyList<CommandSpec> Named(string name) =>
        All.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
}
