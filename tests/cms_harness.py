"""Run the web editor for tests and benchmarks: decap-server (its local backend, on
127.0.0.1) over a project folder, and the built ``/admin/`` over plain HTTP."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from browser_harness import serve

from generator.cms import PACKAGE_ROOT, admin_assets

DECAP_SERVER = PACKAGE_ROOT / "tools" / "decap" / "node_modules" / "decap-server" / "dist" / \
    "index.js"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1", data=json.dumps({"action": "info"}).encode(),
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def decap_server(repo: Path) -> Iterator[int]:
    """decap-server in file-system mode over ``repo``, bound to 127.0.0.1; yields its port."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": "warn"}
    process = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, cwd=repo,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"decap-server did not start: {process.stderr.read()!r}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def write_admin(root: Path, out: Path, port: int) -> Path:
    """``/admin/`` (configured for decap-server on ``port``) and the site's stylesheets
    the preview uses, written under ``out``."""
    for name, data in admin_assets(root, local_port=port):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (out / "assets").mkdir(exist_ok=True)
    shutil.copy(PACKAGE_ROOT / "theme" / "assets" / "factsite.css", out / "assets")
    (out / "assets" / "factsite-ratings.css").write_text("", encoding="utf-8")
    return out


@contextlib.contextmanager
def web_editor(root: Path, site: Path) -> Iterator[str]:
    """decap-server over ``root`` and ``/admin/`` served from ``site``: yields the admin URL."""
    with decap_server(root) as port:
        write_admin(root, site, port)
        with serve(site) as url:
            yield f"{url}admin/"
