"""A dependency-ordered process runner: start in parallel, wait for readiness, stop within 2 s.

Each process starts as soon as everything it depends on is ready: a service once its HTTP
readiness URL answers 200, a one-shot task once it exits 0. Nothing here knows an app.

Why not a library: honcho (Procfiles) has no dependencies or readiness; supervisor and circus
order by priority, not by readiness of dependencies, run as daemons of their own, and neither
kills a child's own children when it is itself killed. This module does three things they don't:

- every child leads its own process group, so Ctrl-C in the terminal reaches only the runner,
  which then signals each group (the child and whatever it started) and waits at most
  ``stop_grace`` before SIGKILL;
- every child gets PR_SET_PDEATHSIG=SIGKILL, so the kernel kills it when the runner dies, even by
  SIGKILL;
- a watchdog process (watchdog.py), told each group as it starts, SIGKILLs those groups when the
  runner's end of its pipe closes without a clean "done": that covers grandchildren, which the
  parent-death signal does not reach.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path
from urllib.parse import urlsplit

from genai_common.background import NICENESS

WATCHDOG = Path(__file__).with_name("watchdog.py")
PR_SET_PDEATHSIG = 1
# Resolved before any fork: a child must not call into the dynamic loader between fork and exec.
_prctl = ctypes.CDLL(None).prctl


@dataclass(frozen=True)
class Spec:
    """One process: a service when ``ready_url`` is set (ready when it answers 200), otherwise a
    one-shot task (ready when it exits 0; its standard output is echoed with its name)."""

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str]
    log: Path
    ready_url: str | None = None
    depends_on: tuple[str, ...] = ()
    cwd: Path | None = None
    # The variable that moves the service's port, named when another program holds that port.
    port_variable: str | None = None


class RunFailed(Exception):
    """A process could not start, did not become ready, failed, or stopped on its own."""


def _child_setup(parent: int, niceness: int) -> None:
    """In the child, before exec: SIGKILL when the runner dies (its parent-death signal), and
    ``niceness`` added to its CPU priority."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the runner died before the signal was armed
        os._exit(1)
    if niceness:
        os.nice(niceness)


@dataclass(frozen=True)
class ProcessIds:
    pid: int
    group: int
    session: int


