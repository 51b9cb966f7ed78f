// The API-level checks of the deployment test, run by deploy/tests/deploy_test.sh once nginx and
// two API instances are up. Every request goes through nginx over HTTPS (trusting only the test's
// self-signed certificate) unless a check says otherwise. Plain Node (18+), no packages.
//
//   node deploy_checks.mjs roundtrip            sign up, log food, read it back
//   node deploy_checks.mjs kill-under-load      writes while instance A is SIGKILLed; none acknowledged lost
//   node deploy_checks.mjs sse                  a leaderboard stream through nginx sees a score posted through nginx
//   node deploy_checks.mjs sse-cross            stream on instance A directly, score through instance B directly
//                                               (needs a shared event bus: PostgreSQL LISTEN/NOTIFY)
//
// Environment: GP_HOST (the TLS name), GP_HTTPS_PORT, GP_CA (PEM file), GP_KILL_PID (instance A's
// pid, kill-under-load), GP_API_A / GP_API_B (http://127.0.0.1:PORT of each instance, sse-cross).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const HOST = process.env.GP_HOST ?? 'glucoplay.test';
const PORT = Number(process.env.GP_HTTPS_PORT);
const CA = process.env.GP_CA ? fs.readFileSync(process.env.GP_CA) : undefined;
const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: CA, servername: HOST });

