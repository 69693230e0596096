# SPDX-License-Identifier: BSD-3-Clause
"""The run context every scenario gets: options, paths, processes, rows.

Every process a scenario starts goes through ``Context.spawn`` (or
``run`` / ``synack`` / ``synack_start``, built on it): it is printed as a
command a reader can paste, recorded in commands.txt, started as a
harness.Proc (its own log file, stopped by PID), and stopped at the end of
the scenario if it is still running. Nothing is ever killed by name."""
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

import harness
import jsonstat

from .table import Row


class Failed(Exception):
    """A run of a scenario gave no figure; the message is one line."""


# lines of a synack (or peer) log that say why it went wrong, and noise
_WHY = re.compile(r"error|fail|cannot|abort|segmentation|assert|core dumped|: .*invalid", re.I)
_NOISE = re.compile(r"No bpffs|dispatcher|legacy|mp action callback|libbpf: elf", re.I)


def why(text):
    """One line saying why a run went wrong, from its log text."""
    lines = [l for l in text.splitlines() if l.strip()]
    bad = [l for l in lines if _WHY.search(l) and not _NOISE.search(l)]
    line = bad[-1] if bad else (lines[-1] if lines else "(empty log)")
    return line.strip()[:140].replace("\t", " ").replace("|", "/")


