"""PEP 517 build backend for heapsim_record that needs only the interpreter
and a C compiler.

3.12+ virtual environments have no setuptools and `pip install ./recorder`
must work with no package index, so this backend compiles src/recorder.c
with the compiler and flags sysconfig reports for the running interpreter
and writes the wheel with zipfile. Only build_wheel (and the metadata hook)
are provided: an sdist or an editable install is not needed.
"""

import base64
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile

NAME = "heapsim_record"
VERSION = "0.1.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST_INFO = f"{NAME}-{VERSION}.dist-info"


def get_requires_for_build_wheel(config_settings=None):
    return []


def _metadata():
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {NAME}\n"
        f"Version: {VERSION}\n"
        "Summary: Record object creations, deaths, references and collections "
        "of a CPython program for heapsim\n"
        "Requires-Python: >=3.11\n"
    )


def _tag():
    impl = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    abi = impl + ("t" if sysconfig.get_config_var("Py_GIL_DISABLED") else "")
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"{impl}-{abi}-{plat}"


def _wheel_file():
    return (
        "Wheel-Version: 1.0\n"
        "Generator: heapsim_record_build\n"
        "Root-Is-Purelib: false\n"
        f"Tag: {_tag()}\n"
    )


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    path = os.path.join(metadata_directory, DIST_INFO)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "METADATA"), "w") as f:
        f.write(_metadata())
    with open(os.path.join(path, "WHEEL"), "w") as f:
        f.write(_wheel_file())
    return DIST_INFO


def _compile(build_dir):
    """Compiles src/recorder.c into the extension; returns its path."""
    cc = shlex.split(sysconfig.get_config_var("CC") or "cc")
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    out = os.path.join(build_dir, "_recorder" + suffix)
    include = sysconfig.get_paths()["include"]
    cmd = cc + [
        "-shared", "-fPIC", "-O2", "-g", "-std=gnu11", "-Wall", "-Wextra",
        "-Wno-unused-parameter", "-Wno-missing-field-initializers",
        "-fvisibility=hidden", "-pthread",
        "-I" + include,
        # Debian's pyconfig.h includes <x86_64-linux-gnu/python3.X/pyconfig.h>
        # relative to the directory above the headers. Searched after the
        # system's: for an unpacked sid sysroot that directory also holds
        # sid's libc headers, which must not shadow the host compiler's.
        "-idirafter", os.path.dirname(include),
        os.path.join(ROOT, "src", "recorder.c"),
        "-o", out,
        "-lzstd", "-ldl",
    ]
    # HEAPSIM_RECORD_CFLAGS: extra flags, first (e.g. -I for headers
    # unpacked elsewhere than sysconfig says, -DHSR_DEBUG_COUNTS).
    extra = os.environ.get("HEAPSIM_RECORD_CFLAGS")
    if extra:
        cmd[len(cc):len(cc)] = shlex.split(extra)
    print("heapsim_record_build:", " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
    try:
        subprocess.run(cmd, check=True)
    except FileNotFoundError:
        raise SystemExit(f"heapsim_record_build: C compiler not found: {cc[0]} (install gcc)")
    except subprocess.CalledProcessError as e:
        raise SystemExit(
            "heapsim_record_build: compiling src/recorder.c failed (exit %d); it needs the "
            "interpreter's headers (%s) and libzstd's (libzstd-dev)" % (e.returncode, include))
    return out


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    build_dir = tempfile.mkdtemp(prefix="heapsim_record_build.")
    try:
        ext = _compile(build_dir)
        files = []
        pkg = os.path.join(ROOT, NAME)
        for name in sorted(os.listdir(pkg)):
            if name.endswith(".py"):
                with open(os.path.join(pkg, name), "rb") as f:
                    files.append((f"{NAME}/{name}", f.read()))
        with open(ext, "rb") as f:
            files.append((f"{NAME}/{os.path.basename(ext)}", f.read()))
        files.append((f"{DIST_INFO}/METADATA", _metadata().encode()))
        files.append((f"{DIST_INFO}/WHEEL", _wheel_file().encode()))
        record = [_record_line(a, d) for a, d in files] + [f"{DIST_INFO}/RECORD,,"]
        files.append((f"{DIST_INFO}/RECORD", ("\n".join(record) + "\n").encode()))

        wheel_name = f"{NAME}-{VERSION}-{_tag()}.whl"
        tmp = os.path.join(wheel_directory, wheel_name + ".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for arcname, data in files:
                info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = (0o755 if arcname.endswith(".so") else 0o644) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)
        os.replace(tmp, os.path.join(wheel_directory, wheel_name))
        return wheel_name
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)
