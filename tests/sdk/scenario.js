// scenario.js - the official GenAuth Node SDK (authing-node-sdk 4.0.1) against `authz serve`:
// at least one call of every method family, the GET array spelling the SDK sends, errors as
// envelopes, and a client with a wrong secret refused (statusCode 401) on every call.
// usage: node scenario.js /path/to/authz
const { spawn } = require('child_process');
const assert = require('assert');
const { ManagementClient } = require('authing-node-sdk');

const bin = process.argv[2];
let calls = 0;

function start() {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ['serve', '--port', '0', '--access-key-id', 'local-pool', '--access-key-secret', 'local-secret']);
    p.stdout.on('data', (d) => {
      const m = /listening on (http:\/\/\S+)/.exec(d.toString());
      if (m) resolve({ p, host: m[1] });
    });
    p.on('exit', (code) => reject(new Error(`authz serve exited with ${code}`)));
    setTimeout(() => reject(new Error('authz serve did not start')), 10000).unref(); // not a reason to stay alive
  });
}

async function ok(promise, what) {
  const r = await promise;
  calls++;
  assert.strictEqual(r.statusCode, 200, `${what}: ${r.statusCode} ${r.apiCode} ${r.message}`);
  return r.data;
}

async function fails(promise, status, what) {
  const r = await promise;
  calls++;
  assert.strictEqual(r.statusCode, status, `${what}: expected ${status}, got ${r.statusCode} ${r.message}`);
  return r;
}

async function scenario(mc) {
  const ns = 'library';
  const created = await ok(mc.createNamespace({ code: ns, name: 'Library' }), 'createNamespace');
  assert.strictEqual(created.code, ns);
  await ok(mc.createResource({ namespace: ns, type: 'DATA', code: 'books',
    actions: [{ name: 'books:read', description: '' }, { name: 'books:write', description: '' }] }), 'createResource');
  await ok(mc.createResourcesBatch({ namespace: ns, list: [{ code: 'shelves', type: 'DATA', actions: [{ name: 'shelves:read', description: '' }] }] }), 'createResourcesBatch');
  const batch = await ok(mc.getResourcesBatch({ namespace: ns, codeList: ['books', 'shelves'] }), 'getResourcesBatch');
  assert.strictEqual(batch.length, 2);
  const page = await ok(mc.listResources({ namespace: ns, page: 1, limit: 10 }), 'listResources');
  assert.strictEqual(page.totalCount, 2);
  await ok(mc.createRole({ namespace: ns, code: 'reader', name: 'Reader' }), 'createRole');
  await ok(mc.assignRole({ namespace: ns, code: 'reader', targets: [{ targetType: 'USER', targetIdentifier: 'user-1' }] }), 'assignRole');
  await ok(mc.createGroup({ code: 'editors', name: 'Editors', description: '', type: 'static' }), 'createGroup');
  await ok(mc.addGroupMembers({ code: 'editors', userIds: ['user-2'] }), 'addGroupMembers');
  await ok(mc.addDepartmentMembers({ organizationCode: 'acme', departmentId: 'dept-1', userIds: ['user-3'] }), 'addDepartmentMembers');
  await ok(mc.authorizeResources({ namespace: ns, list: [
    { targetType: 'ROLE', targetIdentifiers: ['reader'], resources: [{ code: 'books', actions: ['books:read'], resourceType: 'DATA' }] },
    { targetType: 'GROUP', targetIdentifiers: ['editors'], resources: [{ code: 'books', actions: ['books:read', 'books:write'], resourceType: 'DATA' }] },
    { targetType: 'DEPARTMENT', targetIdentifiers: ['dept-1'], resources: [{ code: 'shelves:*', actions: ['shelves:read'], resourceType: 'DATA' }] },
  ] }), 'authorizeResources');
  const a = await ok(mc.isActionAllowed({ namespace: ns, userId: 'user-1', resource: 'books', action: 'books:read' }), 'isActionAllowed');
  const b = await ok(mc.isActionAllowed({ namespace: ns, userId: 'user-1', resource: 'books', action: 'books:write' }), 'isActionAllowed');
  const c = await ok(mc.isActionAllowed({ namespace: ns, userId: 'user-3', resource: 'shelves:7', action: 'shelves:read' }), 'isActionAllowed');
  assert.deepStrictEqual([a.allowed, b.allowed, c.allowed], [true, false, true]);
  const t = await ok(mc.getResourceAuthorizedTargets({ namespace: ns, resource: 'books', page: 1, limit: 10 }), 'getResourceAuthorizedTargets');
  assert.strictEqual(t.totalCount, 2);
  // GET with arrays: the SDK sends resourceList[]=books&resourceList[]=books:*
  const ar = await ok(mc.getAuthorizedResources({ targetType: 'GROUP', targetIdentifier: 'editors', namespace: ns, resourceList: ['books', 'books:*'] }), 'getAuthorizedResources');
  assert.strictEqual(ar.totalCount, 1);
  const ur = await ok(mc.getUserAuthorizedResources({ userId: 'user-2', namespace: ns }), 'getUserAuthorizedResources');
  assert.deepStrictEqual(ur.list[0].actions, ['books:read', 'books:write']);
  const rr = await ok(mc.getRoleAuthorizedResources({ code: 'reader', namespace: ns }), 'getRoleAuthorizedResources');
  assert.strictEqual(rr.totalCount, 1);
  const gr = await ok(mc.getGroupAuthorizedResources({ code: 'editors', namespace: ns }), 'getGroupAuthorizedResources');
  assert.strictEqual(gr.length, 1);
  const roles = await ok(mc.listRoles({ namespace: ns }), 'listRoles');
  assert.strictEqual(roles.totalCount, 1);
  const members = await ok(mc.listGroupMembers({ code: 'editors' }), 'listGroupMembers');
  assert.strictEqual(members.list[0].userId, 'user-2');
  await ok(mc.getRole({ code: 'reader', namespace: ns }), 'getRole');
  await ok(mc.revokeRole({ namespace: ns, code: 'reader', targets: [{ targetType: 'USER', targetIdentifier: 'user-1' }] }), 'revokeRole');
  const after = await ok(mc.isActionAllowed({ namespace: ns, userId: 'user-1', resource: 'books', action: 'books:read' }), 'isActionAllowed');
  assert.strictEqual(after.allowed, false);
  await ok(mc.setUserDepartments({ userId: 'user-3', departments: [{ departmentId: 'dept-2' }] }), 'setUserDepartments');
  const ud = await ok(mc.getUserDepartments({ userId: 'user-3' }), 'getUserDepartments');
  assert.strictEqual(ud.list[0].departmentId, 'dept-2');
  await ok(mc.removeGroupMembers({ code: 'editors', userIds: ['user-2'] }), 'removeGroupMembers');
  await ok(mc.getNamespacesBatch({ codeList: [ns, 'default'] }), 'getNamespacesBatch');
  await ok(mc.updateResource({ namespace: ns, code: 'books', description: 'all books' }), 'updateResource');
  await ok(mc.deleteResource({ namespace: ns, code: 'shelves' }), 'deleteResource');
  // Errors surface as envelopes, not exceptions.
  await fails(mc.getRole({ code: 'ghost', namespace: ns }), 404, 'getRole(ghost)');
  await fails(mc.createGroup({ code: 'editors', name: 'Editors', description: '', type: 'static' }), 409, 'createGroup(duplicate)');
  await fails(mc.listRoles({ namespace: ns, limit: 100 }), 400, 'listRoles(limit 100)');
  await ok(mc.deleteNamespace({ code: ns }), 'deleteNamespace');
}

