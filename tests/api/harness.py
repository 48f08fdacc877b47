"""The API test harness: a real motcua server on loopback, real HTTP, real databases.

Nothing here is mocked. A Server is the built binary started with `serve` on a fresh
database (a SQLite file or the throwaway PostgreSQL cluster of tests/pg.sh); a Client speaks
HTTP/1.1 to it with cookies and the CSRF token like a browser would. Tests register with
@test and run in file order; each failure prints the request that failed.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.parse

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Fail(AssertionError):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def eq(got, want, what=""):
    if got != want:
        raise Fail(f"{what}: got {got!r}, want {want!r}")


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.raw = body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            self.json = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def headers_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def __repr__(self):
        return f"<{self.status} {self.raw[:300]!r}>"


class Client:
    def __init__(self, server):
        self.server = server
        self.cookies = {}
        self.csrf = None
        self.bearer = None

    def request(self, method, path, body=None, headers=None, raw=None, csrf=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        h = {"Host": f"127.0.0.1:{self.server.port}"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.bearer:
            h["Authorization"] = "Bearer " + self.bearer
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = "application/json"
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        if headers:
            h.update(headers)
        h = {k: v for k, v in h.items() if v is not None}
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        conn.close()
        for c in resp.headers_all("Set-Cookie"):
            name, _, rest = c.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in c or value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, username, password):
        r = self.post("/api/v1/auth/login", {"username": username, "password": password})
        if r.status == 200:
            self.csrf = r.json["csrf_token"]
        return r


def expect_error(r, status, code=None, field=None, what=""):
    """An error answer as api.md describes it: status, code, both messages, field."""
    eq(r.status, status, f"{what} status ({r.raw[:200]!r})")
    check(r.json and "error" in r.json, f"{what}: no JSON error body: {r.raw[:200]!r}")
    err = r.json["error"]
    if code:
        eq(err.get("code"), code, f"{what} error.code")
    check(err.get("message") and err.get("message_vi"), f"{what}: messages missing: {err}")
    if field is not None:
        eq(err.get("field"), field, f"{what} error.field")
    return err


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """The real binary. stop() sends SIGTERM and insists on a clean exit: the sanitizers
    report leaks and errors through the exit status and standard error."""

    def __init__(self, binary, db, extra=()):
        self.binary = binary
        self.db = db
        self.extra = list(extra)
        self.proc = None
        self.port = None
        self.logins = {}

    def cli(self, *args, stdin=None, check_rc=True):
        env = dict(os.environ, MOTCUA_DB=self.db)
        p = subprocess.run([self.binary, *args], input=stdin, capture_output=True, text=True,
                           env=env, timeout=120)
        if check_rc and p.returncode != 0:
            raise Fail(f"motcua {' '.join(args)} exited {p.returncode}: {p.stderr}")
        return p

    def load_demo(self, *extra):
        p = self.cli("demo", *(extra or ("--no-dossiers",)))
        for line in p.stdout.splitlines():
            m = re.match(r"\s+(\S+)\s+(\S+-\d{4})\s+(\S+)\s+(.*)$", line)
            if m:
                self.logins[m.group(1)] = m.group(2)
        check("admin" in self.logins, f"demo printed no logins: {p.stdout}")

    def start(self):
        self.port = free_port()
        self.stderr_path = f"/tmp/motcua-test-{os.getpid()}-{self.port}.log"
        self.stderr = open(self.stderr_path, "w+")
        env = dict(os.environ, MOTCUA_DB=self.db)
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--listen", f"127.0.0.1:{self.port}", *self.extra],
            stdout=subprocess.PIPE, stderr=self.stderr, env=env, text=True)
        line = self.proc.stdout.readline()
        check("serving at" in line, f"server did not start: {line!r} {self.read_stderr()}")
        return self

    def read_stderr(self):
        try:
            with open(self.stderr_path) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self, sig=signal.SIGTERM):
        if not self.proc:
            return 0
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            raise Fail("server did not stop within 60 s of SIGTERM")
        self.proc.stdout.close()
        self.stderr.close()
        self.proc = None
        err = self.read_stderr()
        if sig == signal.SIGTERM:
            bad = [l for l in err.splitlines()
                   if "ERROR: AddressSanitizer" in l or "runtime error" in l
                   or "ERROR: LeakSanitizer" in l]
            check(rc == 0 and not bad,
                  f"server exit status {rc} after SIGTERM; sanitizer: {bad[:5]}\n{err[-3000:]}")
        return rc

    def client(self):
        return Client(self)

    def sql(self, query):
        """Run SQL straight on the database, as an intruder or an operator would."""
        if self.db.startswith("sqlite:"):
            # wait for the server's writers (the outbox and sweep thread) like it does
            p = subprocess.run(["sqlite3", "-cmd", ".timeout 10000", self.db[7:], query],
                               capture_output=True, text=True)
        else:
            p = subprocess.run(["psql", "-qtA", "-v", "ON_ERROR_STOP=1", self.db, "-c", query],
                               capture_output=True, text=True)
        if p.returncode != 0:
            raise Fail(f"sql failed: {query}: {p.stderr}")
        return p.stdout.strip()


def run(ctx):
    passed = failed = 0
    for fn in TESTS:
        name = fn.__name__
        t0 = time.time()
        try:
            fn(ctx)
            passed += 1
            print(f"ok   {name} ({time.time() - t0:.2f}s)", flush=True)
        except Exception as e:  # noqa: BLE001 - report every kind of failure
            failed += 1
            print(f"FAIL {name}: {e}", flush=True)
            if not isinstance(e, Fail):
                traceback.print_exc()
    return passed, failed
