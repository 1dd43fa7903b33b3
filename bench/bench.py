"""`make bench`: a treatment page against bare Django, a constant view and a static file.

Starts the production server on loopback (gunicorn, 2 workers, Redis cache) and measures
with wrk, in one run and interleaved round by round:

  bare      the cached page's exact response (headers and body) from a Django with no
            middleware and one URL (gunicorn C, neuroinfo.settings_bare): the ceiling
  cached    the treatment page from the page cache (gunicorn A)
  uncached  the same page with the page cache off (gunicorn B, NEUROINFO_PAGE_CACHE=0)
  nginx     the same page through the shipped deploy/nginx.conf (HTTPS, micro-cache) to A
  constant  /bench/constant/ on A: a fixed response of the page's size, same middleware
  static    the saved page as a static file served by the same nginx server

It prints requests/s, p50 and p99 latency (median over the rounds) and each one's ratio
to bare Django and to the constant view (nginx: also to the static file; a ratio is the
median over the rounds of that round's ratio, the two measured back to back), and checks
the targets: cached >= 0.8x bare, uncached >= 0.3x constant, nginx >= 0.5x static. A missed target is
reported, not an error; the exit status is non-zero only on errors (a server that does
not start, a wrong status or body, socket errors or non-2xx responses under load).

Options come from the environment: BENCH_ROUNDS (8), BENCH_SECONDS (3 per run),
BENCH_CONNECTIONS (16), BENCH_THREADS (2), BENCH_PAGE (/en/treatments/surgery/),
BENCH_DB (auto: PostgreSQL if installed, else SQLite; or postgres / sqlite),
BENCH_APP_ENV ("KEY=VALUE ..." added to every app server, to try a setting).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import (
    HOST,
    LOOPBACK,
    ServerError,
    Stack,
    http_get,
    https_get,
    log,
    require_tools,
    run,
    run_script,
    tool,
)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "8"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
WARMUP_SECONDS = 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
PAGE = os.environ.get("BENCH_PAGE", "/en/treatments/surgery/")
BARE_PATH = "/bench/bare/"  # neuroinfo.bare.PATH
# Written by gunicorn itself on every response, not by Django.
GUNICORN_HEADERS = {"date", "server", "connection", "transfer-encoding"}

# wrk prints one JSON line at the end: totals, errors and latency percentiles (in µs).
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""


@dataclass
class Target:
    name: str
    url: str
    what: str
    runs: list[dict] = field(default_factory=list)

    def median(self, key: str) -> float:
        return statistics.median(run[key] for run in self.runs)

    @property
    def rps(self) -> float:
        return self.median("rps")

    def ratio(self, base: Target) -> float:
        """Median over the rounds of this round's req/s over the base's, measured back
        to back: robust to other work on the machine changing from round to round."""
        return statistics.median(
            mine["rps"] / theirs["rps"]
            for mine, theirs in zip(self.runs, base.runs, strict=True)
        )


def machine() -> list[str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):  # not Linux: say "unknown"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"

    def version(args: list[str], pattern: str = r"(\d+\.\d+(?:\.\d+)?)") -> str:
        try:
            result = run(
                [tool(args[0]), *args[1:]], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError, ServerError):
            return "?"
        found = re.search(pattern, result.stdout + result.stderr)
        return found.group(1) if found else "?"

    import django
    import gunicorn

    nginx = version(["nginx", "-v"])
    redis = version(["redis-server", "--version"], r"v=(\S+)")
    wrk_version = version(["wrk", "-v"], r"wrk (\S+)")
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; memory {memory}; "
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {gunicorn.__version__} (sync workers), "
        f"nginx {nginx}, redis {redis}, wrk {wrk_version}",
    ]


def wrk(url: str, seconds: int, script: Path) -> dict:
    args = [
        tool("wrk"),
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        f"Host: {HOST}",
        "-s",
        str(script),
        url,
    ]
    result = run(
        args, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    found = re.search(r"^WRKJSON (\{.*\})$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not found:
        raise ServerError(f"wrk failed on {url}:\n{result.stdout}\n{result.stderr}")
    stats = json.loads(found.group(1))
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    errors = {
        k: stats[k]
        for k in ("connect", "read", "write", "timeout", "status")
        if stats[k]
    }
    if errors:
        raise ServerError(f"errors under load on {url}: {errors}\n{result.stdout}")
    return stats


def without_date(headers: dict) -> dict:
    return {k.lower(): v for k, v in headers.items() if k.lower() != "date"}


def check_target(name: str, status: int, body: bytes, expected: int) -> None:
    if status != 200 or len(body) != expected:
        raise ServerError(
            f"{name}: expected 200 and {expected} bytes, got {status} and {len(body)}"
        )


def main() -> int:
    require_tools("wrk", "nginx", "redis-server", "openssl")
    started = time.monotonic()
    for line in machine():
        log(line)
    load = os.getloadavg()[0]
    log(
        f"load average before: {load:.2f}"
        + (
            " -- other work is using the CPUs: absolute numbers will be low and noisy; "
            "the interleaved ratios are the result"
            if load > 0.5 * (os.cpu_count() or 1)
            else ""
        )
    )
    if os.environ.get("BENCH_APP_ENV"):
        log(f"BENCH_APP_ENV (added to every app server): {os.environ['BENCH_APP_ENV']}")
    with Stack("bench") as stack:
        stack.start_redis()
        database = stack.start_database()
        stack.prepare_site()
        log(
            f"database: {database}; cache: Redis (one server); "
            f"wrk -t{THREADS} -c{CONNECTIONS}, {ROUNDS} rounds x {SECONDS} s per target"
        )

        # A first server only to measure the page, so the constant view matches its size.
        probe = stack.start_gunicorn("probe", workers=1)
        status, _headers, page = http_get(LOOPBACK, probe, PAGE)
        if status != 200:
            raise ServerError(f"{PAGE} answered {status}")
        stack.stop_process("probe")
        size = len(page)
        static_page = stack.www / "static-page.html"
        static_page.write_bytes(page)
        static_page.chmod(0o644)

        app = stack.start_gunicorn(
            "gunicorn-a",
            workers=2,
            NEUROINFO_BENCH_VIEWS="1",
            NEUROINFO_BENCH_SIZE=str(size),
        )
        nocache = stack.start_gunicorn(
            "gunicorn-b", workers=2, NEUROINFO_PAGE_CACHE="0"
        )
        ports = stack.start_nginx([app], static_page)
        https = ports["https"]
        # Over HTTPS (gunicorn believes nginx's X-Forwarded-Proto from loopback) the
        # page's absolute addresses start with https: a page of its own, a few bytes
        # longer. The static file holds that page, so nginx serves the same bytes both
        # ways.
        status, _headers, secure_page = https_get(https, PAGE, stack.cert)
        check_target("nginx", status, secure_page, len(secure_page))
        static_page.write_bytes(secure_page)

        # The bare server answers the cached page's response as it is: its headers
        # (but those gunicorn writes itself) and its body.
        http_get(LOOPBACK, app, PAGE)  # stored, if the probe's request did not
        status, headers, body = http_get(LOOPBACK, app, PAGE)
        check_target("cached", status, body, size)
        served = [
            (name, value)
            for name, value in headers.items()
            if name.lower() not in GUNICORN_HEADERS
        ]
        saved = stack.app_dir / "bare-page.json"
        saved.write_text(json.dumps({"headers": served, "body": body.decode("utf-8")}))
        bare = stack.start_gunicorn(
            "gunicorn-c",
            workers=2,
            ready=BARE_PATH,
            DJANGO_SETTINGS_MODULE="neuroinfo.settings_bare",
            NEUROINFO_BENCH_BARE_PAGE=str(saved),
        )
        status, bare_headers, bare_body = http_get(LOOPBACK, bare, BARE_PATH)
        if (status, bare_body, without_date(bare_headers)) != (
            200,
            body,
            without_date(headers),
        ):
            raise ServerError(
                f"bare: expected the cached response, got {status}, "
                f"{len(bare_body)} bytes, {bare_headers}; cached: {headers}"
            )

        # Compared pairs run back to back in every round: cached beside bare Django
        # and the constant view, uncached beside the constant view, nginx beside the
        # static file.
        targets = [
            Target(
                "bare",
                f"http://{LOOPBACK}:{bare}{BARE_PATH}",
                "the cached page's response from Django without middleware (gunicorn C)",
            ),
            Target(
                "cached",
                f"http://{LOOPBACK}:{app}{PAGE}",
                f"{PAGE} from the page cache (gunicorn A, HTTP)",
            ),
            Target(
                "constant",
                f"http://{LOOPBACK}:{app}/bench/constant/",
                "/bench/constant/ on A: fixed bytes of the page's size, same middleware",
            ),
            Target(
                "uncached",
                f"http://{LOOPBACK}:{nocache}{PAGE}",
                "the same page built on every request (gunicorn B, page cache off)",
            ),
            Target(
                "static",
                f"https://{LOOPBACK}:{https}/bench/static-page.html",
                "the saved page as a static file from the same nginx server (HTTPS)",
            ),
            Target(
                "nginx",
                f"https://{LOOPBACK}:{https}{PAGE}",
                "the same page through deploy/nginx.conf to A (HTTPS, micro-cache)",
            ),
        ]
        by_name = {target.name: target for target in targets}

        # Every target answers 200 with the page's exact size before anything is measured.
        check_target("cached", *http_get(LOOPBACK, app, PAGE)[::2], size)
        check_target("uncached", *http_get(LOOPBACK, nocache, PAGE)[::2], size)
        check_target(
            "constant", *http_get(LOOPBACK, app, "/bench/constant/")[::2], size
        )
        for name, path in (("nginx", PAGE), ("static", "/bench/static-page.html")):
            status, _h, body = https_get(https, path, stack.cert)
            check_target(name, status, body, len(secure_page))
        log(
            f"page {PAGE}: {size} bytes ({len(secure_page)} over HTTPS); every target "
            "answers 200 with them; bare answers the cached page's headers too"
        )

        script = stack.tmp / "report.lua"
        script.write_text(WRK_REPORT)
        log(f"warm-up: {WARMUP_SECONDS} s per target")
        for target in targets:
            wrk(target.url, WARMUP_SECONDS, script)
        for round_no in range(ROUNDS):
            # Forward, then backward: compared pairs stay back to back, and no target
            # always runs first or last.
            order = targets if round_no % 2 == 0 else targets[::-1]
            cells = []
            for target in order:
                stats = wrk(target.url, SECONDS, script)
                target.runs.append(stats)
                cells.append(f"{target.name} {stats['rps']:.0f}")
            log(f"round {round_no + 1}/{ROUNDS}: " + ", ".join(cells) + " req/s")

        avg_bytes = {
            t.name: sum(r["bytes"] for r in t.runs) / sum(r["requests"] for r in t.runs)
            for t in targets
        }
        bare_target = by_name["bare"]
        constant = by_name["constant"]
        static = by_name["static"]
        goals = {
            "cached": ("bare", 0.8),
            "uncached": ("constant", 0.3),
            "nginx": ("static", 0.5),
        }
        log("")
        log(
            f"{'target':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'x bare':>7} "
            f"{'x const':>8} {'x static':>9} {'bytes/resp':>10}  target"
        )
        results = []
        for target in targets:
            rps = target.rps
            verdict = ""
            if target.name in goals:
                base_name, minimum = goals[target.name]
                ratio = target.ratio(by_name[base_name])
                ok = ratio >= minimum
                verdict = f"{'PASS' if ok else 'FAIL'} (>= {minimum}x {base_name})"
                results.append((target.name, ok, ratio, minimum, base_name))
            static_ratio = (
                f"{target.ratio(static):.2f}"
                if target.name in ("nginx", "static")
                else ""
            )
            log(
                f"{target.name:<10} {rps:>8.0f} {target.median('p50_us') / 1000:>8.2f} "
                f"{target.median('p99_us') / 1000:>8.2f} "
                f"{target.ratio(bare_target):>7.2f} {target.ratio(constant):>8.2f} "
                f"{static_ratio:>9} {avg_bytes[target.name]:>10.0f}  {verdict}"
            )
        log("")
        log(
            "(req/s, p50, p99: median over the rounds; x bare, x const, x static: "
            "median over the rounds of each round's ratio; bytes/resp includes headers)"
        )
        for target in targets:
            log(f"  {target.name}: {target.what}")
        log(
            "spread of req/s over the rounds: "
            + ", ".join(
                f"{t.name} {min(r['rps'] for r in t.runs):.0f}-{max(r['rps'] for r in t.runs):.0f}"
                for t in targets
            )
        )
        for name, ok, ratio, minimum, base_name in results:
            log(
                f"{'PASS' if ok else 'FAIL'}: {name} {ratio:.2f}x {base_name} "
                f"(target {minimum}x)"
            )
        missed = [name for name, ok, *_ in results if not ok]
        log(
            f"targets met: {len(results) - len(missed)}/{len(results)}"
            + (
                f"; missed: {', '.join(missed)} (see BENCHMARKS.md for the cause)"
                if missed
                else ""
            )
        )
    log(
        f"load average after: {os.getloadavg()[0]:.2f}; total time "
        f"{time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    run_script(main, "bench")
