"""authz: an in-memory authorization engine (GenAuth V3 permission model), from Python.

    import authz
    e = authz.Engine()
    e.call("create_role", code="reader")
    e.call("assign_role", code="reader", targets=[{"targetType": "USER", "targetIdentifier": "alice"}])
    e.call("authorize_resources", namespace="default", list=[{"targetType": "ROLE", "targetIdentifiers": ["reader"],
           "resources": [{"code": "books", "actions": ["read"]}]}])
    e.check("alice", "books:42", "read")       # True

`Engine.check` and `Prepared.check` call the C check directly; `Engine.call` runs any GenAuth
method by name through the library's JSON front door; `LocalManagementClient` offers the permission
methods of GenAuth's Python SDK with its names, keyword arguments and envelopes. Calls into the
library release the GIL; an engine may be shared by threads.
"""
import ctypes
import json as _json

from . import _ffi

_fast_check = _ffi.fast_check
_fast_check_prepared = _ffi.fast_check_prepared
_byref = ctypes.byref
_bool = ctypes.c_bool

__all__ = ["Engine", "Prepared", "AuthzError", "InvalidArgument", "NotFound", "AlreadyExists",
           "RuleViolation", "InternalError", "LocalManagementClient", "version"]

_TARGET_TYPES = ("USER", "ROLE", "GROUP", "DEPARTMENT")


def version():
    """The C library's version string, e.g. "0.1.0"."""
    return _ffi.version().decode()


class AuthzError(Exception):
    """A failed call. `status` is the C status name ("ENOTFOUND", ...), `status_code` GenAuth's
    statusCode class (400, 404, 409, 422, 500), `api_code` GenAuth's apiCode, `field` the request
    field at fault ("" if none), `item` the index of the offending batch item (-1 if none),
    `message` the library's English message."""

    def __init__(self, status, status_code, api_code, field, item, message):
        super().__init__(message)
        self.status = status
        self.status_code = status_code
        self.api_code = api_code
        self.field = field
        self.item = item
        self.message = message

    def __repr__(self):
        return "%s(%r, status_code=%d, field=%r, item=%d, message=%r)" % (
            type(self).__name__, self.status, self.status_code, self.field, self.item,
            self.message)


class InvalidArgument(AuthzError):
    """statusCode 400: a malformed or missing field (EINVAL) or a limit exceeded (ELIMIT)."""


class NotFound(AuthzError):
    """statusCode 404 (ENOTFOUND)."""


class AlreadyExists(AuthzError):
    """statusCode 409 (EEXIST)."""


class RuleViolation(AuthzError):
    """statusCode 422 (ERULE)."""


class InternalError(AuthzError):
    """statusCode 500: out of memory, corrupt data, I/O errors (ENOMEM, ECORRUPT, EIO, ...)."""


_BY_CODE = {400: InvalidArgument, 404: NotFound, 409: AlreadyExists, 422: RuleViolation}
# What a JSON envelope's statusCode says about the C status (400 may also be ELIMIT).
_STATUS_OF_CODE = {400: "EINVAL", 404: "ENOTFOUND", 409: "EEXIST", 422: "ERULE"}


def _raise(status, err):
    code = _ffi.status_code(status)
    api = code * 100 + err.object if status else 0
    cls = _BY_CODE.get(code, InternalError)
    msg = err.message.decode("utf-8", "replace") or _ffi.strerror(status).decode()
    raise cls(_ffi.status_name(status).decode(), code, api, err.field.decode("utf-8", "replace"),
              err.item, msg)


def _b(s):
    if s is None:
        return None
    if isinstance(s, bytes):
        return s
    return s.encode("utf-8")


def _options(strict):
    opt = _ffi.Options()
    opt.strict = bool(strict)
    return opt