class Context:
    """What a scenario's run(ctx) works with.

    ctx.dur      seconds per timed run (5, at most 10; 2 with --quick)
    ctx.runs     runs per figure (median of them; 1 with --quick)
    ctx.quick    True with --quick: every scenario a few seconds
    ctx.tmp      the temporary directory (logs, JSON, INI files)
    ctx.synack_bin, ctx.root, ctx.opts (the parsed command line)
    ctx.cache    figures one scenario leaves for a later one (cps_max)"""

    def __init__(self, root, synack_bin, tmp, runs, dur, quick, opts):
        self.root = root
        self.synack_bin = synack_bin
        self.tmp = tmp
        self.runs = runs
        self.dur = dur
        self.quick = quick
        self.opts = opts
        self.scenario = "-"
        self.cache = {}
        self.rows = []
        self.history = []
        self._procs = []
        self._cmds = open(os.path.join(tmp, "commands.txt"), "a", encoding="utf-8")

    # ------------------------------------------------------------ output --

    def log(self, msg):
        """A progress line: '[bench HH:MM:SS] msg'."""
        print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)

    def show(self, argv):
        """Print a command as it can be pasted ('+ ...' on stderr) and
        record it in commands.txt."""
        s = shlex.join(str(a) for a in argv)
        print(f"+ {s}", file=sys.stderr, flush=True)
        self._cmds.write(s + "\n")
        self._cmds.flush()

    def say(self, text):
        """A comment for the reader, in the output and in commands.txt."""
        print(f"# {text}", file=sys.stderr, flush=True)
        self._cmds.write(f"# {text}\n")
        self._cmds.flush()

    def row(self, figure, synack, peer=None, ratio=None, notes="", digits=None):
        """Record a figure of the current scenario and print it now."""
        r = Row(self.scenario, figure, synack, peer, ratio, notes, digits)
        self.rows.append(r)
        print(r.line(), flush=True)
        return r

    def error_row(self, figure, msg):
        """A figure that could not be measured: 'error: msg'."""
        return self.row(figure, f"error: {msg}")

    def hist(self, figure, value):
        """A figure for bench/history.tsv (appended at the end of the run)."""
        self.history.append((self.scenario, figure, value))

    def path(self, name):
        """A file in the temporary directory."""
        return os.path.join(self.tmp, name)

    # ------------------------------------------------------------- tools --

    def need(self, tool, package):
        """True when tool is on PATH; as root (and without --no-install)
        install package with apt-get first when it is missing."""
        if shutil.which(tool):
            return True
        if os.geteuid() == 0 and not self.opts.no_install:
            self.log(f"installing {package} (for {tool})")
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]
            for argvs in ([cmd], [["apt-get", "update", "-qq"], cmd]):
                ok = all(subprocess.run(a, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, timeout=600).returncode == 0
                         for a in argvs)
                if ok and shutil.which(tool):
                    return True
        return bool(shutil.which(tool))

    # --------------------------------------------------------- processes --

    @staticmethod
    def pinned(argv, cpu=None, ns=None):
        """argv run on CPU cpu (taskset) in namespace ns (ip netns exec)."""
        argv = [str(a) for a in argv]
        if cpu is not None:
            argv = ["taskset", "-c", str(cpu)] + argv
        if ns is not None:
            argv = ["ip", "netns", "exec", ns] + argv
        return argv

    def spawn(self, name, argv, cpu=None, ns=None):
        """Start argv in the background (a harness.Proc logging to
        tmp/NAME.log); stopped at the end of the scenario at the latest."""
        argv = self.pinned(argv, cpu, ns)
        self.show(argv)
        p = harness.Proc(argv, self.path(f"{name}.log"), None)
        self._procs.append(p)
        return p

    def run(self, name, argv, timeout, cpu=None, ns=None):
        """Run argv to its end, at most timeout seconds (then SIGTERM and
        SIGKILL by PID). Returns (exit status, log text)."""
        p = self.spawn(name, argv, cpu, ns)
        rc = p.wait(timeout)
        return rc, p.log()

    def run_for(self, name, argv, seconds, cpu=None, ns=None, sig=signal.SIGINT):
        """Run argv for seconds (less if it ends first), then stop it with
        sig (SIGINT: testpmd prints its totals). Returns the log text."""
        p = self.spawn(name, argv, cpu, ns)
        deadline = time.monotonic() + seconds
        while p.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        p.stop(first=sig, grace=5)
        return p.log()

    def stop(self, proc, sig=signal.SIGTERM, grace=10):
        """Stop one process started here (by PID); its exit status."""
        return proc.stop(first=sig, grace=grace)

    def stop_all(self):
        """Stop, by PID, every process of this scenario still running."""
        for p in reversed(self._procs):
            if p.alive():
                p.stop(first=signal.SIGTERM, grace=5)
        self._procs = []

    # ------------------------------------------------------------ synack --

    def synack_argv(self, config, sets=(), json_path=None, cpu=None, ns=None):
        """synack -c CONFIG --set ... --json PATH, pinned and in ns."""
        argv = harness.synack_argv(self.synack_bin, config, sets, json_path)
        return self.pinned(argv, cpu, ns)

    def synack(self, name, config, sets=(), cpu=None, ns=None, timeout=None):
        """Run synack to its end (bounded: the duration + 30 s unless
        timeout); JSON to tmp/NAME.json. Returns the jsonstat.Figures of
        the run; raises Failed with a line from its log when it exits
        non-zero or writes no JSON."""
        js = self.path(f"{name}.json")
        argv = self.synack_argv(config, sets, js, cpu, ns)
        rc, text = self.run(name, argv, timeout or self.dur + 30)
        if rc != 0:
            raise Failed(f"exit {rc}: {why(text)}")
        return self.figures(js, text)

    def synack_start(self, name, config, sets=(), cpu=None, ns=None, ready=20):
        """synack in the background, returned once its start line is out
        (harness.Proc.wait_ready); JSON to tmp/NAME.json (proc.json_path).
        Raises Failed with a line of its log when it does not come up."""
        js = self.path(f"{name}.json")
        p = self.spawn(name, self.synack_argv(config, sets, js, cpu, ns))
        p.json_path = js
        try:
            p.wait_ready(ready)
        except RuntimeError:
            p.stop(first=signal.SIGTERM, grace=5)
            raise Failed(f"did not come up: {why(p.log())}") from None
        return p

    def figures(self, json_path, log_text=""):
        """jsonstat.Figures of a JSON lines file; Failed when unreadable."""
        try:
            return jsonstat.Figures(json_path)
        except harness.CounterError as e:
            raise Failed(f"{e}; {why(log_text)}" if log_text else str(e)) from None

    def repeat(self, fn, n=None):
        """fn(i) for i = 1..n (ctx.runs): (the results, the Failed messages
        of the runs that gave none)."""
        out, errs = [], []
        for i in range(1, (n or self.runs) + 1):
            try:
                out.append(fn(i))
            except Failed as e:
                errs.append(str(e))
        return out, errs

    def config(self, name):
        """A file of the repository's config/ directory."""
        return os.path.join(self.root, "config", name)

    # ------------------------------------------------------------- waits --

    @staticmethod
    def wait_for(path, needle, timeout, proc=None):
        """Wait until file path holds needle (a substring); False on
        timeout or when proc exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    if needle in f.read():
                        return True
            except OSError:
                pass
            if proc is not None and not proc.alive():
                return False
            time.sleep(0.1)
        return False

    def close(self):
        self.stop_all()
        self._cmds.close()
