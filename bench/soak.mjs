// Bounded soak of a running GlucoPlay API (started by bench/soak.sh): a mixed workload on many
// keep-alive connections, slowloris clients dribbling headers, clients that vanish mid-response,
// and a separate health probe (its own worker thread, so the driver's busy event loop does not
// inflate the latencies it reports). Samples the server's RSS and open descriptors from /proc.
//
//   node bench/soak.mjs --port P --pid PID [--seconds 300] [--connections 500]
//
// Prints a summary and writes it as JSON to --out (default stdout only). Exit 1 when a target
// is missed: health p99 >= 50 ms, any error, or RSS / descriptors not flat.
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// ---- health probe (worker thread) -----------------------------------------------------------
if (!isMainThread) {
  const { port, seconds, intervalMs } = workerData;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const once = () =>
    new Promise((resolve) => {
      const t0 = process.hrtime.bigint();
      const req = http.get({ host: '127.0.0.1', port, path: '/api/health', agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (res.statusCode !== 200) errors++;
          resolve();
        });
      });
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  (async () => {
    while (Date.now() < end) {
      await once();
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    parentPort.postMessage({ latencies, errors });
  })();
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}

async function main() {
  const port = Number(arg('port'));
  const pid = Number(arg('pid'));
  const seconds = Number(arg('seconds', process.env.SOAK_SECONDS ?? 300));
  const total = Number(arg('connections', 500));
  const out = arg('out');
  const thinkMs = Number(arg('think-ms', process.env.SOAK_THINK_MS ?? 1000));
  const slowCount = Math.round(total * 0.08); // slowloris
  const vanishCount = Math.round(total * 0.04); // leave mid-response
  const mixedCount = total - slowCount - vanishCount;

  const stats = { requests: 0, by_status: {}, errors: 0, error_samples: [], slowloris_cut: 0, vanished: 0 };
  const record = (status) => {
    stats.requests++;
    stats.by_status[status] = (stats.by_status[status] ?? 0) + 1;
  };
  const fail = (what) => {
    stats.errors++;
    if (stats.error_samples.length < 20) stats.error_samples.push(what);
  };

  function request(agent, method, path, body, token) {
    return new Promise((resolve) => {
      const headers = {};
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (token) headers.Authorization = `Bearer ${token}`;
      const data = body === undefined ? undefined : JSON.stringify(body);
      if (data) headers['Content-Length'] = Buffer.byteLength(data);
      const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          record(res.statusCode);
          let json = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString() || 'null');
          } catch {}
          resolve({ status: res.statusCode, json });
        });
      });
      req.setTimeout(10000, () => req.destroy(new Error('client timeout')));
      req.on('error', (e) => {
        fail(`${method} ${path}: ${e.message}`);
        resolve({ status: 0, json: null });
      });
      if (data) req.write(data);
      req.end();
    });
  }

  // Users: a few accounts shared by the mixed clients (sign-up hashes a password: keep it few).
  const setupAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const tokens = [];
  const runId = Date.now().toString(36);
  for (let i = 0; i < 16; i++) {
    const r = await request(setupAgent, 'POST', '/api/auth/signup', {
      username: `soak_${runId}_${i}`,
      password: 'soak password 123',
    });
    if (r.status !== 201) throw new Error(`signup failed: ${r.status} ${JSON.stringify(r.json)}`);
    tokens.push(r.json.token);
  }

  const deadline = Date.now() + seconds * 1000;
  const running = () => Date.now() < deadline;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let readingClock = Math.floor(Date.now() / 1000) - 80 * 86400;
  const expectOk = (r, what) => {
    if (r.status === 0) return false;
    if (r.status < 200 || r.status >= 300) fail(`${what}: HTTP ${r.status} ${JSON.stringify(r.json)?.slice(0, 200)}`);
    return r.status >= 200 && r.status < 300;
  };

  // The mixed workload: one keep-alive connection per client and a think time between requests
  // (uniform 0 to 2*THINK_MS, default mean 1 s: a person clicking through the app).
  async function mixedClient(i) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const token = tokens[i % tokens.length];
    await sleep(Math.random() * 2000);
    while (running()) {
      const roll = Math.random();
      if (roll < 0.2) expectOk(await request(agent, 'GET', '/api/health'), 'health');
      else if (roll < 0.35) expectOk(await request(agent, 'GET', '/api/foods?q=apple&limit=20'), 'foods');
      else if (roll < 0.5) expectOk(await request(agent, 'GET', '/api/scores?game=racing&period=all&limit=10'), 'leaderboard');
      else if (roll < 0.6) expectOk(await request(agent, 'GET', '/api/users/me', undefined, token), 'me');
      else if (roll < 0.68) expectOk(await request(agent, 'GET', '/api/pin_dexcom/trends', undefined, token), 'trends');
      else if (roll < 0.8) {
        expectOk(await request(agent, 'POST', '/api/food_log', { food_id: 1 + (i % 50), grams: 100, meal: 'lunch' }, token), 'food_log');
      } else if (roll < 0.9) {
        const at = (readingClock += 60);
        const iso = new Date(at * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        expectOk(await request(agent, 'POST', '/api/pin_dexcom/readings', { readings: [{ at: iso, mg_dl: 80 + (at % 120) }] }, token), 'readings');
      } else {
        const s = await request(agent, 'POST', '/api/games/racing/sessions', {}, token);
        if (expectOk(s, 'session'))
          expectOk(await request(agent, 'POST', '/api/scores', { game: 'racing', session_id: s.json.session_id, score: 0 }, token), 'score');
      }
      await sleep(Math.random() * 2 * thinkMs);
    }
    agent.destroy();
  }

  // Slowloris: headers one byte every second; the server's header timeout cuts it off, and the
  // client reconnects and starts again.
  async function slowClient() {
    while (running()) {
      await new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        const text = 'GET /api/health HTTP/1.1\r\nHost: soak\r\nX-Slow: ' + 'a'.repeat(200);
        let i = 0;
        let timer;
        const done = () => {
          clearInterval(timer);
          s.destroy();
          resolve();
        };
        s.on('connect', () => {
          timer = setInterval(() => {
            if (!running() || i >= text.length) return done();
            s.write(text[i++]);
          }, 1000);
        });
        s.on('close', () => {
          if (running()) stats.slowloris_cut++;
          done();
        });
        s.on('error', () => done());
      });
    }
  }

  // Vanishing clients: ask for a large answer (the food catalog) and reset the connection as
  // soon as the first bytes arrive.
  async function vanishingClient() {
    while (running()) {
      await new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.on('connect', () => s.write('GET /api/foods?limit=500 HTTP/1.1\r\nHost: soak\r\n\r\n'));
        s.once('data', () => {
          stats.vanished++;
          s.resetAndDestroy ? s.resetAndDestroy() : s.destroy();
          resolve();
        });
        s.on('error', () => resolve());
        s.on('close', () => resolve());
      });
      await sleep(100 + Math.random() * 400);
    }
  }

  // Server resources over time.
  const samples = [];
  const sample = () => {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
      const fds = fs.readdirSync(`/proc/${pid}/fd`).length;
      samples.push({ t: Math.round((Date.now() - (deadline - seconds * 1000)) / 1000), rss_kb: rss, fds });
    } catch (e) {
      fail(`sampling /proc/${pid}: ${e.message}`);
    }
  };
  sample();
  const sampler = setInterval(sample, 5000);

  const probe = new Worker(new URL(import.meta.url), { workerData: { port, seconds, intervalMs: 50 } });
  const probeResult = new Promise((resolve) => probe.on('message', resolve));

  const clients = [];
  for (let i = 0; i < mixedCount; i++) clients.push(mixedClient(i));
  for (let i = 0; i < slowCount; i++) clients.push(slowClient());
  for (let i = 0; i < vanishCount; i++) clients.push(vanishingClient());
  await Promise.all(clients);
  const health = await probeResult;
  clearInterval(sampler);
  // Let the server close what the clients left, then take the last sample.
  await sleep(2000);
  sample();

  const lat = health.latencies.sort((a, b) => a - b);
  // Flatness: the mean of the last fifth against the mean of the second fifth (after warm-up).
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const mean = (xs, k) => xs.reduce((s, x) => s + x[k], 0) / Math.max(1, xs.length);
  const early = samples.slice(fifth, 2 * fifth);
  const late = samples.slice(-fifth - 1, -1);
  const summary = {
    seconds,
    think_ms_mean: thinkMs,
    connections: { mixed: mixedCount, slowloris: slowCount, vanishing: vanishCount },
    requests: stats.requests,
    requests_per_second: Math.round(stats.requests / seconds),
    by_status: stats.by_status,
    errors: stats.errors + health.errors,
    error_samples: stats.error_samples,
    slowloris_connections_cut: stats.slowloris_cut,
    vanished_mid_response: stats.vanished,
    health_probe: {
      count: lat.length,
      p50_ms: +percentile(lat, 50).toFixed(2),
      p99_ms: +percentile(lat, 99).toFixed(2),
      max_ms: +lat[lat.length - 1].toFixed(2),
    },
    rss_kb: { first: samples[0].rss_kb, early_mean: Math.round(mean(early, 'rss_kb')), late_mean: Math.round(mean(late, 'rss_kb')), max: Math.max(...samples.map((s) => s.rss_kb)), after: samples.at(-1).rss_kb },
    fds: { first: samples[0].fds, early_mean: Math.round(mean(early, 'fds')), late_mean: Math.round(mean(late, 'fds')), max: Math.max(...samples.map((s) => s.fds)), after: samples.at(-1).fds },
    samples,
  };
  const problems = [];
  if (!(summary.health_probe.p99_ms < 50)) problems.push(`health p99 ${summary.health_probe.p99_ms} ms >= 50 ms`);
  if (summary.errors > 0) problems.push(`${summary.errors} errors`);
  if (summary.rss_kb.late_mean > summary.rss_kb.early_mean * 1.2 + 10240) problems.push('RSS grew');
  if (summary.fds.late_mean > summary.fds.early_mean * 1.2 + 20) problems.push('open descriptors grew');
  // After the load the server holds its listeners and the database pool's files (db, -wal, -shm
  // per connection, opened lazily): nothing per client may remain.
  if (summary.fds.after > summary.fds.first + 40) problems.push(`descriptors not released: ${summary.fds.first} -> ${summary.fds.after}`);
  summary.verdict = problems.length ? `FAIL: ${problems.join('; ')}` : 'PASS';
  const { samples: _s, ...brief } = summary;
  console.log(JSON.stringify(brief, null, 2));
  if (out) fs.writeFileSync(out, JSON.stringify(summary, null, 2));
  process.exit(problems.length ? 1 : 0);
}
