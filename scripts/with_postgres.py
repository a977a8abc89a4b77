#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL cluster.

The cluster lives in a temporary directory owned by the ``postgres`` user (PostgreSQL refuses
to run as root), listens on 127.0.0.1 on a free port, and is removed afterwards. The command
gets ``MOTCUA_DATABASE_URL`` pointing at it. Without PostgreSQL the command is skipped, unless
``MOTCUA_REQUIRE_POSTGRES=1``, when that is a failure.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def find_bindir() -> str | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for bindir in candidates:
        if os.path.exists(os.path.join(bindir, "initdb")):
            return bindir
    initdb = shutil.which("initdb")
    return os.path.dirname(os.path.realpath(initdb)) if initdb else None


def install_postgres() -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    print("PostgreSQL chưa có: cài bằng apt-get…", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=False, env=env)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str]) -> int:
    required = os.environ.get("MOTCUA_REQUIRE_POSTGRES") == "1"
    bindir = find_bindir()
    if bindir is None:
        install_postgres()
        bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL không có trên máy này"
        if required:
            print(f"LỖI: {message} (MOTCUA_REQUIRE_POSTGRES=1).", file=sys.stderr)
            return 1
        print(f"BỎ QUA bộ kiểm thử PostgreSQL: {message}.")
        return 0

    run_as: list[str] = []
    owner = None
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    workdir = tempfile.mkdtemp(prefix="motcua-pg-")
    datadir = os.path.join(workdir, "data")
    if owner:
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
    port = free_port()
    log = os.path.join(workdir, "postgres.log")
    try:
        subprocess.run(
            [
                *run_as,
                f"{bindir}/initdb",
                "-D",
                datadir,
                "-U",
                "motcua",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [*run_as, f"{bindir}/pg_ctl", "-D", datadir, "-l", log, "-o", options, "-w", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            if (
                subprocess.run(
                    [f"{bindir}/pg_isready", "-h", "127.0.0.1", "-p", str(port)],
                    stdout=subprocess.DEVNULL,
                ).returncode
                == 0
            ):
                break
            time.sleep(0.1)
        subprocess.run(
            [f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "motcua", "motcua"],
            check=True,
        )
        env = {**os.environ, "MOTCUA_DATABASE_URL": f"postgres://motcua@127.0.0.1:{port}/motcua"}
        print(f"PostgreSQL tạm thời: 127.0.0.1:{port} ({bindir})", flush=True)
        return subprocess.run(argv, env=env).returncode
    finally:
        subprocess.run(
            [*run_as, f"{bindir}/pg_ctl", "-D", datadir, "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
