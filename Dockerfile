# TeamBot container image.
#
#   docker build -t teambot .
#   docker run -d --name teambot -p 127.0.0.1:5080:5080 -v teambot-data:/data \
#     -e TEAMBOT_LOCAL_API_KEY=change-me-to-a-long-random-key teambot
#
# Inside the container the bot listens on 0.0.0.0:5080 on purpose: a container's loopback cannot
# be reached through a published port. Outside a container the bot binds 127.0.0.1 by default;
# here the exposure is decided by `-p` (the example above publishes on the host's loopback only).
#
# Configuration (environment variables override config/teambot.json):
#   -e TEAMBOT_LOCAL_API_KEY=...                 the local workspace's webhook API key, 16+ characters (without it the
#                                                bot generates one into /data/local-api-key; it is never logged)
#   -e Local__AccessToken=...                    the local chat's login token, 16+ characters (without it the bot
#                                                generates one into /data/local-access-token)
#   -e Storage__Provider=Postgres \
#   -e Storage__ConnectionString="Host=db;Database=teambot;Username=teambot;Password=..."
#                                                use PostgreSQL instead of SQLite in /data
#   -v /path/to/teambot.json:/app/config/teambot.json:ro
#                                                your own workspace, people and routing
#
# Because the bot listens beyond the container's loopback, the built-in local chat (page and API) asks for
# its access token: browse to http://localhost:5080 on the Docker host and sign in with Local__AccessToken
# (or `docker exec teambot cat /data/local-access-token`). The webhook API at /api/v1 needs the API key.
#
# Health: GET /healthz answers 200 when the bot is ready and its database answers, 503 otherwise.
# There is no HEALTHCHECK instruction because the runtime image has no curl or wget; point your
# orchestrator's HTTP probe at /healthz instead.

# ---- build -------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Set by BuildKit (Docker's default builder) to the image's architecture: amd64 or arm64.
ARG TARGETARCH
WORKDIR /src

# Build settings and project files first, so the restore layer is reused until one of them changes.
COPY global.json nuget.config Directory.Build.props Directory.Packages.props .editorconfig TeamBot.sln ./
COPY src/TeamBot.Core/TeamBot.Core.csproj                     src/TeamBot.Core/
COPY src/TeamBot.Data/TeamBot.Data.csproj                     src/TeamBot.Data/
COPY src/TeamBot.Data.Sqlite/TeamBot.Data.Sqlite.csproj       src/TeamBot.Data.Sqlite/
COPY src/TeamBot.Data.Postgres/TeamBot.Data.Postgres.csproj   src/TeamBot.Data.Postgres/
COPY src/TeamBot.Chat.Local/TeamBot.Chat.Local.csproj         src/TeamBot.Chat.Local/
COPY src/TeamBot.Chat.Discord/TeamBot.Chat.Discord.csproj     src/TeamBot.Chat.Discord/
COPY src/TeamBot.Chat.BotFramework/TeamBot.Chat.BotFramework.csproj src/TeamBot.Chat.BotFramework/
COPY src/TeamBot.Host/TeamBot.Host.csproj                     src/TeamBot.Host/
RUN dotnet restore src/TeamBot.Host/TeamBot.Host.csproj -a "$TARGETARCH" -p:PublishReadyToRun=true

# Then the sources, and publish a framework-dependent build (the runtime image has the framework), compiled ahead
# of time (ReadyToRun) for the image's architecture: it starts about 40% faster than JIT-compiling at start-up.
COPY src/ src/
COPY config/ config/
RUN dotnet publish src/TeamBot.Host/TeamBot.Host.csproj -c Release -a "$TARGETARCH" --self-contained false \
      -p:PublishReadyToRun=true -o /app --no-restore

# ---- runtime -----------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# The content root is the working directory (/app): config/teambot.json is read from there.
COPY --from=build /app ./
COPY --from=build /src/config/ ./config/

# Listen on all interfaces inside the container (see the top of this file); keep data in /data.
# The base image's ASPNETCORE_HTTP_PORTS=8080 is cleared so that Urls alone decides the binding.
ENV Urls=http://0.0.0.0:5080 \
    ASPNETCORE_HTTP_PORTS="" \
    Storage__DataDirectory=/data

# The SQLite database and the local chat's messages live in /data, owned by the image's non-root
# `app` user (uid $APP_UID, 1654). Created before VOLUME so that new volumes get this owner.
RUN mkdir -p /data && chown "$APP_UID:$APP_UID" /data
VOLUME /data

USER $APP_UID
EXPOSE 5080
ENTRYPOINT ["dotnet", "teambot.dll"]