def living_processes() -> Iterator[ProcessIds]:
    """Every process of the machine that is not a zombie, from /proc."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # gone since the listing
            continue
        state, _, group, session = stat[stat.rindex(")") + 2 :].split()[:4]
        if state != "Z":
            yield ProcessIds(int(entry.name), int(group), int(session))


def live_groups(groups: set[int]) -> set[int]:
    """Those of ``groups`` that still have a member that is not a zombie."""
    return {p.group for p in living_processes() if p.group in groups}


def _signal_groups(groups: set[int], signum: int) -> None:
    for group in groups:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signum)


async def _answers_200(url: str) -> bool:
    """One HTTP/1.0 GET. Hand-written on purpose: an HTTP client library resolves addresses in
    worker threads, and threads are unsafe beside the forks that start children."""
    parts = urlsplit(url)
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(parts.hostname, parts.port), timeout=2
        )
    except (OSError, TimeoutError):
        return False
    try:
        writer.write(f"GET {parts.path or '/'} HTTP/1.0\r\nHost: {parts.netloc}\r\n\r\n".encode())
        status = await asyncio.wait_for(reader.readline(), timeout=5)
        return status.split()[1:2] == [b"200"]
    except (OSError, TimeoutError):
        return False
    finally:
        writer.close()


class Watchdog:
    """The process that SIGKILLs every started group if the runner dies (see watchdog.py)."""

    def __init__(self) -> None:
        read, self._write = os.pipe()
        # Its own session: Ctrl-C in the terminal and a hang-up do not reach it.
        self._process = subprocess.Popen(
            [sys.executable, "-I", str(WATCHDOG)], stdin=read, start_new_session=True
        )
        os.close(read)

    def guard(self, group: int) -> None:
        # Should the watchdog be gone, the parent-death signal still covers the children.
        with contextlib.suppress(BrokenPipeError):
            os.write(self._write, f"{group}\n".encode())

    def release(self) -> None:
        """Everything is stopped: the watchdog leaves without killing anything."""
        with contextlib.suppress(BrokenPipeError):
            os.write(self._write, b"done\n")
        os.close(self._write)
        self._process.wait(timeout=5)


class Runner:
    """Runs ``specs`` until a signal (SIGINT, SIGTERM, SIGHUP) or a failure, then stops them all.

    ``on_up`` is called once every service is ready, with the tasks still to finish (those that
    no service waits for), ``on_settled`` once they have too. ``run`` returns the exit status.
    """

    def __init__(
        self,
        specs: list[Spec],
        *,
        on_up: Callable[[list[str]], None],
        on_settled: Callable[[], None],
        ready_timeout: float = 300.0,
        stop_grace: float = 0.5,
    ) -> None:
        self._specs = {spec.name: spec for spec in specs}
        unknown = {d for s in specs for d in s.depends_on} - self._specs.keys()
        if unknown:
            raise ValueError(f"depends_on names no process: {', '.join(sorted(unknown))}")
        self._waited_for = {d for s in specs for d in s.depends_on}
        self._order = TopologicalSorter({s.name: s.depends_on for s in specs})
        self._order.prepare()  # raises graphlib.CycleError before anything starts
        self._on_up = on_up
        self._on_settled = on_settled
        self._ready_timeout = ready_timeout
        self._stop_grace = stop_grace
        self._processes: list[asyncio.subprocess.Process] = []
        self._spawns: list[asyncio.Task[asyncio.subprocess.Process]] = []
        self._terminated: set[int] = set()
        self._stop_started: float | None = None

    async def run(self) -> int:
        stop = asyncio.Event()

        def on_signal() -> None:
            self._terminate()  # at once: the 2 s start now, not when the loop gets to it
            stop.set()

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            asyncio.get_running_loop().add_signal_handler(signum, on_signal)
        self._watchdog = Watchdog()
        work = asyncio.create_task(self._start_and_watch())
        stopped = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({work, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if work.done():
                work.result()  # it only ends by raising
            print("Stopping local mode...", flush=True)
            return 0
        except RunFailed as error:
            print(f"local mode: {error}", file=sys.stderr, flush=True)
            return 1
        finally:
            await self._stop_all(work, stopped)

    async def _start_and_watch(self) -> None:
        services = {name for name, spec in self._specs.items() if spec.ready_url}
        ready: asyncio.Queue[str] = asyncio.Queue()
        done: set[str] = set()
        try:
            async with asyncio.TaskGroup() as group:
                if not services:
                    self._on_up(list(self._specs))
                while self._order.is_active():
                    for name in self._order.get_ready():
                        group.create_task(self._bring_up(self._specs[name], ready))
                    name = await ready.get()
                    self._order.done(name)
                    done.add(name)
                    if name in services and services <= done:
                        self._on_up([n for n in self._specs if n not in done])
                self._on_settled()
                # The services' watches go on inside the group until one of them fails.
        except ExceptionGroup as errors:
            failed, other = errors.split(RunFailed)
            if failed is None or other is not None:
                raise  # a bug, not a process's failure: its traceback
            raise failed.exceptions[0] from None

    async def _bring_up(self, spec: Spec, ready: asyncio.Queue[str]) -> None:
        process = await self._spawn(spec)
        if spec.ready_url is None:
            assert process.stdout is not None
            await self._echo(spec, process.stdout)
            status = await process.wait()
            if status != 0:
                raise RunFailed(f"{spec.name} failed (exit status {status}){_tail(spec.log)}")
            ready.put_nowait(spec.name)
            return
        await self._wait_ready(spec, process)
        ready.put_nowait(spec.name)
        status = await process.wait()
        if self._stop_started is None:
            raise RunFailed(f"{spec.name} stopped unexpectedly (status {status}){_tail(spec.log)}")

    async def _spawn(self, spec: Spec) -> asyncio.subprocess.Process:
        # The child runs before create_subprocess_exec returns: cancelled then, asyncio kills the
        # child but not its group, and the stop would never learn of either. So a spawn runs to
        # its registration whatever happens to its caller, and the stop waits for it.
        self._spawns.append(asyncio.create_task(self._spawn_registered(spec)))
        return await asyncio.shield(self._spawns[-1])

    async def _spawn_registered(self, spec: Spec) -> asyncio.subprocess.Process:
        spec.log.parent.mkdir(parents=True, exist_ok=True)
        with spec.log.open("ab") as log:
            process = await asyncio.create_subprocess_exec(
                *spec.argv,
                env=dict(spec.env),
                cwd=spec.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log if spec.ready_url else subprocess.PIPE,
                stderr=log,
                process_group=0,
                preexec_fn=functools.partial(_child_setup, os.getpid(), self._niceness(spec)),
            )
        # Registered before the next await, so that a stop cannot miss it.
        self._processes.append(process)
        self._watchdog.guard(process.pid)
        return process

    def _niceness(self, spec: Spec) -> int:
        """A task that nothing waits for (a first catalog load, an upload) runs at a lower CPU
        priority: on a busy start it yields to the processes whose readiness people wait for."""
        if spec.ready_url is None and spec.name not in self._waited_for:
            return NICENESS
        return 0

    async def _echo(self, spec: Spec, stream: asyncio.StreamReader) -> None:
        """A task's output: on the terminal after its name, and in its log."""
        with spec.log.open("ab") as log:
            async for line in stream:
                log.write(line)
                log.flush()
                print(f"[{spec.name}] {line.decode(errors='replace').rstrip()}", flush=True)

    async def _wait_ready(self, spec: Spec, process: asyncio.subprocess.Process) -> None:
        assert spec.ready_url is not None
        deadline = time.monotonic() + self._ready_timeout
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RunFailed(
                    f"{spec.name} exited (status {process.returncode}) before it was ready"
                    f"{_port_hint(spec)}{_tail(spec.log)}"
                )
            if await _answers_200(spec.ready_url):
                return
            await asyncio.sleep(0.2)
        raise RunFailed(
            f"{spec.name} was not ready within {self._ready_timeout:.0f} s "
            f"({spec.ready_url}){_tail(spec.log)}"
        )

    def _terminate(self) -> None:
        """SIGTERM each group not yet told to stop; from the first call on, nothing is restarted
        and a service that exits is not a failure."""
        if self._stop_started is None:
            self._stop_started = time.monotonic()
        groups = {process.pid for process in self._processes} - self._terminated
        _signal_groups(groups, signal.SIGTERM)
        self._terminated |= groups

    async def _stop_all(self, work: asyncio.Task[None], stopped: asyncio.Task[bool]) -> None:
        """SIGTERM every group at once, wait for them up to the grace, then SIGKILL the rest."""
        self._terminate()
        for task in (work, stopped):
            task.cancel()
        await asyncio.gather(work, stopped, return_exceptions=True)
        await asyncio.gather(*self._spawns, return_exceptions=True)
        self._terminate()  # a spawn under way when the stop came has registered by now
        groups = self._terminated
        assert self._stop_started is not None
        started = self._stop_started
        while live_groups(groups) and time.monotonic() < started + self._stop_grace:
            await asyncio.sleep(0.05)
        _signal_groups(live_groups(groups), signal.SIGKILL)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(process.wait() for process in self._processes)), timeout=0.3
            )
        self._watchdog.release()
        print(f"Stopped in {time.monotonic() - started:.1f} s.", flush=True)


def port_in_use(host: str, port: int) -> bool:
    """Whether binding ``port`` as the servers do fails (a port left in TIME_WAIT is free)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _port_hint(spec: Spec) -> str:
    """Why a service may have exited: another program took its port after local mode checked."""
    assert spec.ready_url is not None
    parts = urlsplit(spec.ready_url)
    if parts.hostname is None or parts.port is None or not port_in_use(parts.hostname, parts.port):
        return ""
    move = f": set {spec.port_variable} to another port" if spec.port_variable else ""
    return f"; port {parts.port} is in use by another program{move}"


def _tail(log: Path, lines: int = 8) -> str:
    """The end of a process's log, for the message that says it failed."""
    try:
        text = log.read_text(errors="replace").rstrip().splitlines()[-lines:]
    except OSError:
        return ""
    body = "\n".join(f"    {line}" for line in text)
    return f"; the end of {log}:\n{body}" if body else f"; see {log}"
