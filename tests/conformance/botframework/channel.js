'use strict';
// A Microsoft Teams channel on 127.0.0.1, built on the official Bot Framework JavaScript SDK, for TeamBot's
// conformance test (tests/TeamBot.Host.Tests/BotFramework/BotFrameworkConformanceTests.cs).
//
//   node channel.js      prints one JSON line {"port":N,"serviceUrl":"http://127.0.0.1:N/"} and serves until
//                        its standard input closes (so it never outlives the test that started it).
//
// It serves, on one port:
//   /v3/...                                   the Connector API, routed by the SDK's ChannelServiceRoutes to the
//                                             SDK's CloudChannelServiceHandler, which authenticates every call with
//                                             the SDK's BotFrameworkAuthentication (and records it, see below)
//   /evil/v3/...                              the same routes under another base path: the serviceUrl a forged
//                                             activity names; any call there is a leak
//   /v1/.well-known/openidconfiguration|keys  the channel's signing keys (login.botframework.com)
//   /botframework.com/v2.0/.well-known/...    the token issuer's signing keys (login.microsoftonline.com)
//   /<tenant>/oauth2/v2.0/token               client credentials: the bot's outbound token
//   /control/...                              what the C# test drives (see the README)
const http = require('node:http');
const crypto = require('node:crypto');
const { AsyncLocalStorage } = require('node:async_hooks');
const { ChannelServiceRoutes } = require('botbuilder');
// Not re-exported by the package index in 4.23; the class the SDK's own CloudAdapter samples use.
const { CloudChannelServiceHandler } = require('botbuilder/lib/cloudChannelServiceHandler');
const {
    AuthenticationConfiguration,
    BotFrameworkAuthenticationFactory,
    PasswordServiceClientCredentialFactory,
} = require('botframework-connector');

const CHANNEL_ISSUER = 'https://api.botframework.com';
const BOT_FRAMEWORK_TENANT = 'd6d49420-f39b-4df7-a1dc-d59a935871db'; // botframework.com in Entra
const SCOPE = 'https://api.botframework.com/.default';
const DEV_BOT_ID = '00000000-0000-0000-0000-00000000b07f'; // the bot's 28: id when TeamBot has no app id

// ---------------------------------------------------------------------------------------------------------------
// Keys and tokens
// ---------------------------------------------------------------------------------------------------------------

function makeKey(kid, endorsements) {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
    if (endorsements) jwk.endorsements = endorsements;
    return { kid, privateKey, jwk };
}

