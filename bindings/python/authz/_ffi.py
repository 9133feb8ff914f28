"""The C library, loaded with ctypes: its declarations and how it is found.

ctypes releases the GIL around every call into a CDLL, so engine calls from several Python
threads run in parallel (the engine is thread-safe: checks and reads share a read lock).
"""
import ctypes
import glob
import os

_LIBNAME = "libauthz_json.so"


class Error(ctypes.Structure):
    _fields_ = [
        ("status", ctypes.c_int),
        ("object", ctypes.c_int),
        ("item", ctypes.c_int32),
        ("field", ctypes.c_char * 64),
        ("message", ctypes.c_char * 256),
    ]


class Explanation(ctypes.Structure):
    _fields_ = [
        ("allowed", ctypes.c_bool),
        ("principal_type", ctypes.c_int),
        ("principal_id", ctypes.c_char_p),
        ("resource", ctypes.c_char_p),
        ("action_count", ctypes.c_size_t),
        ("actions", ctypes.POINTER(ctypes.c_char_p)),
    ]


class Options(ctypes.Structure):
    _fields_ = [
        ("allocator", ctypes.c_void_p),
        ("clock", ctypes.c_void_p),
        ("clock_ctx", ctypes.c_void_p),
        ("strict", ctypes.c_bool),
    ]


class Stats(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "namespaces", "resources", "roles", "groups", "users", "departments", "grants",
        "role_assignments", "memberships", "strings", "bytes")]


def _candidates():
    """Where the shared library may be, in the order tried."""
    env = os.environ.get("AUTHZ_LIBRARY")
    if env:
        yield env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    # A copy bundled into the installed package by the build backend.
    yield from sorted(glob.glob(os.path.join(here, "_lib", _LIBNAME + "*")))
    # The system's loader: `cmake --install` or the libauthz .deb.
    yield _LIBNAME + ".0"
    # Imported straight from a checkout (PYTHONPATH=bindings/python): its build trees.
    root = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    if not os.path.isfile(os.path.join(root, "include", "authz.h")):
        return
    for build in ("release", "dev", "asan"):
        yield os.path.join(root, "build", build, "src", "json", _LIBNAME)


def _load():
    tried = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise ImportError("authz: cannot load the authz shared library; tried:\n  " +
                      "\n  ".join(tried) + "\nset AUTHZ_LIBRARY to the path of " + _LIBNAME)


lib, path = _load()

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_ERR = ctypes.POINTER(Error)


def _decl(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


version = _decl("authz_version", _S)
strerror = _decl("authz_strerror", _S, ctypes.c_int)
status_name = _decl("authz_status_name", _S, ctypes.c_int)
status_code = _decl("authz_status_code", ctypes.c_int, ctypes.c_int)
engine_new = _decl("authz_engine_new", ctypes.c_int, ctypes.POINTER(Options), ctypes.POINTER(_P))
engine_free = _decl("authz_engine_free", None, _P)
free = _decl("authz_free", None, _P)
get_stats = _decl("authz_get_stats", ctypes.c_int, _P, ctypes.POINTER(Stats))
load = _decl("authz_load", ctypes.c_int, _S, ctypes.POINTER(Options), ctypes.POINTER(_P), _ERR)
save = _decl("authz_save", ctypes.c_int, _P, _S, _ERR)
check = _decl("authz_check", ctypes.c_int, _P, _S, _S, _S, _S, ctypes.POINTER(ctypes.c_bool), _ERR)
explain = _decl("authz_explain", ctypes.c_int, _P, _S, _S, _S, _S,
                ctypes.POINTER(ctypes.POINTER(Explanation)), _ERR)
prepare = _decl("authz_prepare", ctypes.c_int, _P, _S, _S, _S, ctypes.POINTER(_P), _ERR)
check_prepared = _decl("authz_check_prepared", ctypes.c_int, _P, _P, _S,
                       ctypes.POINTER(ctypes.c_bool), _ERR)
call_json = _decl("authz_call_json", ctypes.c_int, _P, _S, _S, ctypes.c_size_t, ctypes.c_int,
                  ctypes.POINTER(ctypes.c_void_p))
target_type_name = _decl("authz_target_type_name", _S, ctypes.c_int)

# The hot path: the same functions without argtypes, called with ready-made c_void_p handles and
# bytes. ctypes' per-argument conversion through argtypes costs more than the check itself.
_fast = ctypes.CDLL(path)
fast_check = _fast.authz_check
fast_check.restype = ctypes.c_int
fast_check_prepared = _fast.authz_check_prepared
fast_check_prepared.restype = ctypes.c_int
