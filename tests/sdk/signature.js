// signature.js - the canonical string authz rebuilds against the one authing-node-sdk 4.0.1
// signs, case by case: every request goes through the SDK's own ManagementHttpClient (its
// buildStringToSign, its axios wire encoding), or for what axios never writes (repeated keys,
// `k=a,b`) through the SDK's buildStringToSign with a hand-made query. Each case is sent with
// the right secret (must not be refused: statusCode 401 means the canonical strings differ) and
// with a wrong one (must be refused, so the case can fail).
// usage: node signature.js /path/to/authz
const { spawn } = require('child_process');
const assert = require('assert');
const http = require('http');
const { ManagementHttpClient } = require('authing-node-sdk/dist/ManagementHttpClient');
const { buildStringToSign, buildAuthorization, DEFAULT_HEADERS } = require('authing-node-sdk/dist/utils/buildSignature');

const AK = 'sig-ak', SK = 'sig-sk';

function start(bin) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ['serve', '--port', '0', '--access-key-id', AK, '--access-key-secret', SK]);
    p.stdout.on('data', (d) => {
      const m = /listening on (http:\/\/\S+)/.exec(d.toString());
      if (m) resolve({ p, host: m[1] });
    });
    p.on('exit', (code) => reject(new Error(`authz serve exited with ${code}`)));
    setTimeout(() => reject(new Error('authz serve did not start')), 10000).unref();
  });
}

// A raw GET whose query string is written by hand, signed by the SDK's code over `signed`.
function rawGet(host, secret, path, query, signed) {
  const headers = Object.assign({}, DEFAULT_HEADERS(), { 'x-authing-lang': 'zh-CN', date: new Date().toUTCString() });
  const toSign = buildStringToSign('GET', path, headers, signed);
  headers.authorization = buildAuthorization(AK, secret, toSign);
  return new Promise((resolve, reject) => {
    const req = http.get(`${host}${path}?${query}`, { headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
  });
}

const str = 'a "quoted" \\ back/slash \u0001\u001f\t\n é 中文 \u2028 :*,+&=?#%';
const cases = [
  // [name, method, url, params or data]
  ['GET empty array', 'GET', '/api/v3/get-resources-batch', { codeList: [] }],
  ['GET empty array, undefined namespace', 'GET', '/api/v3/get-resources-batch', { namespace: undefined, codeList: [] }],
  ['GET empty array beside a value', 'GET', '/api/v3/get-resources-batch', { namespace: 'default', codeList: [] }],
  ['GET empty array of another path', 'GET', '/api/v3/get-namespaces-batch', { codeList: [] }],
  ['GET empty array and a boolean', 'GET', '/api/v3/get-authorized-resources', { targetType: 'USER', targetIdentifier: 'u', resourceList: [], withDenied: false }],
  ['GET array of one', 'GET', '/api/v3/get-resources-batch', { codeList: ['books'] }],
  ['GET array of several', 'GET', '/api/v3/get-resources-batch', { codeList: ['books', 'shelves:*', 'a,b'] }],
  ['GET array of awkward strings', 'GET', '/api/v3/get-resources-batch', { codeList: [str, ''] }],
  ['GET array of an empty string', 'GET', '/api/v3/get-resources-batch', { codeList: [''] }],
  ['GET empty string', 'GET', '/api/v3/get-namespace', { code: '' }],
  ['GET awkward string', 'GET', '/api/v3/get-namespace', { code: str }],
  ['GET all undefined', 'GET', '/api/v3/list-groups', { keywords: undefined }],
  ['GET no params', 'GET', '/api/v3/list-groups', undefined],
  ['GET numbers and booleans', 'GET', '/api/v3/list-roles', { namespace: 'default', page: 1, limit: 10, withCustomData: true }],
  ['POST nested objects, reals, controls', 'POST', '/api/v3/create-namespace', { code: 'sig-ns', name: str, extra: { x: [0.1, 1e21, 1.5e-7, 123456789012, -0.5, 1e-7, 2.5e25], s: '\u0002', o: {} } }],
  ['POST empty array', 'POST', '/api/v3/delete-roles-batch', { codeList: [] }],
  ['POST empty string and null', 'POST', '/api/v3/update-namespace', { code: 'sig-ns', newCode: '', description: null }],
];

async function main() {
  const { p, host } = await start(process.argv[2]);
  let checked = 0;
  const failed = [];
  try {
    const good = new ManagementHttpClient({ accessKeyId: AK, accessKeySecret: SK, host, timeout: 10000 });
    const bad = new ManagementHttpClient({ accessKeyId: AK, accessKeySecret: 'wrong', host, timeout: 10000 });
    for (const [name, method, url, fields] of cases) {
      const cfg = method === 'GET' ? { method, url: host + url, params: fields } : { method, url: host + url, data: fields };
      // The SDK signs config.url as given; the request path must be the path alone.
      const sign = (client) => client.request(Object.assign({}, cfg, { url }, { baseURL: host }));
      const r = await sign(good);
      if (r.statusCode === 401) failed.push(`${name}: signed by the SDK, refused: ${r.apiCode} ${r.message}`);
      const w = await sign(bad);
      if (w.statusCode !== 401) failed.push(`${name}: a wrong secret was accepted`);
      checked++;
    }
    // What axios never writes: repeated keys and a comma list, signed as the arrays they mean.
    const raw = [
      ['GET repeated keys', 'codeList=a&codeList=b', { codeList: ['a', 'b'] }],
      ['GET brackets, one element', 'codeList%5B%5D=a', { codeList: ['a'] }],
      ['GET comma list as one string', 'codeList=a,b', { codeList: 'a,b' }],
      ['GET empty value', 'namespace=&codeList%5B%5D=a', { namespace: '', codeList: ['a'] }],
    ];
    for (const [name, query, signed] of raw) {
      const r = await rawGet(host, SK, '/api/v3/get-resources-batch', query, signed);
      if (r.statusCode === 401) failed.push(`${name}: refused: ${r.apiCode} ${r.message}`);
      const w = await rawGet(host, 'wrong', '/api/v3/get-resources-batch', query, signed);
      if (w.statusCode !== 401) failed.push(`${name}: a wrong secret was accepted`);
      checked++;
    }
    for (const f of failed) console.log(`FAIL ${f}`);
    assert.strictEqual(failed.length, 0, `${failed.length} of ${checked} cases disagree`);
    console.log(`signatures: ${checked} canonical-string cases agree with authing-node-sdk 4.0.1's signer`);
  } finally {
    p.kill();
  }
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