const keys = {
    teams: makeKey('channel-teams', ['msteams']), // what Teams signs with
    slack: makeKey('channel-slack', ['slack']), // published, but endorsed for another channel
    rogue: makeKey('channel-teams', ['msteams']), // same kid as teams, never published: a bad signature
    entra: makeKey('entra-1'), // signs the bot's outbound tokens
};

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function signJwt(payload, key) {
    const data = `${b64url({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${b64url(payload)}`;
    return `${data}.${crypto.sign('sha256', Buffer.from(data), key.privateKey).toString('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);

/** A channel token as Teams sends it to a bot, or one broken in exactly one way. */
function channelToken(kind, appId, serviceUrl) {
    const t = now();
    const claims = { serviceurl: serviceUrl, nbf: t - 60, exp: t + 3600, iss: CHANNEL_ISSUER, aud: appId };
    let key = keys.teams;
    switch (kind) {
        case 'valid':
            break;
        case 'wrong-issuer':
            claims.iss = 'https://api.botframework.net';
            break;
        case 'wrong-audience':
            claims.aud = '9f3e0a52-5b1c-4c1e-8a55-000000000bad';
            break;
        case 'expired': // beyond the 5 minutes of clock skew
            claims.nbf = t - 7200;
            claims.exp = t - 600;
            break;
        case 'bad-signature':
            key = keys.rogue;
            break;
        case 'wrong-endorsement':
            key = keys.slack;
            break;
        case 'serviceurl-mismatch': // a valid token replayed with an activity naming another serviceUrl
            break;
        default:
            throw new Error(`unknown token kind '${kind}'`);
    }
    return signJwt(claims, key);
}

// ---------------------------------------------------------------------------------------------------------------
// State, reset by /control/reset
// ---------------------------------------------------------------------------------------------------------------

let origin = ''; // http://127.0.0.1:PORT
const state = {
    appId: '',
    appPassword: '',
    tenantId: '',
    members: [],
    calls: [],
    tokenRequests: [],
    auth: null, // the SDK's BotFrameworkAuthentication as the channel: checks the bot's calls
    botAuth: null, // the SDK's BotFrameworkAuthentication as a bot: its verdict on the tokens this channel sends
};
let sequence = 1_700_000_000_000;
const nextId = () => String(++sequence);

function sdkAuthentication(appId, appPassword, tenantId) {
    return BotFrameworkAuthenticationFactory.create(
        '', // channel service: none (public cloud shape, every URL given below)
        true, // validate authority
        `${origin}/${tenantId || 'botframework.com'}`, // to channel from bot login URL (unused: the channel sends nothing)
        CHANNEL_ISSUER, // to channel from bot OAuth scope
        CHANNEL_ISSUER, // to bot from channel token issuer
        origin, // OAuth (user token) URL, unused
        `${origin}/v1/.well-known/openidconfiguration`, // to bot from channel: the channel's keys
        `${origin}/botframework.com/v2.0/.well-known/openid-configuration`, // Entra tokens: the bot's keys
        'urn:botframework:azure',
        new PasswordServiceClientCredentialFactory(appId, appPassword, tenantId || undefined),
        new AuthenticationConfiguration(),
        undefined,
        {},
    );
}

function reset(options) {
    state.appId = options.appId || '';
    state.appPassword = options.appPassword || '';
    state.tenantId = options.tenantId || '';
    state.members = options.members || [];
    state.calls = [];
    state.tokenRequests = [];
    state.auth = sdkAuthentication(state.appId, state.appPassword, state.tenantId);
    state.botAuth = sdkAuthentication(state.appId, state.appPassword, state.tenantId);
}

// ---------------------------------------------------------------------------------------------------------------
// The Connector API: the SDK's routes and handler, each call recorded
// ---------------------------------------------------------------------------------------------------------------

const currentCall = new AsyncLocalStorage();

function member(id) {
    const m = state.members.find((x) => x.id === id || x.aadObjectId === id);
    return m && { ...m, tenantId: state.tenantId || undefined, userRole: 'user' };
}

class RecordingChannelHandler extends CloudChannelServiceHandler {
    constructor() {
        super(undefined);
    }

    async authenticate(authHeader) {
        const call = currentCall.getStore();
        this.auth = state.auth;
        try {
            const identity = await super.authenticate(authHeader);
            if (call) {
                call.auth = 'ok';
                call.claims = Object.fromEntries(identity.claims.map((c) => [c.type, c.value]));
            }
            return identity;
        } catch (err) {
            if (call) call.auth = `failed: ${err.message}`;
            throw err;
        }
    }

    async onSendToConversation(_claims, conversationId, activity) {
        return { id: nextId() };
    }

    async onReplyToActivity(_claims, conversationId, activityId, activity) {
        return { id: nextId() };
    }

    async onUpdateActivity(_claims, conversationId, activityId, activity) {
        return { id: activityId };
    }

    async onDeleteActivity() {}

    async onCreateConversation(_claims, parameters) {
        const user = parameters.members && parameters.members[0];
        const result = { id: `a:1${crypto.createHash('sha256').update(String(user && user.id)).digest('base64url').slice(0, 40)}` };
        if (parameters.activity) result.activityId = nextId();
        return result;
    }

    async onGetConversationMembers() {
        return state.members.map((m) => member(m.id));
    }

    async onGetConversationMember(_claims, userId) {
        const found = member(userId);
        if (!found) {
            const err = new Error('Member not found');
            err.statusCode = 404;
            throw err;
        }
        return found;
    }

    async onGetConversationPagedMembers() {
        return { members: state.members.map((m) => member(m.id)) };
    }
}

/** The little of express/restify that ChannelServiceRoutes.register and its handlers use. */
class MiniServer {
    constructor() {
        this.routes = [];
    }

    add(method, pattern, handler) {
        this.routes.push({ method, parts: pattern.split('/'), handler });
    }

    get(p, h) { this.add('GET', p, h); }
    post(p, h) { this.add('POST', p, h); }
    put(p, h) { this.add('PUT', p, h); }
    delete(p, h) { this.add('DELETE', p, h); }

    match(method, path) {
        const segments = path.split('/');
        for (const route of this.routes) {
            if (route.method !== method || route.parts.length !== segments.length) continue;
            const params = {};
            let ok = true;
            for (let i = 0; i < segments.length && ok; i++) {
                const part = route.parts[i];
                if (part.startsWith(':')) {
                    try {
                        params[part.slice(1)] = decodeURIComponent(segments[i]);
                    } catch {
                        ok = false;
                    }
                } else ok = part === segments[i];
            }
            if (ok) return { handler: route.handler, params };
        }
        return null;
    }
}

const connector = new MiniServer();
const routes = new ChannelServiceRoutes(new RecordingChannelHandler());
routes.register(connector);
routes.register(connector, '/evil');

function serveConnector(req, res, url, body) {
    const found = connector.match(req.method, url.pathname);
    let parsed;
    try {
        parsed = body.length ? JSON.parse(body) : undefined;
    } catch {
        parsed = undefined;
    }
    const call = {
        method: req.method,
        path: url.pathname,
        params: found ? found.params : {},
        body: parsed === undefined && body.length ? body : parsed,
        authorization: req.headers.authorization ? req.headers.authorization.split(' ')[0] : null,
        auth: found ? 'pending' : 'not routed',
        status: 0,
        response: null,
    };
    state.calls.push(call);
    if (!found) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'NotFound', message: `${req.method} ${url.pathname} is not a Connector route` } }));
        call.status = 404;
        return;
    }
    // ChannelServiceRoutes reads req.params/query/body/headers and writes res.status/send/end, in any order.
    const sreq = { headers: req.headers, params: found.params, query: Object.fromEntries(url.searchParams), body: parsed };
    let status = 200;
    let payload;
    const sres = {
        status(code) { status = code; },
        send(value) { payload = value; },
        end() {
            call.status = status;
            call.response = payload === undefined ? null : payload;
            const text = payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
            res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json' });
            res.end(text);
        },
    };
    currentCall.run(call, () => found.handler(sreq, sres, () => {}));
}

// ---------------------------------------------------------------------------------------------------------------
// The token issuer (Entra): client credentials for the bot
// ---------------------------------------------------------------------------------------------------------------

function serveToken(res, authority, body) {
    const form = Object.fromEntries(new URLSearchParams(body));
    const problems = [];
    if (form.grant_type !== 'client_credentials') problems.push('grant_type must be client_credentials');
    if (!state.appId || form.client_id !== state.appId) problems.push('unknown client_id');
    if (form.client_secret !== state.appPassword) problems.push('wrong client_secret');
    if (form.scope !== SCOPE) problems.push(`scope must be ${SCOPE}`);
    const tenant = authority === 'botframework.com' ? BOT_FRAMEWORK_TENANT : authority;
    if (state.tenantId ? authority !== state.tenantId : authority !== 'botframework.com') problems.push(`wrong authority ${authority}`);
    state.tokenRequests.push({ authority, form: { ...form, client_secret: form.client_secret ? '***' : undefined }, problems });
    if (problems.length) {
        return json(res, 401, { error: 'invalid_client', error_description: problems.join('; ') });
    }
    const t = now();
    const token = signJwt({
        aud: CHANNEL_ISSUER,
        iss: `https://sts.windows.net/${tenant}/`,
        iat: t, nbf: t, exp: t + 3600,
        appid: form.client_id,
        appidacr: '1',
        idp: `https://sts.windows.net/${tenant}/`,
        tid: tenant,
        ver: '1.0',
    }, keys.entra);
    return json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
}