class Engine:
    """One engine: an in-memory model of namespaces, resources, roles, groups, departments and
    grants. `Engine(strict=False)` is empty but for the namespace `default`."""

    def __init__(self, strict=False, _handle=None):
        if _handle is None:
            h = ctypes.c_void_p()
            st = _ffi.engine_new(ctypes.byref(_options(strict)), ctypes.byref(h))
            if st:
                _raise(st, _ffi.Error())
            _handle = h.value
        self._h = _handle
        self._hp = ctypes.c_void_p(_handle)  # the handle as the argtypes-free hot path takes it

    @classmethod
    def load(cls, path, strict=False):
        """An engine read from a snapshot file (written by `save` or `authz save`)."""
        h = ctypes.c_void_p()
        err = _ffi.Error()
        st = _ffi.load(_b(path), ctypes.byref(_options(strict)), ctypes.byref(h),
                       ctypes.byref(err))
        if st:
            _raise(st, err)
        return cls(_handle=h.value)

    def close(self):
        """Frees the engine now (also done when it is garbage-collected). Must not race with any
        other call on this engine."""
        h, self._h, self._hp = self._h, None, None
        if h:
            _ffi.engine_free(h)

    def __del__(self):
        if getattr(self, "_h", None) and _ffi is not None:
            self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _handle(self):
        if not self._h:
            raise ValueError("authz: the engine is closed")
        return self._h

    def check(self, user_id, resource, action, namespace=None):
        """May `user_id` do `action` on `resource` (in `namespace`, default "default")?
        Calls authz_check directly. Raises NotFound for an unknown namespace and
        InvalidArgument for a malformed resource or action; an unknown user is just False."""
        h = self._hp
        if h is None:
            raise ValueError("authz: the engine is closed")
        args = (h, _b(namespace), _b(user_id), _b(resource), _b(action))
        allowed = _bool()
        st = _fast_check(*args, _byref(allowed), None)
        if st:
            err = _ffi.Error()  # a check has no side effects: ask again for the details
            st = _fast_check(*args, _byref(allowed), _byref(err))
            if st:
                _raise(st, err)
        return allowed.value

    def prepare(self, resource, action, namespace=None):
        """A prepared check for one (namespace, resource, action): `p.check(user_id)` skips every
        name lookup but the user's. It stays valid across writes."""
        h = ctypes.c_void_p()
        err = _ffi.Error()
        st = _ffi.prepare(self._handle(), _b(namespace), _b(resource), _b(action),
                          ctypes.byref(h), ctypes.byref(err))
        if st:
            _raise(st, err)
        return Prepared(self, h.value)

    def explain(self, user_id, resource, action, namespace=None):
        """Like check, and says which grant allowed it: a dict with `allowed` and, when allowed,
        `principalType`, `principalId`, `resource` and `actions` of the first grant found (in the
        order user, roles, groups, departments)."""
        out = ctypes.POINTER(_ffi.Explanation)()
        err = _ffi.Error()
        st = _ffi.explain(self._handle(), _b(namespace), _b(user_id), _b(resource), _b(action),
                          ctypes.byref(out), ctypes.byref(err))
        if st:
            _raise(st, err)
        try:
            x = out.contents
            r = {"allowed": bool(x.allowed)}
            if x.allowed:
                r["principalType"] = _TARGET_TYPES[x.principal_type]
                r["principalId"] = x.principal_id.decode()
                r["resource"] = x.resource.decode()
                r["actions"] = [x.actions[i].decode() for i in range(x.action_count)]
            return r
        finally:
            _ffi.free(ctypes.cast(out, ctypes.c_void_p))

    def save(self, path):
        """Writes a snapshot atomically (temporary file, fsync, rename)."""
        err = _ffi.Error()
        st = _ffi.save(self._handle(), _b(path), ctypes.byref(err))
        if st:
            _raise(st, err)

    def stats(self):
        """Counts of what the engine holds (namespaces, resources, ..., grants, bytes)."""
        s = _ffi.Stats()
        st = _ffi.get_stats(self._handle(), ctypes.byref(s))
        if st:
            _raise(st, _ffi.Error())
        return {name: getattr(s, name) for name, _ in _ffi.Stats._fields_}

    def call_envelope(self, method, params=None, lang=None):
        """Runs GenAuth method `method` with the request object `params` (GenAuth's camelCase
        fields) and returns the whole response envelope as a dict, failures included."""
        req = _json.dumps(params or {}, ensure_ascii=False).encode("utf-8")
        out = ctypes.c_void_p()
        st = _ffi.call_json(self._handle(), _b(method), req, len(req),
                            1 if lang == "zh-CN" else 0, ctypes.byref(out))
        if st:
            _raise(st, _ffi.Error())
        try:
            return _json.loads(ctypes.string_at(out.value).decode("utf-8"))
        finally:
            _ffi.free(out)

    def call(self, method, **params):
        """Runs any GenAuth method by name with its camelCase request fields as keywords and
        returns the envelope's `data`; a failure envelope raises the matching AuthzError (its
        `field` and `item` are not carried by envelopes: they stay "" and -1, and the message
        names them)."""
        env = self.call_envelope(method, params)
        code = env.get("statusCode")
        if code != 200:
            cls = _BY_CODE.get(code, InternalError)
            raise cls(_STATUS_OF_CODE.get(code, "EINTERNAL"), code, env.get("apiCode", 0), "",
                      -1, env.get("message", ""))
        return env.get("data")


class Prepared:
    """A prepared check (see Engine.prepare). Thread-safe; holds its engine alive."""

    def __init__(self, engine, handle):
        self._engine = engine
        self._h = handle
        self._p = ctypes.c_void_p(handle)

    def check(self, user_id):
        """May `user_id` do the prepared action on the prepared resource?"""
        eh = self._engine._hp
        if eh is None:
            raise ValueError("authz: the engine is closed")
        user = user_id.encode() if isinstance(user_id, str) else user_id
        allowed = _bool()
        st = _fast_check_prepared(eh, self._p, user, _byref(allowed), None)
        if st:
            err = _ffi.Error()
            st = _fast_check_prepared(eh, self._p, user, _byref(allowed), _byref(err))
            if st:
                _raise(st, err)
        return allowed.value

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h and _ffi is not None:
            _ffi.free(h)


from ._client import LocalManagementClient  # noqa: E402
