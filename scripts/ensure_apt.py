#!/usr/bin/env python3
"""Make sure a Debian package's program is installed (apt-get as root when missing).

    ensure_apt.py PACKAGE PROGRAM [REQUIRED_ENV]

Exits 1 when PROGRAM is still missing and REQUIRED_ENV is set to 1 (in CI a missing browser
is a failure, never a skip); otherwise says what will be skipped and exits 0.
"""

import os
import shutil
import subprocess
import sys


def main(package: str, program: str, required_env: str = "") -> int:
    if os.path.exists(program):
        return 0
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"{program} chưa có: cài gói {package} bằng apt-get…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, env=env)
    if os.path.exists(program):
        return 0
    if required_env and os.environ.get(required_env) == "1":
        print(f"LỖI: không cài được {package} ({required_env}=1).", file=sys.stderr)
        return 1
    print(f"{program} không có: phần cần nó sẽ bị bỏ qua.")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