// ---------------------------------------------------------------------------------------------------------------
// Teams-shaped activities to the bot
// ---------------------------------------------------------------------------------------------------------------

function botAccount() {
    return { id: `28:${state.appId || DEV_BOT_ID}`, name: 'TeamBot' };
}

function user(id) {
    const m = state.members.find((x) => x.id === id) || { id, name: id };
    return { id: m.id, name: m.name, aadObjectId: m.aadObjectId };
}

/**
 * One activity as Teams shapes it. Request fields:
 *   kind      install | uninstall | message | reaction | invoke
 *   from      the user's 29: id (one of the reset's members)
 *   team      {id, name}; channel: the channel's 19: id (default: the team's General channel, i.e. the team id)
 *   personal  true for the 1:1 chat with the bot (conversation id from 'conversationId')
 *   text      message text; mention: true puts the bot's <at>TeamBot</at> first, as Teams does in channels
 *   replyToId the message a reaction or card action is on; threadId: the root post of the thread
 *   reactionsAdded / reactionsRemoved: [{type}]; value: an invoke's value; name: the invoke's name
 *   serviceUrl overrides the activity's serviceUrl (a forged activity)
 */
function buildActivity(p) {
    const id = nextId();
    const team = p.team || null;
    const channel = p.channel || (team && team.id);
    const tenant = state.tenantId || p.tenantId || '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const base = {
        id,
        timestamp: new Date().toISOString(),
        localTimestamp: new Date().toISOString(),
        serviceUrl: p.serviceUrl || `${origin}/`,
        channelId: 'msteams',
        from: user(p.from),
        recipient: botAccount(),
        locale: 'en-US',
        entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin' }],
    };
    if (p.personal) {
        base.conversation = { conversationType: 'personal', tenantId: tenant, id: p.conversationId };
        base.channelData = { tenant: { id: tenant } };
    } else {
        const root = p.threadId || (p.kind === 'message' ? id : p.replyToId);
        base.conversation = {
            isGroup: true,
            conversationType: 'channel',
            tenantId: tenant,
            id: p.kind === 'install' || p.kind === 'uninstall' || !root ? channel : `${channel};messageid=${root}`,
        };
        base.channelData = {
            teamsChannelId: channel,
            teamsTeamId: team.id,
            channel: { id: channel },
            team: { id: team.id, name: team.name, aadGroupId: team.aadGroupId },
            tenant: { id: tenant },
        };
    }
    switch (p.kind) {
        case 'install':
            return {
                ...base,
                type: 'conversationUpdate',
                membersAdded: [{ id: botAccount().id }],
                channelData: { ...base.channelData, eventType: 'teamMemberAdded', settings: { selectedChannel: { id: channel } } },
            };
        case 'uninstall':
            return { ...base, type: 'conversationUpdate', membersRemoved: [{ id: botAccount().id }], channelData: { ...base.channelData, eventType: 'teamMemberRemoved' } };
        case 'message': {
            const mention = '<at>TeamBot</at>';
            const activity = { ...base, type: 'message', textFormat: 'plain', text: p.mention ? `${mention} ${p.text}` : p.text, attachments: [] };
            if (p.mention) {
                activity.attachments = [{ contentType: 'text/html', content: `<div><div><span itemtype="http://schema.skype.com/Mention" itemscope="" itemid="0">TeamBot</span>&nbsp;${p.text}</div></div>` }];
                activity.entities = [{ type: 'mention', text: mention, mentioned: botAccount() }, ...base.entities];
            }
            if (p.replyToId) activity.replyToId = p.replyToId;
            return activity;
        }
        case 'reaction':
            return {
                ...base,
                type: 'messageReaction',
                replyToId: p.replyToId,
                ...(p.reactionsAdded ? { reactionsAdded: p.reactionsAdded } : {}),
                ...(p.reactionsRemoved ? { reactionsRemoved: p.reactionsRemoved } : {}),
                channelData: { ...base.channelData, legacy: { replyToId: p.replyToId } },
            };
        case 'invoke':
            return { ...base, type: 'invoke', name: p.name || 'adaptiveCard/action', replyToId: p.replyToId, value: p.value, entities: undefined };
        default:
            throw new Error(`unknown activity kind '${p.kind}'`);
    }
}

