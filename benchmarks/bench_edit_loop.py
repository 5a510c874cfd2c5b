"""The edit loop: save one record, poll its served page until the change shows.

    python benchmarks/bench_edit_loop.py --records 1000 5000 --edits 5

For each size it writes the synthetic tree (:mod:`synthetic`) with this repository's
mkdocs.yml and theme, starts a server on a free 127.0.0.1 port, edits one claim's verdict
``--edits`` times (a new word each time) and measures from the save until an HTTP GET of the
claim's page returns the new word; then the same with another server. Servers: ``factsite
serve`` (the editor's command) and plain ``mkdocs serve`` side by side. Prints the median and
every time, and the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import write_site

BIN = Path(sys.executable).parent
SERVERS = {
    "factsite serve": lambda root, addr: [str(BIN / "factsite"), "--root", str(root), "serve",
                                          "--dev-addr", addr],
    "mkdocs serve": lambda root, addr: [str(BIN / "mkdocs"), "serve", "--dev-addr", addr],
}
CLAIM = "claims/claim-00003"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, needle: str, timeout: float, interval: float = 0.05) -> float:
    """Seconds until ``url`` serves a page containing ``needle``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if needle in fetch(url):
            return time.monotonic() - start
        time.sleep(interval)
    raise TimeoutError(f"{url} did not show {needle!r} within {timeout:.0f} s")


def measure(server: str, root: Path, edits: int, timeout: float) -> list[float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/{CLAIM}/"
    log = open(root / f"{server.split()[0]}.log", "w", encoding="utf-8")  # noqa: SIM115
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(SERVERS[server](root, f"127.0.0.1:{port}"), cwd=root, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    path = root / "content" / f"{CLAIM}.yaml"
    original = path.read_text(encoding="utf-8")
    try:
        wait_for(url, "<h1", timeout)
        times = []
        for number in range(edits):
            word = f"Edited{number}x{os.getpid()}"
            time.sleep(1.5)  # let the watcher settle after the last build
            path.write_text(original.replace('verdict: "', f'verdict: "{word} ', 1),
                            encoding="utf-8")
            times.append(wait_for(url, word, timeout))
        return times
    finally:
        path.write_text(original, encoding="utf-8")
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--servers", nargs="+", choices=list(SERVERS), default=list(SERVERS))
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    results = []
    for total in args.records:
        with tempfile.TemporaryDirectory(prefix="bench-edit-") as folder:
            root = Path(folder)
            write_site(root, total)
            for server in args.servers:
                load_before = os.getloadavg()[0]
                times = measure(server, root, args.edits, args.timeout)
                results.append({
                    "records": total, "server": server,
                    "median_s": round(statistics.median(times), 2),
                    "times_s": [round(t, 2) for t in times],
                    "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
                })
                print(json.dumps(results[-1]), flush=True)


if __name__ == "__main__":
    main()
