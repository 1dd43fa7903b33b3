"""Throwaway production-like servers on loopback for `make bench` and `make loadtest`.

Everything lives in one temporary folder: the database (a throwaway PostgreSQL when it
is installed, as in production, else SQLite), a Redis server, gunicorn servers, and
nginx started from the shipped ``deploy/nginx.conf``. Only the listen
ports, upstream addresses, file paths and pid/temp paths of that file are rewritten
(see its header); a self-signed certificate stands in for the real one. Servers only
ever listen on 127.0.0.1. ``Stack`` is a context manager: whatever happens, every
process it started is stopped and the folder removed (SIGTERM included, see
``stop_on_sigterm``).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
GUNICORN = str(VENV_BIN / "gunicorn")
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
LOOPBACK = "127.0.0.1"
HOST = "localhost"  # the Host every client sends, so every route builds the same page
ADMIN_USER = "bench-editor"


class ServerError(RuntimeError):
    """A server failed to start or answered wrongly."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(message, flush=True)


def find_tool(name: str) -> str | None:
    return shutil.which(name) or shutil.which(
        name, path="/usr/local/sbin:/usr/sbin:/sbin"
    )


def tool(name: str) -> str:
    """The full path of a command-line tool, sbin folders included."""
    path = find_tool(name)
    if path is None:
        raise ServerError(f"{name} is not installed")
    return path


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run one of this folder's fixed commands: an argument list, never a shell."""
    return subprocess.run(args, **kwargs)  # noqa: S603 (fixed commands, no shell)


def popen(args: list[str], **kwargs) -> subprocess.Popen:
    """Start one of this folder's fixed commands: an argument list, never a shell."""
    return subprocess.Popen(args, **kwargs)  # noqa: S603 (fixed commands, no shell)


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so `with Stack()` still stops every server."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def require_tools(*names: str) -> None:
    missing = [name for name in names if find_tool(name) is None]
    if missing:
        raise ServerError(
            f"missing tools: {', '.join(missing)} (apt-get install wrk nginx-light "
            "redis-server)"
        )


def app_env_overrides() -> dict:
    pairs = shlex.split(os.environ.get("BENCH_APP_ENV", ""))
    bad = [pair for pair in pairs if "=" not in pair]
    if bad:
        raise ServerError(f"BENCH_APP_ENV: expected KEY=VALUE, got {bad}")
    return dict(pair.split("=", 1) for pair in pairs)