async function sendToBot(p) {
    const activity = buildActivity(p);
    const token = p.token || 'valid';
    const headers = { 'content-type': 'application/json; charset=utf-8' };
    let authorization = null;
    if (token !== 'none' && state.appId) {
        // The claim names the channel's own serviceUrl even when the activity is forged to name another one.
        authorization = `Bearer ${channelToken(token, state.appId, `${origin}/`)}`;
        headers.authorization = authorization;
    }
    // What the official SDK, as a bot with the same app id, thinks of this request.
    let sdkVerdict;
    try {
        await state.botAuth.authenticateRequest(activity, authorization || '');
        sdkVerdict = 'accepted';
    } catch (err) {
        sdkVerdict = `rejected: ${err.message}`;
    }
    const started = Date.now();
    const response = await fetch(p.botUrl, { method: 'POST', headers, body: JSON.stringify(activity), signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    let body = text;
    try {
        body = text ? JSON.parse(text) : null;
    } catch {
        // not JSON: kept as text
    }
    return { status: response.status, contentType: response.headers.get('content-type'), body, activity, sdkVerdict, ms: Date.now() - started };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------------

function json(res, status, value) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
}

async function serveControl(req, res, url, body) {
    const input = body.length ? JSON.parse(body) : {};
    if (req.method === 'POST' && url.pathname === '/control/reset') {
        reset(input);
        return json(res, 200, { serviceUrl: `${origin}/`, botId: botAccount().id });
    }
    if (req.method === 'POST' && url.pathname === '/control/send') return json(res, 200, await sendToBot(input));
    if (req.method === 'GET' && url.pathname === '/control/calls') return json(res, 200, state.calls);
    if (req.method === 'GET' && url.pathname === '/control/tokens') return json(res, 200, state.tokenRequests);
    return json(res, 404, { error: `no control route ${req.method} ${url.pathname}` });
}

function serve(req, res, body) {
    const url = new URL(req.url, origin);
    const path = url.pathname;
    if (path.startsWith('/control/')) return serveControl(req, res, url, body);
    if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
        return json(res, 200, { issuer: CHANNEL_ISSUER, authorization_endpoint: `${origin}/v1/authorize`, jwks_uri: `${origin}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] });
    }
    if (req.method === 'GET' && path === '/v1/.well-known/keys') return json(res, 200, { keys: [keys.teams.jwk, keys.slack.jwk] });
    if (req.method === 'GET' && path === '/botframework.com/v2.0/.well-known/openid-configuration') {
        return json(res, 200, { issuer: `https://login.microsoftonline.com/${BOT_FRAMEWORK_TENANT}/v2.0`, jwks_uri: `${origin}/common/discovery/v2.0/keys`, token_endpoint: `${origin}/botframework.com/oauth2/v2.0/token` });
    }
    if (req.method === 'GET' && path === '/common/discovery/v2.0/keys') return json(res, 200, { keys: [keys.entra.jwk] });
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (req.method === 'POST' && token) return serveToken(res, decodeURIComponent(token[1]), body);
    return serveConnector(req, res, url, body);
}

const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
        Promise.resolve()
            .then(() => serve(req, res, Buffer.concat(chunks).toString('utf8')))
            .catch((err) => {
                if (!res.headersSent) json(res, 500, { error: String((err && err.stack) || err) });
                else res.end();
            });
    });
});

server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    origin = `http://127.0.0.1:${port}`;
    reset({});
    process.stdout.write(`${JSON.stringify({ port, serviceUrl: `${origin}/` })}\n`);
});

// The test holds our standard input open; when it goes away (ended, crashed, killed), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
