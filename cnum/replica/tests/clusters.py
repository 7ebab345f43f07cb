"""A throwaway PostgreSQL primary and its streaming replica, built with PostgreSQL's own tools
(initdb, pg_basebackup -R, pg_ctl) under a temporary directory, on free ports.

The machine's main cluster is never touched. The servers run as the `postgres` OS user when
the tests run as root (initdb refuses root).
"""

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg


def pg_bin(name):
    """The newest server binaries installed (Debian keeps them out of the PATH)."""
    for directory in sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    ):
        if (directory / name).is_file():
            return str(directory / name)
    return shutil.which(name)


def available():
    """Why these clusters cannot be built here, or None."""
    if not all(pg_bin(name) for name in ("initdb", "pg_ctl", "pg_basebackup")):
        return "initdb, pg_ctl et pg_basebackup (serveur PostgreSQL) sont introuvables."
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "initdb refuse root et il n'y a pas d'utilisateur système « postgres »."
        if not shutil.which("runuser"):
            return "runuser est introuvable (util-linux)."
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(*command):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(  # noqa: S603 — PostgreSQL's own tools, arguments built here
        [*prefix, *command], check=True, capture_output=True, text=True, timeout=120
    )


@dataclass
class Clusters:
    root: Path
    primary_port: int
    replica_port: int
    database: str = "cnum"

    def url(self, port):
        return f"postgres://postgres@127.0.0.1:{port}/{self.database}"

    @property
    def primary_url(self):
        return self.url(self.primary_port)

    @property
    def replica_url(self):
        return self.url(self.replica_port)

    def connect(self, port, dbname=None):
        return psycopg.connect(
            host="127.0.0.1",
            port=port,
            user="postgres",
            dbname=dbname or self.database,
            autocommit=True,
            connect_timeout=5,
        )

    # Lifecycle ------------------------------------------------------------------------------

    def create_primary(self):
        data = self.root / "primary"
        _as_server_user(
            pg_bin("initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.primary_port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\n"
                "wal_level = replica\nmax_wal_senders = 5\nwal_keep_size = '128MB'\n"
                "fsync = off\nsynchronous_commit = off\n"
            )
        with (data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        self.start("primary")
        with self.connect(self.primary_port, "postgres") as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')

    def load(self, source_url):
        """The schema and data of another database (the test database), into the primary."""
        dump = subprocess.Popen(  # noqa: S603
            [pg_bin("pg_dump"), "--format=custom", f"--dbname={source_url}"],
            stdout=subprocess.PIPE,
        )
        subprocess.run(  # noqa: S603
            [
                pg_bin("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={self.primary_url}",
            ],
            stdin=dump.stdout,
            check=True,
            capture_output=True,
            timeout=300,
        )
        dump.stdout.close()
        if dump.wait(timeout=60):
            raise RuntimeError("pg_dump de la base de test a échoué")

    def create_replica(self):
        data = self.root / "replica"
        _as_server_user(
            pg_bin("pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "-D",
            str(data),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "--no-sync",
        )
        with (data / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"port = {self.replica_port}\nhot_standby = on\n")
        self.start("replica")
        self.wait_for_streaming()

    def start(self, name):
        _as_server_user(
            pg_bin("pg_ctl"),
            "-D",
            str(self.root / name),
            "-l",
            str(self.root / f"{name}.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, name, mode="fast"):
        _as_server_user(pg_bin("pg_ctl"), "-D", str(self.root / name), "-m", mode, "-w", "stop")

    def wait_for_streaming(self, timeout=60):
        deadline = time.monotonic() + timeout
        with self.connect(self.primary_port) as conn:
            while time.monotonic() < deadline:
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                ).fetchone()
                if row[0]:
                    return
                time.sleep(0.2)
        raise RuntimeError("la réplique ne s'est pas mise à suivre la base principale")

    def remove(self):
        for name in ("replica", "primary"):
            if (self.root / name / "postmaster.pid").exists():
                with contextlib.suppress(subprocess.CalledProcessError):
                    self.stop(name, mode="immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def build(source_url):
    """Primary (loaded with source_url's schema and data) and replica, streaming."""
    root = Path(tempfile.mkdtemp(prefix="cnum-replique-"))
    if os.geteuid() == 0:
        server = pwd.getpwnam("postgres")
        os.chown(root, server.pw_uid, server.pw_gid)
    clusters = Clusters(root, free_port(), free_port())
    try:
        clusters.create_primary()
        clusters.load(source_url)
        clusters.create_replica()
    except BaseException:
        clusters.remove()
        raise
    return clusters
