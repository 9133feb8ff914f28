// run.js - node-casbin and Cedar (cedar-wasm) on the dataset and queries authz_peers_gen wrote.
// Before timing, each peer's answers to the first 2,000 queries must equal authz's; a mismatch
// stops the run. Prints one JSON line per peer: load time, checks/s, p50 (per 64-query batch),
// peak resident memory.   usage: node run.js DIR casbin|cedar
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
const which = process.argv[3];
const queries = fs.readFileSync(path.join(dir, 'queries.txt'), 'utf8').trim().split('\n').map((l) => {
  const [user, resource, action, expected] = l.split(' ');
  return { user, resource, action, expected: expected === '1' };
});
const policy = fs.readFileSync(path.join(dir, 'policy.csv'), 'utf8').trim().split('\n').map((l) => l.split(', '));
const rules = policy.length;

const CASBIN_MODEL = `
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
`;

async function casbin() {
  const { newEnforcer, newModelFromString, StringAdapter } = require('casbin');
  const t0 = process.hrtime.bigint();
  const csv = policy.map((p) => p.join(', ')).join('\n');
  const e = await newEnforcer(newModelFromString(CASBIN_MODEL), new StringAdapter(csv));
  const load = Number(process.hrtime.bigint() - t0) / 1e6;
  return { load, check: (q) => e.enforceSync(q.user, q.resource, q.action) };
}

async function cedar() {
  const cedarWasm = require('@cedar-policy/cedar-wasm/nodejs');
  const t0 = process.hrtime.bigint();
  const text = policy.filter((p) => p[0] === 'p')
    .map((p) => `permit(principal in Role::"${p[1]}", action == Action::"${p[3]}", resource == Resource::"${p[2]}");`)
    .join('\n');
  const parsed = cedarWasm.preparsePolicySet('authz', { staticPolicies: text });
  if (parsed.type !== 'success') throw new Error(JSON.stringify(parsed.errors));
  const roleOf = new Map();
  for (const p of policy) if (p[0] === 'g') roleOf.set(p[1], p[2]);
  const load = Number(process.hrtime.bigint() - t0) / 1e6;
  // Cedar takes the entities a request needs with the request: the user and its role.
  const check = (q) => {
    const role = roleOf.get(q.user);
    const entities = [{ uid: { type: 'User', id: q.user }, attrs: {}, parents: role ? [{ type: 'Role', id: role }] : [] }];
    if (role) entities.push({ uid: { type: 'Role', id: role }, attrs: {}, parents: [] });
    const a = cedarWasm.statefulIsAuthorized({
      principal: { type: 'User', id: q.user }, action: { type: 'Action', id: q.action },
      resource: { type: 'Resource', id: q.resource }, context: {}, preparsedPolicySetId: 'authz', entities,
    });
    if (a.type !== 'success') throw new Error(JSON.stringify(a.errors));
    return a.response.decision === 'allow';
  };
  return { load, check };
}

(async () => {
  const peer = which === 'cedar' ? await cedar() : await casbin();
  for (let i = 0; i < 2000; i++) {
    const got = peer.check(queries[i]);
    if (got !== queries[i].expected) {
      console.error(`${which}: answer ${i} differs from authz: ${JSON.stringify(queries[i])} -> ${got}`);
      process.exit(3);
    }
  }
  // Slow peers are timed for a budget of ~10 s rather than over every query.
  let batches = Math.floor(queries.length / 64);
  let lat = new Float64Array(batches);
  let allowed = 0;
  const start = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    if (b > 0 && process.hrtime.bigint() - start > 10_000_000_000n) {
      batches = b;
      lat = lat.slice(0, b);
      break;
    }
    const t = process.hrtime.bigint();
    for (let i = b * 64; i < b * 64 + 64; i++) allowed += peer.check(queries[i]) ? 1 : 0;
    lat[b] = Number(process.hrtime.bigint() - t) / 64;
  }
  const total = Number(process.hrtime.bigint() - start);
  lat.sort();
  console.log(JSON.stringify({
    peer: which === 'cedar' ? 'Cedar (cedar-wasm, node)' : 'node-casbin', rules, queries: batches * 64, allowed,
    load_ms: Math.round(peer.load * 10) / 10, checks_per_s: Math.round((batches * 64) / total * 1e9),
    p50_ns: Math.round(lat[batches >> 1]), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
  }));
})().catch((e) => { console.error(`${which}: ${e.message}`); process.exit(1); });
