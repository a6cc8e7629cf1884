#!/usr/bin/env bash
# Adds an EF Core migration to both providers: scripts/add-migration.sh <Name>
#
# Microsoft.EntityFrameworkCore.Design cannot be restored from this machine's package feed (it lacks
# Mono.TextTemplating and Microsoft.VisualStudio.SolutionPersistence, which migrations never use). So the
# design-time startup project lives outside the repository, in a scratch folder, with empty stand-ins for
# those two packages. Nothing here is shipped or referenced by TeamBot itself.
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh <MigrationName>}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${TMPDIR:-/tmp}/teambot-efgen

mkdir -p "$work/feed" "$work/startup"
for stub in Mono.TextTemplating:3.0.0 Microsoft.VisualStudio.SolutionPersistence:1.0.52; do
  id=${stub%%:*}; version=${stub##*:}
  if [ ! -f "$work/feed/$id.$version.nupkg" ]; then
    mkdir -p "$work/stubs/$id"
    cat > "$work/stubs/$id/$id.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>netstandard2.0</TargetFramework>
<PackageId>$id</PackageId><Version>$version</Version><NoWarn>NU5128</NoWarn></PropertyGroup></Project>
XML
    dotnet pack "$work/stubs/$id" -o "$work/feed" >/dev/null
  fi
done

cat > "$work/startup/nuget.config" <<XML
<configuration><packageSources><clear /><add key="stubs" value="$work/feed" />
<add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>
XML
echo '<Project></Project>' > "$work/startup/Directory.Build.props"
echo '<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>' > "$work/startup/Directory.Packages.props"
cat > "$work/startup/efgen.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><OutputType>Exe</OutputType>
    <NoWarn>NU1603;NU1605;NU1608</NoWarn><SuppressTfmSupportBuildWarnings>true</SuppressTfmSupportBuildWarnings></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.EntityFrameworkCore.Design" Version="10.0.14" />
    <ProjectReference Include="$root/src/TeamBot.Data.Sqlite/TeamBot.Data.Sqlite.csproj" />
    <ProjectReference Include="$root/src/TeamBot.Data.Postgres/TeamBot.Data.Postgres.csproj" />
  </ItemGroup>
</Project>
XML
cat > "$work/startup/Program.cs" <<'CS'
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TeamBot.Data;
using TeamBot.Data.Postgres;
using TeamBot.Data.Sqlite;

System.Console.WriteLine("design-time host for TeamBot migrations");

public sealed class Factory : IDesignTimeDbContextFactory<TeamBotDbContext>
{
    public TeamBotDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TeamBotDbContext>();
        if (System.Environment.GetEnvironmentVariable("EFGEN_PROVIDER") == "postgres")
            options.UseTeamBotPostgres("Host=127.0.0.1;Database=teambot_design");
        else
            options.UseTeamBotSqlite("Data Source=design-time.db");
        return DataServices.CreateDesignTimeContext(options);
    }
}
CS

dotnet build "$work/startup" -v q -nologo >/dev/null
cd "$root"
EFGEN_PROVIDER=sqlite dotnet ef migrations add "$name" --project src/TeamBot.Data.Sqlite --startup-project "$work/startup" --output-dir Migrations
EFGEN_PROVIDER=postgres dotnet ef migrations add "$name" --project src/TeamBot.Data.Postgres --startup-project "$work/startup" --output-dir Migrations
