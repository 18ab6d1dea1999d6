#!/usr/bin/env python3
"""Soak-and-abuse benchmark for `sftatlas serve` (run it through bench/abuse.sh, which ingests the data).

One process plays three roles, chosen by --role:
  (none)   the orchestrator: for each case starts a fresh server, samples its memory and CPU, runs the
           attacker and the normal client as child processes, checks the server still answers, stops it
           with SIGTERM and prints one table row per case;
  normal   the normal client (source 127.0.0.1): a request every 50 ms on a fresh connection, 2 s to
           get a complete 200 answer, latencies as JSON on stdout;
  attack   one attack (source 127.0.0.2, so the server sees another client), until a line arrives on
           stdin or its hard deadline passes; counters as JSON on stdout.
The attacker and the normal client run in separate processes so that neither waits on the other's GIL.
Python standard library only. All traffic stays on 127.0.0.0/8; every loop is bounded in count and time.
"""
import argparse
import collections
import errno
import json
import math
import os
import random
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

SERVER = "127.0.0.1"
NORMAL_SOURCE = "127.0.0.1"
ATTACK_SOURCE = "127.0.0.2"
NORMAL_PATHS = ["/", "/models/", "/api/v1/bases.json", "/figures/"]
NORMAL_INTERVAL = 0.05  # s between normal requests
NORMAL_TIMEOUT = 2.0  # s for a whole normal request: connect, send, complete answer
ATTACKS = ["distinct-urls", "junk-queries", "non-reading", "non-reading-spread", "slowloris", "slowloris-spread", "pipelining",
           "cache-busting", "fd-limit"]
# 20 attacker addresses (127.0.0.2-21): past the server's per-address cap (64 by default) in all.
SPREAD_SOURCES = tuple(f"127.0.0.{i}" for i in range(2, 22))
# Extra `serve` flags per case. Empty: the server's defaults are what is benchmarked.
EXTRA_SERVE_FLAGS = {name: [] for name in ["baseline"] + ATTACKS}
FD_LIMIT = 256
TARGET_SUCCESS = 100.0
TARGET_P99_MS = 50.0
TARGET_RSS_MB = 128.0
HOLD_AFTER_DEADLINE = 25.0  # s an attacker may keep going after its nominal time, waiting for "stop"
IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)  # Linux: pick the port at connect


# ----------------------------------------------------------------------------------------------- sockets

def tcp_socket(source):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
    except OSError:
        pass
    s.bind((source, 0))
    return s


def rst_close(s):
    """Close with an RST (SO_LINGER 0): no TIME_WAIT left behind on the attacker's side."""
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass


