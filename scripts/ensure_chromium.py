#!/usr/bin/env python3
"""Make sure Debian's Chromium is installed for the browser tests (apt-get as root)."""

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Chromium chưa có: cài bằng apt-get…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env)
    if os.path.exists(CHROMIUM):
        return 0
    if os.environ.get("MOTCUA_REQUIRE_BROWSER") == "1":
        print("LỖI: không cài được Chromium (MOTCUA_REQUIRE_BROWSER=1).", file=sys.stderr)
        return 1
    print("Chromium không có: các kiểm thử trình duyệt sẽ bị bỏ qua.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
