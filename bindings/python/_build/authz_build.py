"""A PEP 517 build backend for the authz package, standard library only.

It writes the wheel itself (a zip with the package, METADATA, WHEEL and RECORD), so installing
needs neither setuptools nor wheel nor a package index. When the C library has been built, a copy
of libauthz_json.so goes into the wheel (authz/_lib/), found at $AUTHZ_LIBRARY or in the
checkout's build/release tree; without one the package uses the system's (cmake --install, .deb).
"""
import base64
import hashlib
import io
import os
import sysconfig
import zipfile

NAME = "authz"
VERSION = "0.1.0"
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(os.path.dirname(HERE))


def _library():
    env = os.environ.get("AUTHZ_LIBRARY")
    if env:
        return env if os.path.isfile(env) else None
    path = os.path.join(ROOT, "build", "release", "src", "json", "libauthz_json.so")
    return path if os.path.isfile(path) else None


def _tag(lib):
    if not lib:
        return "py3-none-any"
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return "py3-none-" + plat


def _metadata():
    return ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
            "Summary: Python binding of authz, an in-memory authorization engine\n"
            "Requires-Python: >=3.8\n" % (NAME, VERSION))


def _files(lib):
    """(archive name, bytes) of everything the wheel holds but the dist-info."""
    pkg = os.path.join(HERE, NAME)
    for name in sorted(os.listdir(pkg)):
        if name.endswith(".py"):
            with open(os.path.join(pkg, name), "rb") as f:
                yield NAME + "/" + name, f.read()
    if lib:
        with open(lib, "rb") as f:
            yield NAME + "/_lib/libauthz_json.so", f.read()


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def _write_wheel(directory, editable=False):
    lib = _library()
    tag = _tag(lib)
    dist = "%s-%s.dist-info" % (NAME, VERSION)
    wheel_name = "%s-%s-%s.whl" % (NAME, VERSION, tag)
    entries = [(NAME + ".pth", (HERE + "\n").encode())] if editable else list(_files(lib))
    entries.append((dist + "/METADATA", _metadata().encode()))
    entries.append((dist + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: authz_build\n"
                                      "Root-Is-Purelib: %s\nTag: %s\n" %
                                      ("false" if lib else "true", tag)).encode()))
    record = [_record_line(n, d) for n, d in entries] + [dist + "/RECORD,,"]
    entries.append((dist + "/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(os.path.join(directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return wheel_name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, editable=True)


def build_sdist(sdist_directory, config_settings=None):
    import tarfile
    base = "%s-%s" % (NAME, VERSION)
    path = os.path.join(sdist_directory, base + ".tar.gz")
    with tarfile.open(path, "w:gz") as t:
        for rel in ("pyproject.toml", "_build/authz_build.py"):
            t.add(os.path.join(HERE, rel), base + "/" + rel)
        for name, data in _files(None):
            info = tarfile.TarInfo(base + "/" + name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo(base + "/PKG-INFO")
        meta = _metadata().encode()
        info.size = len(meta)
        t.addfile(info, io.BytesIO(meta))
    return base + ".tar.gz"