class Stack:
    """Redis, gunicorn servers and nginx in one temporary folder, stopped on exit."""

    def __init__(self, label: str = "bench") -> None:
        self.label = label
        self.tmp = Path(tempfile.mkdtemp(prefix=f"neuroinfo-{label}-"))
        # nginx workers run unprivileged: they may read static/ and www/ and write
        # nginx/, nothing else (the database and logs stay in app/, mode 0700).
        self.tmp.chmod(0o755)
        self.app_dir = self.tmp / "app"
        self.app_dir.mkdir(mode=0o700)
        self.static_root = self.tmp / "static"
        self.www = self.tmp / "www"
        self.nginx_dir = self.tmp / "nginx"
        for folder in (self.static_root, self.www, self.nginx_dir):
            folder.mkdir(mode=0o755)
        self.procs: list[tuple[str, subprocess.Popen, Path]] = []
        self.redis_port: int | None = None
        self.cert: Path | None = None
        self.admin_password = secrets.token_urlsafe(18)
        self.database = "SQLite"
        self.pg_ctl: list[str] | None = None
        self.pg_port: int | None = None
        self.nginx_ports = {"https": free_port(), "http": free_port()}
        self.base_env = self._base_env()

    # --- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop_process(self, name: str) -> None:
        """Stop one server started here (gunicorn or nginx) and forget it."""
        for entry in list(self.procs):
            if entry[0] == name:
                _name, proc, _log = entry
                if proc.poll() is None:
                    proc.send_signal(
                        signal.SIGQUIT if name == "nginx" else signal.SIGTERM
                    )
                    try:
                        proc.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait(timeout=5)
                self.procs.remove(entry)

    def stop(self) -> None:
        """Stop every process started here, newest first, then remove the folder."""
        for name, proc, _log in reversed(self.procs):
            if proc.poll() is not None:
                continue
            try:
                if name == "redis" and self.redis_port:
                    run(
                        [
                            tool("redis-cli"),
                            *("-h", LOOPBACK, "-p", str(self.redis_port)),
                            *("shutdown", "nosave"),
                        ],
                        capture_output=True,
                        timeout=10,
                        check=False,
                    )
                else:
                    # gunicorn: SIGTERM is a graceful stop; nginx: SIGQUIT is.
                    proc.send_signal(
                        signal.SIGQUIT if name == "nginx" else signal.SIGTERM
                    )
                proc.wait(timeout=15)
            except Exception:  # whatever went wrong, this process must not outlive us
                proc.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=5)
        self.procs.clear()
        if self.pg_ctl:
            run(
                [*self.pg_ctl, "-m", "fast", "-w", "-t", "30", "stop"],
                capture_output=True,
                timeout=60,
                check=False,
            )
            self.pg_ctl = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _spawn(
        self, name: str, args: list[str], env: dict | None = None
    ) -> subprocess.Popen:
        log_path = self.app_dir / f"{name}.log"
        out = log_path.open("ab")
        try:
            proc = popen(
                args,
                cwd=ROOT,
                env=env or self.base_env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        finally:
            out.close()
        self.procs.append((name, proc, log_path))
        return proc

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.app_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def _check_alive(self, name: str, proc: subprocess.Popen) -> None:
        if proc.poll() is not None:
            raise ServerError(
                f"{name} exited with status {proc.returncode}:\n{self.log_tail(name)}"
            )

    # --- environment -----------------------------------------------------------------
    def _base_env(self) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "NEUROINFO_", "DATABASE_", "CACHE_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="neuroinfo.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=f"sqlite:///{self.app_dir / 'db.sqlite3'}",
            # As README "Production" documents: keep database connections between
            # requests (measured: +50 % for pages built without the cache).
            DATABASE_CONN_MAX_AGE="60",
            DJANGO_STATIC_ROOT=str(self.static_root),
            DJANGO_LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "INFO"),
            PYTHONDONTWRITEBYTECODE="1",
        )
        return env

    def manage(self, *args: str, env: dict | None = None, timeout: int = 300) -> str:
        result = run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=env or self.base_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise ServerError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    # --- servers ---------------------------------------------------------------------
    def start_redis(self, port: int | None = None) -> int:
        """Redis on a free loopback port, or again on its port after ``stop_redis``."""
        require_tools("redis-server", "redis-cli")
        port = port or free_port()
        proc = self._spawn(
            "redis",
            [
                tool("redis-server"),
                "--bind",
                LOOPBACK,
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.app_dir),
            ],
        )
        self.redis_port = port
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            self._check_alive("redis", proc)
            ping = run(
                [tool("redis-cli"), "-h", LOOPBACK, "-p", str(port), "ping"],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
            if ping.stdout.strip() == "PONG":
                self.base_env["CACHE_URL"] = f"redis://{LOOPBACK}:{port}/0"
                return port
            time.sleep(0.1)
        raise ServerError("redis did not answer within 10 s")

    def stop_redis(self) -> int:
        """Stop Redis (an outage, on purpose); its port, to start it again on."""
        port = self.redis_port
        if port is None:
            raise ServerError("redis is not running")
        run(
            [tool("redis-cli"), "-h", LOOPBACK, "-p", str(port), "shutdown", "nosave"],
            capture_output=True,
            timeout=10,
            check=False,
        )
        for entry in list(self.procs):
            if entry[0] == "redis":
                entry[1].wait(timeout=15)
                self.procs.remove(entry)
        return port

    def start_postgres(self) -> int:
        """A throwaway PostgreSQL in the temp folder (fsync off), if it is installed."""
        binaries = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
            key=lambda p: (
                int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0
            ),
        )
        if not binaries:
            raise ServerError("PostgreSQL is not installed")
        bindir = binaries[-1].parent
        data = self.tmp / "pg"
        data.mkdir(mode=0o700)
        as_user: list[str] = []
        if os.geteuid() == 0:
            import pwd

            entry = pwd.getpwnam("postgres")
            os.chown(data, entry.pw_uid, entry.pw_gid)
            as_user = [tool("runuser"), "-u", "postgres", "--"]
        port = free_port()
        run(
            [
                *as_user,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.pg_ctl = [*as_user, str(bindir / "pg_ctl"), "-D", str(data)]
        self.pg_port = port
        self.resume_postgres()
        run(
            [
                str(bindir / "createdb"),
                "-h",
                LOOPBACK,
                "-p",
                str(port),
                "-U",
                "postgres",
                "neuroinfo",
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        self.base_env["DATABASE_URL"] = (
            f"postgres://postgres@{LOOPBACK}:{port}/neuroinfo"
        )
        self.database = f"PostgreSQL {bindir.parent.name} (fsync off)"
        return port

    def resume_postgres(self) -> None:
        """Start the PostgreSQL server ``start_postgres`` made (again, after a stop)."""
        if not self.pg_ctl or not self.pg_port:
            raise ServerError("no PostgreSQL was set up")
        data = self.tmp / "pg"
        started = run(
            [
                *self.pg_ctl,
                "-w",
                "-t",
                "30",
                "-l",
                str(data / "server.log"),
                "-o",
                f"-c listen_addresses={LOOPBACK} -p {self.pg_port} -k {data} "
                "-c fsync=off -c synchronous_commit=off -c max_connections=200",
                "start",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if started.returncode != 0:
            raise ServerError(
                f"PostgreSQL did not start:\n{started.stdout}{started.stderr}"
            )

    def stop_postgres(self) -> None:
        """Stop PostgreSQL (an outage, on purpose): open connections are cut, as when
        the database server fails; ``resume_postgres`` starts it again."""
        if not self.pg_ctl:
            raise ServerError("no PostgreSQL was set up")
        stopped = run(
            [*self.pg_ctl, "-m", "fast", "-w", "-t", "30", "stop"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if stopped.returncode != 0:
            raise ServerError(f"PostgreSQL did not stop:\n{stopped.stderr}")

    def start_database(self, kind: str | None = None) -> str:
        """PostgreSQL when installed (as in production), else SQLite; BENCH_DB overrides."""
        kind = kind or os.environ.get("BENCH_DB", "auto")
        if kind in ("postgres", "auto"):
            try:
                self.start_postgres()
                return self.database
            except (ServerError, subprocess.SubprocessError, OSError, KeyError):
                if kind == "postgres":
                    raise
        return self.database

    def prepare_site(self, superuser: bool = False) -> None:
        """Translations, static files, schema and the shipped content, as in production."""
        self.manage("compilemessages", "--ignore=.venv", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_content")
        if superuser:
            env = dict(
                self.base_env,
                DJANGO_SUPERUSER_USERNAME=ADMIN_USER,
                DJANGO_SUPERUSER_EMAIL="bench@example.org",
                DJANGO_SUPERUSER_PASSWORD=self.admin_password,
            )
            self.manage("createsuperuser", "--noinput", env=env)
        self.static_root.chmod(0o755)  # nginx workers read it

    def start_gunicorn(
        self, name: str, workers: int = 2, ready: str = "/healthz", **env_extra: str
    ) -> int:
        """gunicorn on a free loopback port, started once ``ready`` answers 200;
        BENCH_APP_ENV="K=V ..." adds variables to every app server (to try a setting,
        e.g. DJANGO_LOG_LEVEL=WARNING)."""
        port = free_port()
        env = dict(self.base_env, **env_extra, **app_env_overrides())
        proc = self._spawn(
            name,
            [
                GUNICORN,
                "neuroinfo.wsgi:application",
                "-w",
                str(workers),
                "-b",
                f"{LOOPBACK}:{port}",
                "--no-control-socket",
                "--pid",
                str(self.app_dir / f"{name}.pid"),
            ],
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self._check_alive(name, proc)
            with contextlib.suppress(OSError):  # not listening yet
                status, _headers, _body = http_get(LOOPBACK, port, ready)
                if status == 200:
                    return port
            time.sleep(0.2)
        raise ServerError(
            f"{name} did not answer {ready} within 30 s:\n{self.log_tail(name)}"
        )

    def make_cert(self) -> Path:
        require_tools("openssl")
        key = self.nginx_dir / "bench.key"
        cert = self.nginx_dir / "bench.crt"
        run(
            [
                tool("openssl"),
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                f"/CN={HOST}",
                "-addext",
                f"subjectAltName=DNS:{HOST},IP:{LOOPBACK}",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        key.chmod(0o600)
        self.cert = cert
        return cert

    def nginx_config(self, upstreams: list[int], static_page: Path | None) -> str:
        """The shipped config with only ports, upstreams, paths and pid/temp paths changed."""
        text = NGINX_CONF.read_text()
        https, http_port = self.nginx_ports["https"], self.nginx_ports["http"]
        cert = self.cert or self.make_cert()
        key = cert.with_suffix(".key")
        cache = self.nginx_dir / "cache"
        temp = self.nginx_dir / "temp"
        for folder in (cache, temp):
            folder.mkdir(exist_ok=True)

        def sub(pattern: str, replacement: str, count: int = 0) -> None:
            nonlocal text
            text, found = re.subn(pattern, replacement, text, flags=re.MULTILINE)
            if found == 0 or (count and found != count):
                raise ServerError(
                    f"deploy/nginx.conf: {pattern!r} matched {found} times"
                )

        sub(
            r"^(\s*)listen 443 ssl http2;",
            rf"\1listen {LOOPBACK}:{https} ssl http2;",
            1,
        )
        sub(r"^(\s*)listen \[::\]:443 ssl http2;\n", "", 1)
        sub(r"^(\s*)listen 80;", rf"\1listen {LOOPBACK}:{http_port};", 1)
        sub(r"^(\s*)listen \[::\]:80;\n", "", 1)
        servers = "".join(f"    server {LOOPBACK}:{port};\n" for port in upstreams)
        sub(
            r"(upstream neuroinfo_app \{\n)(?:\s*server [^\n]*\n)+",
            rf"\g<1>{servers}",
            1,
        )
        sub(r"^pid [^;]+;", f"pid {self.nginx_dir / 'nginx.pid'};", 1)
        sub(r"^error_log [^;]+;", f"error_log {self.nginx_dir / 'error.log'} warn;", 1)
        sub(
            r"access_log /var/log/nginx/[^ ;]+",
            f"access_log {self.nginx_dir / 'access.log'}",
        )
        sub(r"/var/cache/nginx/neuroinfo", str(cache))
        sub(r"/var/lib/nginx/neuroinfo", str(temp))
        sub(r"/srv/neuroinfo/staticfiles/", f"{self.static_root}/")
        sub(r"/etc/ssl/neuroinfo/fullchain\.pem", str(cert))
        sub(r"/etc/ssl/neuroinfo/privkey\.pem", str(key))
        if static_page is not None:
            # The one addition allowed for the benchmark: the saved page as a static file,
            # in the same HTTPS server so both go through the same TLS and headers.
            location = (
                r"\1location = /bench/static-page.html {\n"
                rf"\1    root {static_page.parent};\n"
                rf"\1    try_files /{static_page.name} =404;\n"
                r"\1}\n\n"
                r"\1location /static/ {"
            )
            sub(r"^(\s*)location /static/ \{", location, 1)
        return text

    def start_nginx(
        self, upstreams: list[int], static_page: Path | None = None
    ) -> dict:
        require_tools("openssl")
        text = self.nginx_config(upstreams, static_page)
        conf = self.nginx_dir / "nginx.conf"
        conf.write_text(text)
        self._give_to_nginx_user(self.nginx_dir / "cache", self.nginx_dir / "temp")
        binary = tool("nginx")
        test = run(
            [
                binary,
                "-t",
                "-q",
                "-c",
                str(conf),
                "-e",
                str(self.nginx_dir / "error.log"),
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if test.returncode != 0:
            raise ServerError(f"nginx -t failed:\n{test.stderr}")
        proc = self._spawn(
            "nginx",
            [
                binary,
                "-c",
                str(conf),
                "-e",
                str(self.nginx_dir / "error.log"),
                "-g",
                "daemon off;",
            ],
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            self._check_alive("nginx", proc)
            with contextlib.suppress(OSError):  # not listening yet
                status, _h, _b = https_get(
                    self.nginx_ports["https"], "/healthz", self.cert
                )
                if status == 200:
                    return self.nginx_ports
            time.sleep(0.2)
        raise ServerError(
            "nginx did not answer /healthz within 15 s:\n"
            + (self.nginx_dir / "error.log").read_text(errors="replace")
        )

    def _give_to_nginx_user(self, *folders: Path) -> None:
        """nginx workers drop to the `user` of the config (www-data) when run as root."""
        if os.geteuid() != 0:
            return
        match = re.search(
            r"^user\s+(\S+?)(?:\s+\S+)?;", NGINX_CONF.read_text(), re.MULTILINE
        )
        if not match:
            return
        import pwd

        try:
            entry = pwd.getpwnam(match.group(1))
        except KeyError:
            return
        for folder in folders:
            for path in [folder, *folder.rglob("*")]:
                os.chown(path, entry.pw_uid, entry.pw_gid)


# --- tiny HTTP clients (loopback only) ------------------------------------------------
def _get(
    conn: http.client.HTTPConnection, path: str, headers: dict | None
) -> tuple[int, dict, bytes]:
    try:
        conn.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def http_get(
    host: str, port: int, path: str, headers: dict | None = None, timeout: float = 10
) -> tuple[int, dict, bytes]:
    return _get(http.client.HTTPConnection(host, port, timeout=timeout), path, headers)


def tls_context(cert: Path | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(cert) if cert else None)
    return context


def https_get(
    port: int,
    path: str,
    cert: Path | None,
    headers: dict | None = None,
    timeout: float = 10,
) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPSConnection(
        LOOPBACK, port, timeout=timeout, context=tls_context(cert)
    )
    return _get(conn, path, headers)


def run_script(main, name: str) -> None:
    """Run a script's main(): stop cleanly on SIGTERM and exit with its status."""
    stop_on_sigterm()
    try:
        sys.exit(main())
    except ServerError as error:
        print(f"{name}: error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