def err_kind(e):
    if isinstance(e, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(e, ConnectionRefusedError):
        return "refused"
    if isinstance(e, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        return "reset"
    if isinstance(e, Closed):
        return "closed"
    if isinstance(e, OSError) and e.errno:
        return errno.errorcode.get(e.errno, str(e.errno)).lower()
    return type(e).__name__


class Closed(Exception):
    """The peer closed the connection before a complete answer."""


class Client:
    """A blocking HTTP/1.1 client on one keep-alive connection that parses answers by Content-Length
    (or chunked, or until close) and never reads past the answer it is on, so pipelining works."""

    def __init__(self, port, deadline, source=ATTACK_SOURCE, timeout=5.0, tight=False):
        """deadline: time.monotonic() after which any read fails; timeout: per socket operation, or with
        `tight` the time left to the deadline."""
        self.port, self.deadline, self.source, self.timeout, self.tight = port, deadline, source, timeout, tight
        self.sock = None
        self.buf = bytearray()
        self.scratch = bytearray(256 * 1024)
        self.view = memoryview(self.scratch)
        self.connects = 0

    def connect(self):
        self.close()
        s = tcp_socket(self.source)
        try:
            s.settimeout(self._left() if self.tight else self.timeout)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.connect((SERVER, self.port))
        except BaseException:
            rst_close(s)
            raise
        self.sock = s
        self.connects += 1

    def close(self, rst=True):
        if self.sock is not None:
            if rst:
                rst_close(self.sock)
            else:
                self.sock.close()
            self.sock = None
        self.buf = bytearray()

    def send(self, data):
        if self.sock is None:
            self.connect()
        if self.tight:
            self.sock.settimeout(self._left())
        self.sock.sendall(data)

    def _left(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline")
        return left

    def _check_deadline(self):
        left = self._left()
        if self.tight:
            self.sock.settimeout(left)

    def _recv_more(self):
        self._check_deadline()
        d = self.sock.recv(65536)
        if not d:
            raise Closed()
        self.buf += d

    def _read_exact(self, n, body):
        take = min(n, len(self.buf))
        if body is not None:
            body += self.buf[:take]
        del self.buf[:take]
        rem = n - take
        while rem > 0:
            self._check_deadline()
            k = self.sock.recv_into(self.view, min(rem, len(self.scratch)))
            if k == 0:
                raise Closed()
            if body is not None:
                body += self.view[:k]
            rem -= k
        return n

    def _read_line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[: i + 2]
                return line
            if len(self.buf) > 8192:
                raise ValueError("chunk line too long")
            self._recv_more()

    def _read_chunked(self, body):
        total = 0
        for _ in range(1_000_000):
            size = int(self._read_line().split(b";")[0].strip(), 16)
            if size == 0:
                while self._read_line():  # trailers
                    pass
                return total
            total += self._read_exact(size, body)
            self._read_line()
        raise ValueError("too many chunks")

    def _read_to_close(self, body):
        total = len(self.buf)
        if body is not None:
            body += self.buf
        self.buf = bytearray()
        for _ in range(10_000_000):
            self._check_deadline()
            k = self.sock.recv_into(self.view)
            if k == 0:
                return total
            if body is not None:
                body += self.view[:k]
            total += k
        return total

    def read_response(self, method="GET", keep_body=False):
        """Returns (status, body bytes, body or None). Raises on anything short of a complete answer."""
        if self.sock is None:
            raise Closed()
        start = 0
        while True:
            i = self.buf.find(b"\r\n\r\n", max(0, start - 3))
            if i >= 0:
                break
            if len(self.buf) > 65536:
                raise ValueError("answer head over 64 KB")
            start = len(self.buf)
            self._recv_more()
        head = bytes(self.buf[:i])
        del self.buf[: i + 4]
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = None
        chunked = close = False
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            k = k.strip().lower()
            v = v.strip().lower()
            if k == b"content-length":
                length = int(v)
            elif k == b"transfer-encoding":
                chunked = b"chunked" in v
            elif k == b"connection":
                close = b"close" in v
        body = bytearray() if keep_body else None
        if method == "HEAD" or status in (204, 304) or status < 200:
            n = 0
        elif chunked:
            n = self._read_chunked(body)
        elif length is not None:
            n = self._read_exact(length, body)
        else:
            n = self._read_to_close(body)
            close = True
        if close:
            self.close()
        return status, n, body


def request_bytes(method, target, extra=""):
    return f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


def get_once(port, path, timeout=NORMAL_TIMEOUT, source=NORMAL_SOURCE):
    """One GET on a fresh connection, all of it (connect, send, complete answer) within `timeout` seconds.
    Returns (ok, latency ms, error kind or 'status N')."""
    t0 = time.perf_counter()
    c = Client(port, time.monotonic() + timeout, source, timeout, tight=True)
    try:
        c.send(request_bytes("GET", path, "Connection: close\r\n"))
        status, _, _ = c.read_response("GET")
        ms = (time.perf_counter() - t0) * 1000
        if status != 200:
            return False, ms, f"status {status}"
        return True, ms, ""
    except Exception as e:  # noqa: BLE001 - every failure is a data point
        return False, (time.perf_counter() - t0) * 1000, err_kind(e)
    finally:
        c.close(rst=False)


# ----------------------------------------------------------------------------------------- normal client

def normal_role(port, seconds):
    results = []  # list.append is atomic under the GIL
    threads = []

    def one(path):
        ok, ms, err = get_once(port, path)
        results.append((path, ok, ms, err))

    t0 = time.monotonic()
    n = int(seconds / NORMAL_INTERVAL)
    for i in range(n):
        wait = t0 + i * NORMAL_INTERVAL - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        if time.monotonic() >= t0 + seconds:
            break
        th = threading.Thread(target=one, args=(NORMAL_PATHS[i % len(NORMAL_PATHS)],), daemon=True)
        th.start()
        threads.append(th)
    for th in threads:
        th.join(NORMAL_TIMEOUT + 1)
    json.dump({"results": results, "started": len(threads)}, sys.stdout)


# ---------------------------------------------------------------------------------------------- attacks

class Catalog:
    """Facet values, score columns, sort keys and model ids, read from the server's own API."""

    FACETS = ["base", "dataset", "method", "epochs", "samples", "schedule"]

    def __init__(self, port, deadline):
        self.ids, self.values, self.columns, self.sorts = [], {f: [] for f in self.FACETS}, [], []
        c = Client(port, min(deadline, time.monotonic() + 15), timeout=10)
        try:
            c.send(request_bytes("GET", "/api/v1/models.json"))
            status, _, body = c.read_response(keep_body=True)
            if status == 200:
                doc = json.loads(bytes(body))
                self.columns = list(doc.get("columns") or [])
                seen = {f: set() for f in self.FACETS}
                for row in doc.get("rows") or []:
                    self.ids.append(row["id"])
                    for f in self.FACETS:
                        v = row.get(f)
                        if v is not None:
                            seen[f].add(str(v))
                self.values = {f: sorted(v) for f, v in seen.items()}
            c.send(request_bytes("GET", "/api/v1/openapi.json"))
            status, _, body = c.read_response(keep_body=True)
            if status == 200:
                doc = json.loads(bytes(body))
                for p in doc["paths"]["/api/v1/models.json"]["get"]["parameters"]:
                    if p.get("name") == "sort":
                        self.sorts = list(p["schema"].get("enum") or [])
        except Exception as e:  # noqa: BLE001 - fall back to fixed values
            print(f"catalog: {err_kind(e)}", file=sys.stderr)
        finally:
            c.close()
        if not self.ids:  # the server did not answer: plausible values, enough to keep attacking
            self.ids = ["llama-3-8b.base", "llama-3-8b.alpaca-cleaned.full.1k.cosine.ep10"]
            self.values = {"base": ["llama-3-8b"], "dataset": ["alpaca-cleaned"], "method": ["full", "lora"],
                           "epochs": ["1", "3", "10"], "samples": ["1000", "10000"], "schedule": ["cosine"]}
        if not self.columns:
            self.columns = ["math-0shot", "gsm8k-0shot", "mmlu-0shot"]
        if not self.sorts:
            self.sorts = self.columns + self.FACETS

    def view_query(self, rng, n):
        """A valid, almost surely distinct catalog view: filters, sort, order, cols, page."""
        q = []
        for f in rng.sample(self.FACETS, rng.randint(1, 4)):
            for v in rng.sample(self.values[f], min(len(self.values[f]), rng.randint(1, 2))) if self.values[f] else []:
                q.append(f"{f}={v}")
        q.append(f"sort={rng.choice(self.sorts)}")
        q.append(f"order={rng.choice(['asc', 'desc'])}")
        q.append("cols=" + ",".join(rng.sample(self.columns, rng.randint(1, min(8, len(self.columns))))))
        rng.shuffle(q)
        return "&".join(q)


def rand_token(rng, n=10):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-_.") for _ in range(n))


def http_workers(port, stop, deadline, conns, make_target, reconnect_every=0, max_requests=5_000_000):
    """`conns` keep-alive connections, each sending requests as fast as answers come back.
    make_target(rng, n) -> (method, target). Returns merged counters."""
    merged = collections.Counter()
    lock = threading.Lock()

    def worker(k):
        rng = random.Random(k * 7919 + int(time.time()))
        st = collections.Counter()
        c = Client(port, deadline)
        n = 0
        while n < max_requests and not stop.is_set() and time.monotonic() < deadline:
            n += 1
            method, target = make_target(rng, n * 1000 + k)
            try:
                if reconnect_every and c.sock is not None and n % reconnect_every == 0:
                    c.close()
                c.send(request_bytes(method, target))
                status, nbytes, _ = c.read_response(method)
                st[f"{status // 100}xx"] += 1
                st["requests"] += 1
                st["bytes"] += nbytes
            except Exception as e:  # noqa: BLE001 - count and go on
                kind = err_kind(e)
                st["err " + kind] += 1
                c.close()
                stop.wait(0.1 if kind in ("refused", "timeout") else 0.005)  # a dead or locked server: no spinning
        st["connects"] += c.connects
        c.close()
        with lock:
            merged.update(st)

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic() + 10))
    return merged


def summary_http(st, seconds):
    req = st.get("requests", 0)
    statuses = " ".join(f"{k} {st[k]}" for k in sorted(st) if k.endswith("xx"))
    errs = " ".join(f"{k[4:]} {st[k]}" for k in sorted(st) if k.startswith("err "))
    s = f"{req} answers ({req / max(seconds, 0.001):.0f}/s): {statuses or 'none'}; {st.get('connects', 0)} connects"
    if errs:
        s += f"; errors: {errs}"
    return s


def attack_distinct_urls(port, stop, deadline, cat):
    def target(rng, n):
        r = rng.random()
        if r < 0.25:
            return "GET", f"/models/{rand_token(rng, 16)}/"
        if r < 0.35:
            return "GET", f"/api/v1/models/{rand_token(rng, 16)}.json"
        if r < 0.65:
            return "GET", f"/models/?{cat.view_query(rng, n)}"
        if r < 0.75:
            return "GET", f"/api/v1/models.json?{cat.view_query(rng, n)}"
        a, b = rng.sample(cat.ids, 2)
        return "GET", f"/compare/?ids={a},{b}"
    return http_workers(port, stop, deadline, 32, target, reconnect_every=50)


def attack_junk_queries(port, stop, deadline, cat):
    fixed = ["/models/?page=184467440737095518", "/api/v1/models.json?limit=99999999999999999999&offset=-1",
             "/api/v1/models.json?limit=-1", "/models/?page=-1", "/models/?page=0", "/models/?sort=%00&order=%zz",
             "/models/?cols=" + ",".join(["x"] * 500), "/models/?base=" + "a" * 6000,
             "/models/?" + "&".join(["base=x"] * 300), "/compare/?ids=" + ",".join(["a"] * 50),
             "/compare/?ids=", "/api/v1/models/%2e%2e%2fetc%2fpasswd.json", "/figures/%C3%28/",
             "/models/?order=sideways&sort=nope", "/api/v1/models.json?offset=18446744073709551616"]

    def target(rng, n):
        method = rng.choice(["GET", "HEAD"])
        r = rng.random()
        if r < 0.2:
            return method, f"/downloads/scores-long.csv?x={n}"
        if r < 0.4:
            return method, f"/figures/gain-matrix-full@2x.png?bust={n}"
        if r < 0.7:
            return method, rng.choice(fixed)
        base = rng.choice(["/models/", "/api/v1/models.json", "/figures/", "/", "/api/v1/bases.json", "/compare/"])
        q = "&".join(f"{rand_token(rng, rng.randint(1, 12))}={rand_token(rng, rng.randint(0, 40))}"
                     for _ in range(rng.randint(1, 6)))
        return method, f"{base}?{q}"
    return http_workers(port, stop, deadline, 4, target)


def attack_cache_busting(port, stop, deadline, cat):
    def target(rng, n):
        r = rng.random()
        if r < 0.15:
            return "GET", f"/figures/gain-matrix-full@2x.png?bust={n}"
        if r < 0.6:
            page = rng.choice(["", "&page=1", "&page=2"])
            return "GET", f"/models/?{cat.view_query(rng, n)}{page}"
        if r < 0.85:
            return "GET", f"/api/v1/models.json?{cat.view_query(rng, n)}&limit={rng.randint(1, 200)}"
        return "GET", f"/api/v1/models.csv?{cat.view_query(rng, n)}"
    return http_workers(port, stop, deadline, 4, target)


def attack_pipelining(port, stop, deadline, cat):
    st = collections.Counter()
    lock = threading.Lock()

    def batches(k):  # connections of 10 pipelined downloads, one after another
        c = Client(port, deadline, timeout=10)
        local = collections.Counter()
        for _ in range(100_000):
            if stop.is_set() or time.monotonic() >= deadline:
                break
            try:
                c.send(request_bytes("GET", "/downloads/sftatlas.sqlite") * 10)
                local["sent10"] += 10
                for _ in range(10):
                    status, _, _ = c.read_response("GET")
                    local["recv10"] += 1
                    local[f"{status // 100}xx"] += 1
            except Exception as e:  # noqa: BLE001
                local["err " + err_kind(e)] += 1
                if err_kind(e) in ("refused",):
                    stop.wait(0.1)
            c.close()
        with lock:
            st.update(local)

    def big():  # one connection with 10,000 pipelined catalog requests, sent while answers are read
        c = Client(port, deadline, timeout=10)
        local = collections.Counter()
        sent = [0]
        try:
            c.connect()
            req = request_bytes("GET", "/models/")

            def sender():
                try:
                    for _ in range(100):  # 100 writes of 100 requests
                        if stop.is_set():
                            break
                        c.sock.sendall(req * 100)
                        sent[0] += 100
                except Exception as e:  # noqa: BLE001
                    local["send err " + err_kind(e)] += 1

            th = threading.Thread(target=sender, daemon=True)
            th.start()
            for _ in range(10_000):
                if stop.is_set():
                    break
                status, _, _ = c.read_response("GET")
                local["recv10k"] += 1
                local[f"{status // 100}xx"] += 1
            th.join(1)
        except Exception as e:  # noqa: BLE001
            local["err " + err_kind(e)] += 1
        finally:
            local["sent10k"] = sent[0]
            c.close()
        with lock:
            st.update(local)

    threads = [threading.Thread(target=big, daemon=True)]
    threads += [threading.Thread(target=batches, args=(k,), daemon=True) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic() + 10))
    return st


