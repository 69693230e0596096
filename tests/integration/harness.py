#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The one integration harness: start synack (in a namespace), wait until it
is ready, run it bounded, read its counters strictly, dump logs on failure.

Used by the bash tests through lib.sh (the CLI below) and imported by the
bench scenarios (``sys.path.insert(0, "tests/integration"); import harness``).

Counters are read strictly: a counter name that is not in synack's JSON
raises CounterError naming it (and the close names), never a default of 0,
so a renamed or misspelt counter fails the test instead of passing it.

CLI:
  harness.py counter FILE NAME [NAME...] [--worker SUBSTR] [--interval]
      one value per line (the summary's counters, or the summary worker whose
      label contains SUBSTR, or the last interval line's with --interval);
      exit 1 with a message on an unknown name or a missing summary.
  harness.py gauge FILE NAME [NAME...]      the last interval line's gauges
  harness.py value FILE PATH [--interval] [--worker SUBSTR]
      any dotted path (status, t, latency_us.rtt.count), strict likewise
  harness.py sum FILE PREFIX [--worker SUBSTR]
      the sum of the summary counters whose name starts with PREFIX
  harness.py nonzero FILE PREFIX[,PREFIX...]
      "name=value" of the non-zero summary counters with those prefixes
  harness.py wait-ready LOGFILE PID TIMEOUT [PATTERN]
      wait until a line of LOGFILE starts with PATTERN ("synack: mode "):
      exit 0; exit 1 (and print the log) if PID exits first or on timeout.
"""
import atexit
import difflib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

READY_LINE = "synack: mode "

__all__ = [
    "CounterError", "load_jsonl", "counters", "interval_counters", "gauges",
    "value", "Counters", "Netns", "Result", "Proc", "run_synack",
    "start_synack", "synack_argv", "dump_logs", "READY_LINE",
]


class CounterError(Exception):
    """A counter (or JSON value) that a test asked for is not there."""


# ------------------------------------------------------------------ JSON --

def load_jsonl(path):
    """synack's --json lines file -> (intervals, summary).

    intervals: the "interval" objects in order; summary: the last "summary"
    object, {} when the run wrote none (it crashed or was killed). A line
    that is not JSON raises CounterError (a torn file is a failure, not a
    zero)."""
    intervals, summary = [], {}
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise CounterError(f"{path}:{n}: not JSON: {e}") from None
                kind = obj.get("type")
                if kind == "interval":
                    intervals.append(obj)
                elif kind == "summary":
                    summary = obj
    except OSError as e:
        raise CounterError(f"cannot read synack's JSON lines: {e}") from None
    return intervals, summary


class Counters:
    """A strict view of one counters object: c[name] raises CounterError for
    a name that does not exist (with the close names), never returns 0."""

    def __init__(self, values, where):
        self._values = dict(values)
        self.where = where

    def __getitem__(self, name):
        try:
            return self._values[name]
        except KeyError:
            close = difflib.get_close_matches(name, self._values.keys(), n=4, cutoff=0.6)
            hint = f" (close: {', '.join(close)})" if close else ""
            raise CounterError(f"no counter '{name}' in {self.where}{hint}") from None

    def __contains__(self, name):
        return name in self._values

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def items(self):
        return self._values.items()

    def keys(self):
        return self._values.keys()

    def get_many(self, *names):
        """{name: value} for each name; CounterError on the first missing."""
        return {n: self[n] for n in names}

    def sum_prefix(self, prefix):
        """Sum of the counters whose name starts with prefix; CounterError
        when no counter has that prefix (a renamed group is not a zero)."""
        vals = [v for k, v in self._values.items() if k.startswith(prefix)]
        if not vals:
            raise CounterError(f"no counter starting with '{prefix}' in {self.where}")
        return sum(vals)

    def nonzero(self, *prefixes):
        return {k: v for k, v in self._values.items() if v and k.startswith(prefixes)}

    def __repr__(self):
        return f"Counters({self.where}, {len(self._values)} names)"


def _pick_worker(summary, worker, path):
    ws = summary.get("workers")
    if not isinstance(ws, list):
        raise CounterError(f"{path}: summary has no workers list")
    for w in ws:
        if worker in str(w.get("label", "")):
            return w
    labels = [str(w.get("label", "")) for w in ws]
    raise CounterError(f"{path}: no summary worker whose label contains '{worker}' "
                       f"(labels: {labels})")


def _summary(path):
    _, summary = load_jsonl(path)
    if not summary:
        raise CounterError(f"{path}: no summary line (synack did not finish its report)")
    return summary


def counters(path, worker=None):
    """The summary's counters (or those of the summary worker whose label
    contains the substring worker, first match), as a strict Counters."""
    summary = _summary(path)
    obj, where = summary, f"{path} summary"
    if worker is not None:
        obj = _pick_worker(summary, worker, path)
        where = f"{path} summary worker '{obj.get('label')}'"
    c = obj.get("counters")
    if not isinstance(c, dict):
        raise CounterError(f"{where}: no counters object")
    return Counters(c, where)


def interval_counters(path, index=-1):
    """The counters of an interval line (default the last; they are
    cumulative since the start)."""
    intervals, _ = load_jsonl(path)
    if not intervals:
        raise CounterError(f"{path}: no interval line")
    c = intervals[index].get("counters")
    if not isinstance(c, dict):
        raise CounterError(f"{path}: interval line without counters")
    return Counters(c, f"{path} interval t={intervals[index].get('t')}")


def gauges(path, index=-1):
    """The gauges of an interval line (default the last)."""
    intervals, _ = load_jsonl(path)
    if not intervals:
        raise CounterError(f"{path}: no interval line")
    g = intervals[index].get("gauges")
    if not isinstance(g, dict):
        raise CounterError(f"{path}: interval line without gauges")
    return Counters(g, f"{path} interval gauges t={intervals[index].get('t')}")


def dig(obj, dotted, where="JSON"):
    """obj at a dotted path (a.b.0.c); CounterError naming the missing part."""
    cur = obj
    for part in dotted.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            keys = list(cur.keys()) if isinstance(cur, dict) else []
            close = difflib.get_close_matches(part, keys, n=4, cutoff=0.6)
            hint = f" (close: {', '.join(close)})" if close else ""
            raise CounterError(f"no '{dotted}' in {where}: '{part}' missing{hint}")
    return cur


def value(path, dotted, interval=False, worker=None):
    """Any value of the summary (or last interval line, or a summary worker)
    at a dotted path, strictly."""
    if interval:
        intervals, _ = load_jsonl(path)
        if not intervals:
            raise CounterError(f"{path}: no interval line")
        return dig(intervals[-1], dotted, f"{path} last interval")
    summary = _summary(path)
    if worker is not None:
        return dig(_pick_worker(summary, worker, path), dotted, f"{path} worker '{worker}'")
    return dig(summary, dotted, f"{path} summary")


# -------------------------------------------------------------- netns -----

def _sh(argv, check=True, **kw):
    return subprocess.run(argv, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, **kw)


class Netns:
    """Two network namespaces joined by a veth pair, removed on exit.

    krn_ns / krn_if: the kernel peer, kernel_ip/prefix, offloads off
    (tx/rx checksum, TSO, GSO: synack must not get partial checksums or
    64 KB super-frames). syn_ns / syn_if: synack's end, up, *no* address
    (the kernel must not answer ARP or send RSTs for synack's address).
    No default route in either. Names: tag (cut to 4) + pid, short enough
    for IFNAMSIZ; the pid keeps parallel users apart."""

    def __init__(self, tag, kernel_ip="198.18.1.1", synack_ip="198.18.1.2", prefix=24):
        tag = re.sub(r"[^A-Za-z0-9]", "", str(tag))[:4]
        pid = os.getpid()
        self.tag = tag
        self.syn_ns = f"syn{tag}{pid}"
        self.krn_ns = f"krn{tag}{pid}"
        self.syn_if = f"vs{tag}{pid}"
        self.krn_if = f"vk{tag}{pid}"
        for n in (self.syn_if, self.krn_if):
            if len(n) > 15:
                raise ValueError(f"interface name {n} longer than IFNAMSIZ-1")
        self.kernel_ip = kernel_ip
        self.synack_ip = synack_ip
        self.prefix = prefix
        self._made = []
        self._old_term = None

    def __enter__(self):
        if os.geteuid() != 0:
            raise PermissionError("Netns needs root")
        atexit.register(self.close)
        if hasattr(signal, "SIGTERM"):
            try:
                self._old_term = signal.signal(signal.SIGTERM, self._on_term)
            except ValueError:      # not the main thread
                self._old_term = None
        try:
            self._setup()
        except BaseException:
            self.close()
            raise
        return self

    def _on_term(self, signum, frame):
        raise SystemExit(128 + signum)

    def _setup(self):
        for ns in (self.syn_ns, self.krn_ns):
            _sh(["ip", "netns", "add", ns])
            self._made.append(ns)
            _sh(["ip", "-n", ns, "link", "set", "lo", "up"])
        _sh(["ip", "link", "add", self.syn_if, "netns", self.syn_ns, "type", "veth",
             "peer", "name", self.krn_if, "netns", self.krn_ns])
        for ns, ifc in ((self.syn_ns, self.syn_if), (self.krn_ns, self.krn_if)):
            _sh(["ip", "netns", "exec", ns, "sysctl", "-qw",
                 f"net.ipv6.conf.{ifc}.disable_ipv6=1"], check=False)
            _sh(["ip", "netns", "exec", ns, "ethtool", "-K", ifc, "tx", "off", "tso", "off",
                 "gso", "off"])
        # rx checksum off on the kernel end too, as lib.sh's callers do
        _sh(["ip", "netns", "exec", self.krn_ns, "ethtool", "-K", self.krn_if, "rx", "off"],
            check=False)
        _sh(["ip", "-n", self.krn_ns, "addr", "add", f"{self.kernel_ip}/{self.prefix}",
             "dev", self.krn_if])
        _sh(["ip", "-n", self.syn_ns, "link", "set", self.syn_if, "up"])
        _sh(["ip", "-n", self.krn_ns, "link", "set", self.krn_if, "up"])
        for ns in (self.syn_ns, self.krn_ns):
            _sh(["ip", "-n", ns, "route", "del", "default"], check=False)

    def close(self):
        for ns in reversed(self._made):
            subprocess.run(["ip", "netns", "del", ns], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
        self._made = []
        if self._old_term is not None:
            try:
                signal.signal(signal.SIGTERM, self._old_term)
            except ValueError:
                pass
            self._old_term = None

    def __exit__(self, *exc):
        self.close()
        return False

    @staticmethod
    def _argv(cmd):
        return shlex.split(cmd) if isinstance(cmd, str) else list(cmd)

    def kexec_argv(self, cmd):
        return ["ip", "netns", "exec", self.krn_ns] + self._argv(cmd)

    def sexec_argv(self, cmd):
        return ["ip", "netns", "exec", self.syn_ns] + self._argv(cmd)

    def kexec(self, cmd, **popen_kw):
        """Run cmd (list or shell-like string) in the kernel namespace and
        wait (subprocess.run keywords: timeout, capture_output, check...)."""
        popen_kw.setdefault("timeout", 60)
        return subprocess.run(self.kexec_argv(cmd), **popen_kw)

    def kpopen(self, cmd, **popen_kw):
        """cmd in the kernel namespace, in the background (a Popen)."""
        return subprocess.Popen(self.kexec_argv(cmd), **popen_kw)

    def sexec(self, cmd, **popen_kw):
        popen_kw.setdefault("timeout", 60)
        return subprocess.run(self.sexec_argv(cmd), **popen_kw)

    def mac(self, side="syn"):
        ns, ifc = (self.syn_ns, self.syn_if) if side == "syn" else (self.krn_ns, self.krn_if)
        out = _sh(["ip", "-n", ns, "link", "show", ifc]).stdout
        m = re.search(r"link/ether ([0-9a-f:]{17})", out)
        return m.group(1) if m else None

    def wait_reachable(self, ip=None, tries=10):
        """ping synack (or ip) from the kernel side once a second, at most
        tries times; True when it answered."""
        ip = ip or self.synack_ip
        for _ in range(tries):
            r = subprocess.run(self.kexec_argv(["ping", "-c", "1", "-W", "1", ip]),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               check=False, timeout=5)
            if r.returncode == 0:
                return True
        return False


# ------------------------------------------------------------- synack -----

def _sets_list(sets):
    if isinstance(sets, dict):
        return [f"{k}={v}" for k, v in sets.items()]
    out = []
    for s in sets:
        out.append(f"{s[0]}={s[1]}" if isinstance(s, (tuple, list)) else str(s))
    return out


def synack_argv(binary, config, sets=(), json_path=None, netns=None, eal=None):
    """The command line: [ip netns exec SYN_NS] synack -c CONFIG --set ...
    [--json PATH] [-- EAL...]. netns: a Netns (synack's side) or a
    namespace name."""
    argv = [str(binary)]
    if config is not None:
        argv += ["-c", str(config)]
    for s in _sets_list(sets):
        argv += ["--set", s]
    if json_path is not None:
        argv += ["--json", str(json_path)]
    if eal:
        argv += ["--"] + (shlex.split(eal) if isinstance(eal, str) else list(eal))
    if netns is not None:
        ns = netns.syn_ns if isinstance(netns, Netns) else str(netns)
        argv = ["ip", "netns", "exec", ns] + argv
    return argv


class Result:
    def __init__(self, rc, stdout, stderr, json_path, timed_out=False, argv=None):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.json_path = json_path
        self.timed_out = timed_out
        self.argv = argv

    def __iter__(self):     # rc, stdout, stderr, json_path = run_synack(...)
        return iter((self.rc, self.stdout, self.stderr, self.json_path))

    def log(self):
        return (f"$ {shlex.join(self.argv or [])}\n---- stdout ----\n{self.stdout}"
                f"---- stderr ----\n{self.stderr}")

    def counters(self, worker=None):
        return counters(self.json_path, worker)

    def __repr__(self):
        return f"Result(rc={self.rc}, timed_out={self.timed_out}, json={self.json_path})"


class Proc:
    """A synack in the background: stdout and stderr go to log_path."""

    def __init__(self, argv, log_path, json_path, tmp=None, **popen_kw):
        self.argv = argv
        self.log_path = log_path
        self.json_path = json_path
        self._tmp = tmp
        self._logf = open(log_path, "wb")
        self.popen = subprocess.Popen(argv, stdout=self._logf, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, **popen_kw)
        self.pid = self.popen.pid
        self.rc = None
        self.timed_out = False
        atexit.register(self._atexit)

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def alive(self):
        return self.popen.poll() is None

    def wait_ready(self, timeout=None, pattern=READY_LINE):
        """Wait until the log has a line starting with pattern (synack's start
        line). Raises RuntimeError with the log if synack exits first or the
        time runs out (timeout: default start_synack's)."""
        if timeout is None:
            timeout = getattr(self, "ready_timeout", 30)
        deadline = time.monotonic() + timeout
        while True:
            if any(l.startswith(pattern) for l in self.log().splitlines()):
                return True
            rc = self.popen.poll()
            if rc is not None:
                raise RuntimeError(f"synack (pid {self.pid}) exited {rc} before "
                                   f"'{pattern}':\n{self.log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"synack (pid {self.pid}): no '{pattern}' within "
                                   f"{timeout}s:\n{self.log()}")
            time.sleep(0.1)

    def wait(self, timeout):
        """Wait at most timeout s for the exit; on overrun stop it (SIGTERM,
        SIGKILL) and set timed_out. Returns the exit status."""
        try:
            self.rc = self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.timed_out = True
            print(f"harness: synack (pid {self.pid}) still running after {timeout}s, "
                  "stopping it", file=sys.stderr)
            self.rc = self.stop(first=signal.SIGTERM)
        self._logf.close()
        return self.rc

    def stop(self, first=signal.SIGINT, grace=10):
        """SIGINT (a clean stop: synack prints its summary), then SIGTERM and
        SIGKILL by PID if it does not exit. Returns the exit status."""
        if self.popen.poll() is None:
            for sig, secs in ((first, grace), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                try:
                    self.popen.send_signal(sig)
                except ProcessLookupError:
                    break
                try:
                    self.popen.wait(timeout=secs)
                    break
                except subprocess.TimeoutExpired:
                    print(f"harness: synack (pid {self.pid}) ignored signal {sig.name} "
                          f"for {secs}s", file=sys.stderr)
        self.rc = self.popen.wait()
        if not self._logf.closed:
            self._logf.close()
        return self.rc

    def _atexit(self):
        if self.popen.poll() is None:
            self.stop(first=signal.SIGTERM, grace=5)

    def counters(self, worker=None):
        return counters(self.json_path, worker)


def _tmpdir(tmp):
    return tmp or tempfile.mkdtemp(prefix="synack-h.")


def run_synack(binary, config, sets=(), json_path=None, netns=None, timeout=60, eal=None,
               name="synack", tmp=None):
    """Run synack to its end, bounded by timeout seconds (then SIGTERM and
    SIGKILL by PID, Result.timed_out set and a message on stderr)."""
    argv = synack_argv(binary, config, sets, json_path, netns, eal)
    own = None
    if tmp is None:
        own = tempfile.TemporaryDirectory(prefix="synack-h.")
        tmp = own.name
    d = tmp
    out_p, err_p = os.path.join(d, f"{name}.out"), os.path.join(d, f"{name}.err")
    with open(out_p, "wb") as out, open(err_p, "wb") as err:
        p = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        timed_out = False
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            print(f"harness: {name}: synack (pid {p.pid}) still running after {timeout}s "
                  "(the bounded run did not end), stopping it", file=sys.stderr)
            p.terminate()
            try:
                rc = p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                rc = p.wait()
    with open(out_p, encoding="utf-8", errors="replace") as f:
        so = f.read()
    with open(err_p, encoding="utf-8", errors="replace") as f:
        se = f.read()
    if own is not None:
        own.cleanup()
    return Result(rc, so, se, json_path, timed_out, argv)


def start_synack(binary, config, sets=(), json_path=None, netns=None, timeout=60, eal=None,
                 name="synack", tmp=None, log_path=None):
    """synack in the background (a Proc); timeout is the default for
    wait_ready. Stop it with Proc.stop()."""
    argv = synack_argv(binary, config, sets, json_path, netns, eal)
    if log_path is None:
        log_path = os.path.join(_tmpdir(tmp), f"{name}.log")
    p = Proc(argv, log_path, json_path)
    p.ready_timeout = timeout
    return p


def dump_logs(*items, tail=80):
    """Print the logs of Procs, Results or files (last tail lines each)."""
    for it in items:
        if isinstance(it, Proc):
            title, text = f"synack pid {it.pid} ({it.log_path})", it.log()
        elif isinstance(it, Result):
            title, text = f"synack rc {it.rc}", it.log()
        else:
            title = str(it)
            try:
                with open(it, encoding="utf-8", errors="replace") as f:
                    text = f.read()
            except OSError as e:
                text = f"(cannot read: {e})\n"
        lines = text.splitlines()
        cut = f" (last {tail} of {len(lines)} lines)" if len(lines) > tail else ""
        print(f"---- {title}{cut} ----")
        print("\n".join(lines[-tail:]))
        print(f"---- end of {title} ----")
    sys.stdout.flush()


# ---------------------------------------------------------------- CLI -----

def _fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dict, list)):
        return json.dumps(v)
    return str(v)


def _opt(args, flag, has_value=True):
    if flag not in args:
        return None
    i = args.index(flag)
    if has_value:
        if i + 1 >= len(args):
            raise SystemExit(f"harness: {flag} needs a value")
        v = args[i + 1]
        del args[i:i + 2]
        return v
    del args[i]
    return True


def _wait_ready_cli(logfile, pid, timeout, pattern):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with open(logfile, encoding="utf-8", errors="replace") as f:
                if any(l.startswith(pattern) for l in f):
                    return 0
        except OSError:
            pass
        try:
            os.kill(pid, 0)
            # a zombie child of the caller still answers kill -0
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(") ", 1)[-1].startswith("Z"):
                    raise ProcessLookupError
        except (ProcessLookupError, FileNotFoundError):
            print(f"harness: pid {pid} exited before '{pattern}' in {logfile}", file=sys.stderr)
            dump_logs(logfile)
            return 1
        except PermissionError:
            pass
        if time.monotonic() > deadline:
            print(f"harness: no line starting with '{pattern}' in {logfile} within "
                  f"{timeout}s", file=sys.stderr)
            dump_logs(logfile)
            return 1
        time.sleep(0.1)


def main(argv):
    args = list(argv[1:])
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else 2
    cmd = args.pop(0)
    try:
        if cmd in ("counter", "gauge", "value", "sum", "nonzero"):
            worker = _opt(args, "--worker")
            interval = bool(_opt(args, "--interval", has_value=False))
            if len(args) < 2:
                print(f"usage: harness.py {cmd} FILE NAME...", file=sys.stderr)
                return 2
            path, names = args[0], args[1:]
            if cmd == "counter":
                c = interval_counters(path) if interval else counters(path, worker)
                for n in names:
                    print(_fmt(c[n]))
            elif cmd == "gauge":
                g = gauges(path)
                for n in names:
                    print(_fmt(g[n]))
            elif cmd == "value":
                for n in names:
                    print(_fmt(value(path, n, interval=interval, worker=worker)))
            elif cmd == "sum":
                c = counters(path, worker)
                for n in names:
                    print(c.sum_prefix(n))
            else:
                c = counters(path, worker)
                prefixes = tuple(p for n in names for p in n.split(","))
                nz = c.nonzero(*prefixes)
                print(" ".join(f"{k}={v}" for k, v in nz.items()) or "none")
            return 0
        if cmd == "wait-ready":
            if len(args) < 3:
                print("usage: harness.py wait-ready LOGFILE PID TIMEOUT [PATTERN]",
                      file=sys.stderr)
                return 2
            pattern = args[3] if len(args) > 3 else READY_LINE
            return _wait_ready_cli(args[0], int(args[1]), float(args[2]), pattern)
    except CounterError as e:
        print(f"harness: {e}", file=sys.stderr)
        return 1
    print(f"harness: unknown command '{cmd}'", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