async function wrongSecret(host) {
  const bad = new ManagementClient({ accessKeyId: 'local-pool', accessKeySecret: 'wrong', host });
  const attempts = [
    bad.createNamespace({ code: 'x', name: 'x' }),
    bad.isActionAllowed({ userId: 'u', resource: 'r', action: 'a' }),
    bad.listRoles({}),
    bad.getResourcesBatch({ codeList: ['a', 'b'] }),
    bad.authorizeResources({ list: [{ targetType: 'USER', targetIdentifiers: ['u'], resources: [{ code: 'r', actions: ['a'], resourceType: 'DATA' }] }] }),
    bad.createResource({ type: 'DATA', code: 'r' }),
    bad.getAuthorizedResources({ targetType: 'USER', targetIdentifier: 'u', resourceList: ['r', 'r:*'] }),
    bad.getResourceAuthorizedTargets({ resource: 'r' }),
    bad.assignRole({ code: 'x', targets: [{ targetType: 'USER', targetIdentifier: 'u' }] }),
    bad.revokeRole({ code: 'x', targets: [{ targetType: 'USER', targetIdentifier: 'u' }] }),
    bad.addGroupMembers({ code: 'g', userIds: ['u'] }),
    bad.listGroupMembers({ code: 'g' }),
    bad.addDepartmentMembers({ organizationCode: 'o', departmentId: 'd', userIds: ['u'] }),
    bad.getUserDepartments({ userId: 'u' }),
  ];
  // Every family of calls, GET and POST, is refused the same way.
  for (const p of attempts) await fails(p, 401, 'wrong secret');
}

(async () => {
  const { p, host } = await start();
  try {
    const mc = new ManagementClient({ accessKeyId: 'local-pool', accessKeySecret: 'local-secret', host, lang: 'en-US' });
    await scenario(mc);
    await wrongSecret(host);
    console.log(`sdk: authing-node-sdk 4.0.1, ${calls} calls as expected, wrong secret refused`);
  } finally {
    p.kill('SIGTERM');
  }
})().catch((e) => {
  console.error(`sdk: FAILED: ${e.message}`);
  process.exit(1);
});