def mass_connections(port, stop, deadline, n, mode, rate=500, connect_timeout=3.0, sources=(ATTACK_SOURCE,)):
    """`n` connections on one poll loop, re-opened when the server cuts them, from `sources` in turn
    (several addresses get past the server's per-address cap, as a botnet would).
    mode: 'non-reading' sends a download request and never reads (SO_RCVBUF 4096);
          'slowloris' sends one byte of a request head every 5 s;
          'hold' sends nothing (even slots) or a partial head (odd slots) and waits.
    At most `rate` connects a second and 60 per slot in all."""
    st = collections.Counter()
    poller = select.poll()
    conns = {}  # fd -> [socket, state, t_connect, next_send, sent, slot]
    heads = {"non-reading": b"GET /downloads/scores-long.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
             "slowloris": b"GET /models/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Slow: " + b"a" * 200,
             "hold": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Partial: "}
    head = heads[mode]
    gone = select.POLLHUP | select.POLLERR | select.POLLRDHUP
    tokens, last, last_timers = 0.0, time.monotonic(), 0.0
    max_connects = n * 60
    slot_counter = 0
    peak_open = 0

    def drop(fd, reason):
        c = conns.pop(fd)
        try:
            poller.unregister(fd)
        except (KeyError, ValueError):
            pass
        rst_close(c[0])
        st[reason] += 1

    def opened(fd, c, now):
        s = c[0]
        c[1] = "open"
        st["connected"] += 1
        try:
            if mode == "non-reading":
                s.send(head)
                poller.modify(fd, select.POLLRDHUP)  # never POLLIN: nothing is ever read
            elif mode == "slowloris":
                s.send(head[:1])
                c[4] = 1
                c[3] = now + 5.0
                poller.modify(fd, select.POLLIN | select.POLLRDHUP)
            else:
                if c[5] % 2:
                    s.send(head)
                poller.modify(fd, select.POLLIN | select.POLLRDHUP)
        except OSError as e:
            drop(fd, "cut by server (" + err_kind(e) + ")")

    for _ in range(10_000_000):
        now = time.monotonic()
        if stop.is_set() or now >= deadline:
            break
        tokens = min(rate / 10, tokens + (now - last) * rate)
        last = now
        while len(conns) < n and tokens >= 1 and st["connects"] < max_connects:
            tokens -= 1
            st["connects"] += 1
            s = tcp_socket(sources[st["connects"] % len(sources)])
            if mode == "non-reading":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.setblocking(False)
            e = s.connect_ex((SERVER, port))
            if e not in (0, errno.EINPROGRESS):
                rst_close(s)
                st["connect failed (" + errno.errorcode.get(e, str(e)).lower() + ")"] += 1
                tokens -= rate / 20  # back off a little from a refusing server
                continue
            slot_counter += 1
            conns[s.fileno()] = [s, "connecting", now, 0.0, 0, slot_counter]
            poller.register(s.fileno(), select.POLLOUT)
        for fd, ev in poller.poll(50):
            c = conns.get(fd)
            if c is None:
                continue
            if c[1] == "connecting":
                e = c[0].getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if e:
                    drop(fd, "connect failed (" + errno.errorcode.get(e, str(e)).lower() + ")")
                elif ev & select.POLLOUT:
                    opened(fd, c, time.monotonic())
                continue
            if ev & select.POLLIN:
                try:
                    data = c[0].recv(65536)
                except OSError as e:
                    drop(fd, "cut by server (" + err_kind(e) + ")")
                    continue
                if not data:
                    drop(fd, "cut by server (fin)")
                    continue
                if data.startswith(b"HTTP/1."):
                    st["answered " + data[9:12].decode("ascii", "replace")] += 1
            elif ev & gone:
                drop(fd, "cut by server (" + ("rst" if ev & select.POLLERR else "hup") + ")")
        now = time.monotonic()
        if now - last_timers >= 0.1:
            last_timers = now
            open_now = 0
            for fd, c in list(conns.items()):
                if c[1] == "connecting":
                    if now - c[2] > connect_timeout:
                        drop(fd, "connect timed out")
                    continue
                open_now += 1
                if mode == "slowloris" and now >= c[3]:
                    try:
                        c[0].send(head[c[4] % len(head): c[4] % len(head) + 1])
                        c[4] += 1
                        st["bytes sent"] += 1
                    except OSError as e:
                        drop(fd, "cut by server (" + err_kind(e) + ")")
                        continue
                    c[3] += 5.0
            peak_open = max(peak_open, open_now)
    st["open at end"] = sum(1 for c in conns.values() if c[1] == "open")
    st["peak open"] = peak_open
    for fd in list(conns):
        drop(fd, "closed at end")
    return st


def summary_mass(st):
    parts = [f"peak open (attacker's view) {st.get('peak open', 0)}, open at end {st.get('open at end', 0)}, {st.get('connects', 0)} connects"]
    for k in sorted(st):
        if k.startswith(("cut by server", "connect failed", "connect timed", "answered")):
            parts.append(f"{k} {st[k]}")
    return "; ".join(parts)


def attack_role(name, port, seconds):
    t0 = time.monotonic()
    deadline = t0 + seconds + HOLD_AFTER_DEADLINE  # hard stop even if "stop" never arrives
    stop = threading.Event()

    def wait_stdin():
        sys.stdin.readline()
        stop.set()
    threading.Thread(target=wait_stdin, daemon=True).start()
    out = {}
    if name in ("distinct-urls", "junk-queries", "cache-busting"):
        cat = Catalog(port, deadline)
        fn = {"distinct-urls": attack_distinct_urls, "junk-queries": attack_junk_queries,
              "cache-busting": attack_cache_busting}[name]
        st = fn(port, stop, deadline, cat)
        out["notes"] = summary_http(st, time.monotonic() - t0)
    elif name == "pipelining":
        st = attack_pipelining(port, stop, deadline, None)
        sent = st.get("sent10", 0) + st.get("sent10k", 0)
        recv = st.get("recv10", 0) + st.get("recv10k", 0)
        pct = 100.0 * recv / sent if sent else 0.0
        errs = " ".join(f"{k} {st[k]}" for k in sorted(st) if "err" in k)
        out["notes"] = (f"pipelined answers {recv}/{sent} ({pct:.1f}%){'' if pct >= 100 else ' MISS'}: "
                        f"10k-pipe {st.get('recv10k', 0)}/{st.get('sent10k', 0)}, "
                        f"10x sqlite {st.get('recv10', 0)}/{st.get('sent10', 0)}" + (f"; errors: {errs}" if errs else ""))
        out["ratio"] = pct
    elif name == "non-reading":
        out["notes"] = summary_mass(mass_connections(port, stop, deadline, 800, "non-reading"))
    elif name == "non-reading-spread":
        out["notes"] = summary_mass(mass_connections(port, stop, deadline, 1200, "non-reading", sources=SPREAD_SOURCES))
    elif name == "slowloris":
        out["notes"] = summary_mass(mass_connections(port, stop, deadline, 1000, "slowloris"))
    elif name == "slowloris-spread":
        out["notes"] = summary_mass(mass_connections(port, stop, deadline, 1200, "slowloris", sources=SPREAD_SOURCES))
    elif name == "fd-limit":
        out["notes"] = summary_mass(mass_connections(port, stop, deadline, 400, "hold", sources=SPREAD_SOURCES[:8]))
    else:
        raise SystemExit(f"unknown attack {name}")
    out["stopped by"] = "stop" if stop.is_set() else "deadline"
    json.dump(out, sys.stdout)


# ----------------------------------------------------------------------------------------- orchestrator

CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            rest = f.read().rsplit(")", 1)[1].split()
        return int(rest[11]) + int(rest[12])
    except (OSError, IndexError, ValueError):
        return None


def proc_status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def free_port():
    s = socket.socket()
    s.bind((SERVER, 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Sampler(threading.Thread):
    """Every 200 ms: VmRSS (max kept) and utime+stime (last value and its time kept)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.max_rss_kb = 0
        self.last_ticks, self.last_t = None, None
        self.halt = threading.Event()

    def run(self):
        for _ in range(100_000):
            rss = proc_status_kb(self.pid, "VmRSS")
            ticks = proc_cpu_ticks(self.pid)
            if rss:
                self.max_rss_kb = max(self.max_rss_kb, rss)
            if ticks is not None:
                self.last_ticks, self.last_t = ticks, time.monotonic()
            if self.halt.wait(0.2):
                break


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    k = max(0, math.ceil(p / 100 * len(sorted_values)) - 1)
    return sorted_values[k]


def exit_text(rc):
    if rc is None:
        return "killed"
    if rc < 0:
        try:
            return signal.Signals(-rc).name
        except ValueError:
            return f"signal {-rc}"
    return str(rc)


def crash_line(log_path):
    """The most telling line of a crashed server's log (Swift prints 'Fatal error: ...')."""
    try:
        with open(log_path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return ""
    for line in lines:
        if "Fatal error" in line or "fatal error" in line or "error:" in line.lower():
            return line.strip()[:160]
    return ""


def run_case(name, args, log):
    workdir = args.workdir
    seconds = args.seconds
    row = {"case": name, "requests": 0, "success": None, "p50": None, "p99": None, "hwm": None, "maxrss": None,
           "cpu": None, "alive": "no", "exit": "-", "notes": []}
    cmd = [args.bin, "serve", "--db", args.db, "--host", SERVER] + EXTRA_SERVE_FLAGS.get(name, []) + args.serve_flags
    preexec = None
    if name == "fd-limit":
        if shutil.which("prlimit"):
            cmd = ["prlimit", f"--nofile={FD_LIMIT}:{FD_LIMIT}", "--"] + cmd
        else:
            import resource

            def preexec():
                resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))
    server_log = os.path.join(workdir, f"serve-{name}.log")
    proc = None
    for _ in range(3):  # a fresh server on a free port; again if the port was taken meanwhile
        port = free_port()
        with open(server_log, "wb") as lf:
            proc = subprocess.Popen(cmd + ["--port", str(port)], stdin=subprocess.DEVNULL, stdout=lf,
                                    stderr=subprocess.STDOUT, preexec_fn=preexec)
        ready = False
        try:
            t_end = time.monotonic() + 30
            while time.monotonic() < t_end and proc.poll() is None:
                if get_once(port, "/", 1.0)[0]:
                    ready = True
                    break
                time.sleep(0.1)
        finally:
            if not ready:
                stop_server(proc)
        if ready:
            break
        proc = None
    if proc is None:
        row["notes"].append("server did not start: " + (crash_line(server_log) or f"see {server_log}"))
        return row
    pid = proc.pid
    if name == "fd-limit":
        try:
            with open(f"/proc/{pid}/limits") as f:
                lim = [l for l in f if l.startswith("Max open files")][0].split()[3]
            row["notes"].append(f"server nofile {lim}")
        except (OSError, IndexError):
            pass
    sampler = Sampler(pid)
    sampler.start()
    attacker = None
    attacker_err = os.path.join(workdir, f"attack-{name}.err")
    try:
        ticks0, t0 = proc_cpu_ticks(pid), time.monotonic()
        me = [sys.executable, os.path.abspath(__file__), "--port", str(port), "--seconds", str(seconds)]
        if name != "baseline":
            with open(attacker_err, "wb") as ef:
                attacker = subprocess.Popen(me + ["--role", "attack", "--attack", name], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=ef)
        normal = subprocess.Popen(me + ["--role", "normal"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        time.sleep(max(0.0, t0 + seconds - time.monotonic()))
        ticks1, t1 = proc_cpu_ticks(pid), time.monotonic()
        if ticks1 is None:  # the server died: its last sampled figure
            ticks1, t1 = sampler.last_ticks, sampler.last_t
        if ticks0 is not None and ticks1 is not None and t1 and t1 > t0:
            row["cpu"] = 100.0 * (ticks1 - ticks0) / CLK_TCK / (t1 - t0)
        try:
            out, _ = normal.communicate(timeout=NORMAL_TIMEOUT + 10)
            res = json.loads(out or b"{}").get("results", [])
        except (subprocess.TimeoutExpired, ValueError):
            normal.kill()
            normal.wait()
            res = []
            row["notes"].append("normal client failed")
        lat = sorted(r[2] for r in res if r[1])
        row["requests"] = len(res)
        if res:
            row["success"] = 100.0 * len(lat) / len(res)
            fails = collections.Counter(r[3] for r in res if not r[1])
            if fails:
                row["notes"].append("normal failures: " + ", ".join(f"{k} {v}" for k, v in fails.most_common()))
        row["p50"], row["p99"] = percentile(lat, 50), percentile(lat, 99)
        # alive: still running and answering / while the attack is still on
        alive = False
        for _ in range(3):
            if proc.poll() is not None:
                break
            if get_once(port, "/")[0]:
                alive = True
                break
        row["alive"] = "yes" if alive else "no"
        hwm = proc_status_kb(pid, "VmHWM")
        row["hwm"] = hwm / 1024 if hwm else None
        sampler.halt.set()
        sampler.join(1)
        row["maxrss"] = sampler.max_rss_kb / 1024 if sampler.max_rss_kb else None
        if attacker is not None:
            try:
                attacker.stdin.write(b"stop\n")
                attacker.stdin.flush()
            except OSError:
                pass
            try:
                out, _ = attacker.communicate(timeout=30)
                a = json.loads(out or b"{}")
                if a.get("notes"):
                    row["notes"].insert(0, a["notes"])
                else:
                    raise ValueError
            except (subprocess.TimeoutExpired, ValueError):
                attacker.kill()
                attacker.wait()
                tail = ""
                try:
                    with open(attacker_err, errors="replace") as f:
                        tail = f.read().strip().splitlines()[-1][:160]
                except (OSError, IndexError):
                    pass
                row["notes"].append("attacker failed: " + (tail or "no output"))
            attacker = None
        if proc.poll() is not None:
            row["notes"].append(f"server died ({exit_text(proc.returncode)})"
                                + (": " + crash_line(server_log) if crash_line(server_log) else ""))
        elif not alive:
            back = any(get_once(port, "/")[0] for _ in range(3))
            row["notes"].append("running but not answering /; " +
                                ("answered again once the attack stopped" if back else "still not answering after the attack stopped"))
    finally:
        if attacker is not None:
            attacker.kill()
            attacker.wait()
        sampler.halt.set()
        row["exit"] = stop_server(proc)
    return row


def stop_server(proc):
    """SIGTERM, up to 10 s to exit, then SIGKILL. Returns the exit as text ('0' is a clean stop)."""
    if proc.poll() is not None:
        return f"{exit_text(proc.returncode)} (before SIGTERM)"
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(10)
        return exit_text(proc.returncode)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return "hung, killed"


def fmt(v, nd=1):
    return "-" if v is None else f"{v:.{nd}f}"


def print_table(rows, out):
    head = ["case", "requests", "success %", "p50 ms", "p99 ms", "VmHWM MB", "max RSS MB", "CPU %", "alive", "exit",
            "notes"]
    table = []
    for r in rows:
        peak = max([x for x in (r["hwm"], r["maxrss"]) if x is not None], default=None)
        miss_rss = peak is not None and peak > TARGET_RSS_MB
        table.append([
            r["case"], str(r["requests"]),
            fmt(r["success"]) + (" MISS" if r["success"] is None or r["success"] < TARGET_SUCCESS else ""),
            fmt(r["p50"]),
            fmt(r["p99"]) + (" MISS" if r["p99"] is None or r["p99"] > TARGET_P99_MS else ""),
            fmt(r["hwm"]) + (" MISS" if miss_rss and r["hwm"] is not None and r["hwm"] > TARGET_RSS_MB else ""),
            fmt(r["maxrss"]) + (" MISS" if miss_rss and r["maxrss"] is not None and r["maxrss"] > TARGET_RSS_MB else ""),
            fmt(r["cpu"], 0),
            r["alive"] + ("" if r["alive"] == "yes" else " MISS"),
            r["exit"] + ("" if r["exit"] == "0" else " MISS"),
            "; ".join(r["notes"]),
        ])
    widths = [max(len(x[i]) for x in table + [head]) for i in range(len(head) - 1)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)) + "  " + cells[-1]  # noqa: E731
    print(line(head), file=out)
    print("  ".join("-" * w for w in widths) + "  " + "-" * 5, file=out)
    for cells in table:
        print(line(cells), file=out)
    out.flush()


def orchestrate(args):
    wanted = [a for a in (args.attacks.split(",") if args.attacks else ATTACKS) if a]
    unknown = [a for a in wanted if a not in ATTACKS]
    if unknown:
        raise SystemExit(f"unknown attack(s) {', '.join(unknown)}; known: {', '.join(ATTACKS)}")
    cases = ["baseline"] + [a for a in ATTACKS if a in wanted]
    print(f"binary: {args.bin}" + ("  (a DEBUG build: latency and CPU are not release figures)" if "/debug/" in args.bin else ""))
    print(f"machine: {os.cpu_count()} cores shared by the server, the attacker and the normal client; "
          f"{args.seconds:g} s per case, a fresh server per case, default serve flags"
          + (f" plus {' '.join(args.serve_flags)}" if args.serve_flags else ""))
    print(f"normal client: 127.0.0.1, one GET every {NORMAL_INTERVAL * 1000:.0f} ms over {', '.join(NORMAL_PATHS)}, "
          f"fresh connection, {NORMAL_TIMEOUT:g} s for a complete 200; attacker: 127.0.0.2")
    print(f"targets: success {TARGET_SUCCESS:g}%, p99 <= {TARGET_P99_MS:g} ms, peak RSS <= {TARGET_RSS_MB:g} MB, "
          f"alive (answering / at the end of the attack), exit 0 on SIGTERM; MISS marks a missed target")
    print("CPU % is the server's utime+stime over the attack's wall time (100 = one core); "
          "VmHWM is the server's lifetime peak, max RSS the highest 200 ms sample")
    print()
    sys.stdout.flush()
    rows = []
    for name in cases:
        t = time.monotonic()
        print(f"[{time.strftime('%H:%M:%S')}] {name} ...", file=sys.stderr, flush=True)
        row = run_case(name, args, sys.stderr)
        rows.append(row)
        print(f"[{time.strftime('%H:%M:%S')}] {name}: {time.monotonic() - t:.0f} s, success {fmt(row['success'])}%, "
              f"alive {row['alive']}, exit {row['exit']}", file=sys.stderr, flush=True)
    print_table(rows, sys.stdout)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--role", choices=["normal", "attack"])
    p.add_argument("--attack")
    p.add_argument("--port", type=int)
    p.add_argument("--bin")
    p.add_argument("--db")
    p.add_argument("--workdir")
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--attacks", default="", help="comma-separated subset of: " + ", ".join(ATTACKS))
    p.add_argument("--serve-flag", dest="serve_flags", action="append", default=[],
                   help="an extra flag for every `serve` (repeatable)")
    args = p.parse_args()
    if not (0.5 <= args.seconds <= 3600):
        p.error("--seconds must be between 0.5 and 3600")
    if args.role == "normal":
        normal_role(args.port, args.seconds)
        return 0
    if args.role == "attack":
        try:
            import resource
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
        except (ImportError, ValueError, OSError):
            pass
        attack_role(args.attack, args.port, args.seconds)
        return 0
    for need in ("bin", "db", "workdir"):
        if not getattr(args, need):
            p.error(f"--{need} is needed")
    return orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