function fail(message) {
  console.error(`deploy_checks: FAIL: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) fail(message);
}

/** One HTTP(S) request; resolves {status, headers, body, json}. `base` defaults to nginx. */
function request(method, path, { body, token, base, headers = {} } = {}) {
  const target = base ? new URL(path, base) : null;
  const mod = target ? http : https;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const options = target
    ? { method, hostname: target.hostname, port: target.port, path: target.pathname + target.search }
    : { method, hostname: '127.0.0.1', port: PORT, path, agent, headers: { Host: `${HOST}:${PORT}` } };
  options.headers = { ...(options.headers ?? {}), ...headers };
  if (payload !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.headers['Content-Length'] = Buffer.byteLength(payload);
  }
  if (token) options.headers.Authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = mod.request(options, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, body: text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(15000, () => req.destroy(new Error(`${method} ${path}: no answer in 15 s`)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

let userCounter = 0;
async function signup(label, base) {
  const username = `${label}_${process.pid}_${++userCounter}`;
  const res = await request('POST', '/api/auth/signup', {
    body: { username, password: 'correct horse battery', display_name: username },
    base,
  });
  check(res.status === 201, `signup ${username}: ${res.status} ${res.body}`);
  return { username, token: res.json.token, id: res.json.user.id, setCookie: res.headers['set-cookie'] ?? [] };
}

/** Yesterday 12:00 UTC: a fixed instant whose UTC day does not move while the test runs. */
function yesterdayNoon() {
  const d = new Date(Date.now() - 24 * 3600 * 1000);
  d.setUTCHours(12, 0, 0, 0);
  return d;
}

async function firstFoodId() {
  const res = await request('GET', '/api/foods?q=apple&limit=1');
  check(res.status === 200 && res.json?.items?.length === 1, `food search: ${res.status} ${res.body}`);
  return res.json.items[0].id;
}

async function roundtrip() {
  const user = await signup('rt');
  // X-Forwarded-Proto reached the API: it marks the session cookie Secure only over HTTPS.
  const cookie = user.setCookie.find((c) => c.startsWith('glucoplay_session='));
  check(cookie && /;\s*Secure/i.test(cookie), `session cookie should be Secure behind TLS: ${cookie}`);
  const foodId = await firstFoodId();
  const at = yesterdayNoon();
  const logged = await request('POST', '/api/food_log', {
    token: user.token,
    body: { food_id: foodId, grams: 123, meal: 'lunch', eaten_at: at.toISOString() },
  });
  check(logged.status === 201, `food_log POST: ${logged.status} ${logged.body}`);
  const day = at.toISOString().slice(0, 10);
  const read = await request('GET', `/api/food_log?date=${day}`, { token: user.token });
  check(read.status === 200, `food_log GET: ${read.status} ${read.body}`);
  const items = read.json.items;
  check(items.length === 1 && items[0].id === logged.json.id && items[0].grams === 123,
    `food_log read back: ${read.body}`);
  const me = await request('GET', '/api/users/me', { token: user.token });
  check(me.status === 200 && me.json.username === user.username, `users/me: ${me.status} ${me.body}`);
  console.log(`roundtrip: ok (user ${user.username}, entry ${logged.json.id})`);
}

/**
 * Writes through nginx from several concurrent clients; once a quarter of them are acknowledged,
 * instance A is SIGKILLed. Every acknowledged (201) entry must read back afterwards, failures are
 * only the few requests in flight on A at that moment (502 from nginx, never retried since POST is
 * not idempotent), and everything after the kill is served by B.
 */
async function killUnderLoad() {
  const killPid = Number(process.env.GP_KILL_PID);
  check(killPid > 0, 'GP_KILL_PID is required');
  const total = 240;
  const concurrency = 8;
  const killAfter = 60;
  const user = await signup('load');
  const foodId = await firstFoodId();
  const at = yesterdayNoon();
  const acknowledged = new Set();
  const failures = [];
  let next = 0;
  let killed = false;
  let killedAt = -1; // the index of the first request sent after the kill
  let okAfterKill = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const sentAfterKill = killed;
      const eaten = new Date(at.getTime() + i * 1000).toISOString();
      let res;
      try {
        res = await request('POST', '/api/food_log', {
          token: user.token,
          body: { food_id: foodId, grams: 1 + i, meal: 'snack', eaten_at: eaten },
        });
      } catch (e) {
        failures.push({ i, what: e.message });
        continue;
      }
      if (res.status === 201) {
        acknowledged.add(res.json.id);
        if (sentAfterKill) okAfterKill++;
      } else {
        check(res.status === 502 && res.json?.error?.code === 'bad_gateway',
          `write #${i}: unexpected ${res.status} ${res.body}`);
        failures.push({ i, what: res.status });
      }
      if (!killed && acknowledged.size >= killAfter) {
        killed = true;
        killedAt = next;
        process.kill(killPid, 'SIGKILL');
      }
    }
  };
  // Reads alongside: a GET is idempotent, so nginx re-sends one that A dropped to B, and none may
  // fail at all (proxy_next_upstream error timeout).
  let writing = true;
  let reads = 0;
  const readFailures = [];
  const reader = async () => {
    while (writing) {
      const res = await request('GET', '/api/users/me', { token: user.token }).catch((e) => ({ status: e.message }));
      reads++;
      if (res.status !== 200) readFailures.push(`${res.status}${killed ? ' (after the kill)' : ''}`);
    }
  };
  const readers = Array.from({ length: 4 }, reader);
  await Promise.all(Array.from({ length: concurrency }, worker));
  writing = false;
  await Promise.all(readers);
  check(killed, 'instance A was never killed');
  check(readFailures.length === 0, `${readFailures.length} of ${reads} reads failed: ${readFailures.join(', ')}`);
  // What may fail: requests in flight on A when it died (at most one per client), and requests
  // nginx sent on a kept-alive connection to A before it saw that connection close (at most one per
  // cached connection, as many as clients). Both are writes sent to A and not re-sent (POST), and
  // all happen right at the kill; everything sent later must succeed on B.
  const listed = failures.map((f) => `#${f.i}: ${f.what}`).join(', ');
  check(failures.length <= 2 * concurrency, `${failures.length} writes failed: ${listed}`);
  check(failures.every((f) => f.i < killedAt + 2 * concurrency),
    `writes failed well after the kill (request #${killedAt} was the first sent after it): ${listed}`);
  check(okAfterKill >= total - killAfter - 2 * concurrency,
    `only ${okAfterKill} writes succeeded after the kill`);

  const day = at.toISOString().slice(0, 10);
  const read = await request('GET', `/api/food_log?date=${day}`, { token: user.token });
  check(read.status === 200, `read back: ${read.status} ${read.body}`);
  const stored = new Set(read.json.items.map((e) => e.id));
  const lost = [...acknowledged].filter((id) => !stored.has(id));
  check(lost.length === 0, `acknowledged writes lost: ${lost.join(', ')}`);
  // Instance B keeps answering reads and writes.
  for (let i = 0; i < 10; i++) {
    const res = await request('GET', '/api/health');
    check(res.status === 200, `health after the kill: ${res.status} ${res.body}`);
  }
  console.log(`kill-under-load: ok (${acknowledged.size} acknowledged, all read back; ` +
    `${failures.length} in-flight failures; ${okAfterKill} writes after the kill; ${reads} reads, none failed)`);
}

