"""A real single-node Ceph cluster with a RADOS Gateway (S3), for the object-store tests.

One monitor, one OSD on `memstore` (objects in memory, nothing on disk but the monitor's small
store), no authentication inside the cluster (`auth … required = none`, then every messenger in
`crc` mode), and `radosgw` serving S3 on a free loopback port. An S3 user with known keys is created
with `radosgw-admin`, and one bucket. Debian's packages `ceph-mon`, `ceph-osd`, `radosgw` (and
`ceph-common`, which they bring) provide the programs; `.ci/run` installs them.

Every daemon runs in the foreground as a child of the test process and is stopped at the end.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PROGRAMS = ("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph", "monmaptool")
ACCESS_KEY = "KEELTESTACCESSKEY"
SECRET_KEY = "keel-test-secret-key-not-a-real-one"  # pragma: allowlist secret
START_TIMEOUT_S = 120.0


def missing_programs() -> list[str]:
    return [name for name in PROGRAMS if shutil.which(name) is None]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class CephGateway:
    """A running cluster; `endpoint` is the S3 address (`http://127.0.0.1:PORT`)."""

    directory: Path
    endpoint: str = ""
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def conf(self) -> Path:
        return self.directory / "ceph.conf"

    def start(self) -> None:
        mon_port, rgw_port = free_port(), free_port()
        fsid = str(uuid.uuid4())
        run_dir = self.directory / "run"
        run_dir.mkdir(parents=True)
        self.conf.write_text(_config(fsid, self.directory, mon_port, rgw_port), encoding="utf-8")
        monmap = self.directory / "monmap"
        address = f"[v2:127.0.0.1:{mon_port}]"
        self._run("monmaptool", "--create", "--fsid", fsid, "--addv", "a", address, str(monmap),
                  conf=False)  # fmt: skip
        self._run("ceph-mon", "--mkfs", "-i", "a", "--monmap", str(monmap))
        self._daemon("ceph-mon", "-f", "-i", "a")
        osd_id = self._run("ceph", "osd", "create", timeout=60).strip()
        (self.directory / f"osd{osd_id}").mkdir()
        self._run("ceph-osd", "-i", osd_id, "--mkfs")
        self._daemon("ceph-osd", "-f", "-i", osd_id)
        self._daemon("radosgw", "-f", "-n", "client.rgw")
        self.endpoint = f"http://127.0.0.1:{rgw_port}"
        self._wait_for_gateway()
        self._run(
            "radosgw-admin", "user", "create", "--uid", "keel", "--display-name", "Keel tests",
            "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY, timeout=60,
        )  # fmt: skip

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.processes.clear()

    def logs(self) -> str:
        """The tail of every daemon's log, for a failure message."""
        tails = []
        for log in sorted(self.directory.glob("*.log")):
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            tails.append(f"--- {log.name}\n" + "\n".join(lines))
        return "\n".join(tails)

    def _run(self, *command: str, conf: bool = True, timeout: float = 30) -> str:
        arguments = [command[0], *(["-c", str(self.conf)] if conf else []), *command[1:]]
        done = subprocess.run(
            arguments, capture_output=True, timeout=timeout, check=False, cwd=self.directory
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(arguments)} failed ({done.returncode}): "
                f"{done.stderr.decode(errors='replace')[-2000:]}\n{self.logs()}"
            )
        return done.stdout.decode()

    def _daemon(self, *command: str) -> None:
        arguments = [command[0], "-c", str(self.conf), *command[1:]]
        with (self.directory / f"{command[0]}.out").open("wb") as output:
            self.processes.append(
                subprocess.Popen(
                    arguments, stdout=output, stderr=subprocess.STDOUT, cwd=self.directory
                )
            )

    def _wait_for_gateway(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        last: Exception | None = None
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args!r} exited early\n{self.logs()}")
            try:
                if httpx.get(self.endpoint, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError as exc:
                last = exc
            time.sleep(0.5)
        raise RuntimeError(f"the RADOS Gateway did not answer in time ({last})\n{self.logs()}")


def _config(fsid: str, directory: Path, mon_port: int, rgw_port: int) -> str:
    return f"""[global]
fsid = {fsid}
mon host = v2:127.0.0.1:{mon_port}
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
ms cluster mode = crc
ms service mode = crc
ms client mode = crc
ms mon cluster mode = crc
ms mon service mode = crc
ms mon client mode = crc
ms bind msgr1 = false
public addr = 127.0.0.1
cluster addr = 127.0.0.1
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon data avail warn = 1
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 536870912
run dir = {directory}/run
log file = {directory}/$name.log
pid file = {directory}/run/$name.pid
admin socket = {directory}/run/$name.asok
mon data = {directory}/mon
osd data = {directory}/osd$id
keyring = /dev/null

[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:{rgw_port}
rgw dns name = 127.0.0.1
"""
