--[[
authz.lua - the authz engine in-process from LuaJIT (OpenResty, nginx with lua-nginx-module),
through the FFI: no network hop, no JSON on the check path.

  local authz = require "authz"
  local engine = assert(authz.load("/var/lib/authz/model.snap"))  -- or authz.new()
  local ok, err = engine:check("alice", "orders:991", "POST", "gateway")  -- true/false, or nil+err
  local p = assert(engine:prepare("orders:1", "GET", "gateway"))       -- one per route
  p:check("alice")
  local envelope = engine:call("create_role", '{"code":"reader"}')      -- any GenAuth method

The library is libauthz_json.so (the engine and its JSON front door), found by the system's
loader unless authz.open(path) names it first. Engines and prepared checks are freed by the
garbage collector (ffi.gc). An engine is thread-safe; in nginx each worker loads its own.
Failures return nil, message, status name ("ENOTFOUND", ...), field, item.
]]
local ffi = require "ffi"

ffi.cdef [[
typedef struct authz_engine authz_engine;
typedef struct authz_prepared authz_prepared;
typedef struct authz_options authz_options;
typedef struct authz_error {
    int status;
    int object;
    int32_t item;
    char field[64];
    char message[256];
} authz_error;
const char *authz_version(void);
const char *authz_status_name(int s);
const char *authz_strerror(int s);
int authz_engine_new(const authz_options *opt, authz_engine **out);
void authz_engine_free(authz_engine *e);
void authz_free(void *result);
int authz_load(const char *path, const authz_options *opt, authz_engine **out, authz_error *err);
int authz_save(const authz_engine *e, const char *path, authz_error *err);
int authz_check(const authz_engine *e, const char *namespace_code, const char *user_id,
                const char *resource, const char *action, bool *allowed, authz_error *err);
int authz_prepare(const authz_engine *e, const char *namespace_code, const char *resource,
                  const char *action, authz_prepared **out, authz_error *err);
int authz_check_prepared(const authz_engine *e, authz_prepared *p, const char *user_id,
                         bool *allowed, authz_error *err);
int authz_call_json(authz_engine *e, const char *method, const char *request, size_t len,
                    int lang, char **response);
]]

local authz = { _VERSION = "0.1.0" }
local C

--- Loads the shared library from `path` (default: the system loader's libauthz_json.so.0).
function authz.open(path)
    if C and not path then return C end
    if path then
        C = ffi.load(path)
    else
        local ok, lib = pcall(ffi.load, "libauthz_json.so.0")
        C = ok and lib or ffi.load("authz_json")
    end
    return C
end

local function lib() return C or authz.open() end

local Engine = {}
Engine.__index = Engine
local Prepared = {}
Prepared.__index = Prepared

local engine_out = ffi.typeof("authz_engine *[1]")
local prepared_out = ffi.typeof("authz_prepared *[1]")
local string_out = ffi.typeof("char *[1]")
local err_t = ffi.typeof("authz_error")
local bool_t = ffi.typeof("bool[1]")

local function failure(st, err)
    local l = lib()
    if err == nil then return nil, ffi.string(l.authz_strerror(st)), ffi.string(l.authz_status_name(st)) end
    return nil, ffi.string(err.message), ffi.string(l.authz_status_name(st)), ffi.string(err.field),
        tonumber(err.item)
end

local function wrap(e)
    return setmetatable({ e = ffi.gc(e, lib().authz_engine_free) }, Engine)
end

--- A new empty engine (it holds the namespace `default`).
function authz.new()
    local out = engine_out()
    local st = lib().authz_engine_new(nil, out)
    if st ~= 0 then return failure(st) end
    return wrap(out[0])
end

--- An engine read from a snapshot file (authz save, authz_save, Engine.save in Python).
function authz.load(path)
    local out, err = engine_out(), err_t()
    local st = lib().authz_load(path, nil, out, err)
    if st ~= 0 then return failure(st, err) end
    return wrap(out[0])
end

function authz.version() return ffi.string(lib().authz_version()) end

--- true or false; nil, message, status, field, item for an unknown namespace or a malformed
--- resource or action. An unknown user is false.
function Engine:check(user_id, resource, action, namespace)
    local allowed = bool_t()
    local st = C.authz_check(self.e, namespace, user_id, resource, action, allowed, nil)
    if st == 0 then return allowed[0] end
    local err = err_t()
    st = C.authz_check(self.e, namespace, user_id, resource, action, allowed, err)
    if st == 0 then return allowed[0] end
    return failure(st, err)
end

--- A prepared check of (namespace, resource, action): p:check(user_id). Valid across writes.
function Engine:prepare(resource, action, namespace)
    local out, err = prepared_out(), err_t()
    local st = C.authz_prepare(self.e, namespace, resource, action, out, err)
    if st ~= 0 then return failure(st, err) end
    return setmetatable({ p = ffi.gc(out[0], C.authz_free), engine = self }, Prepared)
end

function Prepared:check(user_id)
    local allowed = bool_t()
    local st = C.authz_check_prepared(self.engine.e, self.p, user_id, allowed, nil)
    if st == 0 then return allowed[0] end
    local err = err_t()
    st = C.authz_check_prepared(self.engine.e, self.p, user_id, allowed, err)
    if st == 0 then return allowed[0] end
    return failure(st, err)
end

--- Runs GenAuth method `method` with the JSON text `request` ("{}" if nil); returns the response
--- envelope as JSON text (a failed request is an envelope too; nil, message only when out of memory).
function Engine:call(method, request)
    request = request or "{}"
    local out = string_out()
    local st = C.authz_call_json(self.e, method, request, #request, 0, out)
    if st ~= 0 then return failure(st) end
    local s = ffi.string(out[0])
    C.authz_free(out[0])
    return s
end

--- Writes a snapshot of the engine to `path` (atomically). true, or nil, message, status.
function Engine:save(path)
    local err = err_t()
    local st = C.authz_save(self.e, path, err)
    if st ~= 0 then return failure(st, err) end
    return true
end

return authz