/** Opens an event stream and calls onEvent({event, data}) per event; returns {response, close}. */
function openStream(path, base, onEvent) {
  const target = base ? new URL(path, base) : null;
  const mod = target ? http : https;
  const options = target
    ? { hostname: target.hostname, port: target.port, path: target.pathname + target.search }
    : { hostname: '127.0.0.1', port: PORT, path, ca: CA, servername: HOST, headers: { Host: `${HOST}:${PORT}` } };
  options.headers = { ...(options.headers ?? {}), Accept: 'text/event-stream', 'Accept-Encoding': 'gzip' };
  return new Promise((resolve, reject) => {
    const req = mod.get(options, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length) onEvent({ event, data: data.join('\n') });
        }
      });
      resolve({ response: res, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

/** Resolves when `predicate` holds for a received event, or fails after `ms`. */
function waitFor(events, predicate, ms, what) {
  return new Promise((resolve) => {
    const deadline = Date.now() + ms;
    const poll = () => {
      const hit = events.find(predicate);
      if (hit) return resolve(hit);
      if (Date.now() > deadline) fail(`no ${what} within ${ms / 1000} s (got ${events.length} events)`);
      setTimeout(poll, 20);
    };
    poll();
  });
}

/** A leaderboard stream opened via `streamBase` sees a score posted via `postBase`. */
async function sse(streamBase, postBase, label) {
  const events = [];
  const stream = await openStream('/api/scores/stream?game=racing', streamBase, (e) => events.push(e));
  check(stream.response.statusCode === 200, `stream: status ${stream.response.statusCode}`);
  check(/^text\/event-stream/.test(stream.response.headers['content-type'] ?? ''),
    `stream content type: ${stream.response.headers['content-type']}`);
  check(!stream.response.headers['content-encoding'], 'the event stream must not be compressed');
  // The API sends the current top 10 first: the stream is live end to end.
  await waitFor(events, (e) => e.event === 'leaderboard', 10000, 'initial leaderboard event');

  const player = await signup(label, postBase);
  const session = await request('POST', '/api/games/racing/sessions', { token: player.token, body: {}, base: postBase });
  check(session.status === 201, `racing session: ${session.status} ${session.body}`);
  // 0 points is plausible at any time; a new player still enters a board with free places.
  const scored = await request('POST', '/api/scores', {
    token: player.token,
    body: { game: 'racing', session_id: session.json.session_id, score: 0 },
    base: postBase,
  });
  check(scored.status === 201, `score: ${scored.status} ${scored.body}`);
  await waitFor(events, (e) => e.event === 'leaderboard' && e.data.includes(`"${player.username}"`), 10000,
    `leaderboard event naming ${player.username}`);
  stream.close();
  console.log(`${label}: ok (a score posted through ${postBase ?? 'nginx'} reached a stream on ${streamBase ?? 'nginx'})`);
}

const what = process.argv[2];
try {
  if (what === 'roundtrip') await roundtrip();
  else if (what === 'kill-under-load') await killUnderLoad();
  else if (what === 'sse') await sse(undefined, undefined, 'sse');
  else if (what === 'sse-cross') await sse(process.env.GP_API_A, process.env.GP_API_B, 'sse_cross');
  else fail(`unknown check '${what}'`);
} catch (e) {
  fail(e.stack ?? String(e));
}
agent.destroy();
process.exit(0);
