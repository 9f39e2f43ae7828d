"""A real learning record store on 127.0.0.1 for the tests: Ralph's LRS (xAPI
1.0.3) with its file-system backend, run from its own virtualenv (``make test``
installs it). Statements are read back over the LRS's own xAPI API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
LRS_BIN = ROOT / ".venv-lrs" / "bin"
USERNAME, PASSWORD = "academy", "lrs-test-secret"
HEADERS = {"X-Experience-API-Version": "1.0.3"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lrs:
    def __init__(self, folder: Path):
        if not (LRS_BIN / "ralph").exists():
            pytest.fail("The test LRS is not installed: run `make test`.")
        self.folder = folder
        (folder / "data").mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(folder),
            "RALPH_AUTH_FILE": str(folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
        }
        subprocess.run(  # noqa: S603 - the test's own LRS
            [
                str(LRS_BIN / "ralph"),
                "auth",
                "-u",
                USERNAME,
                "-p",
                PASSWORD,
                "-s",
                "all",
                "-M",
                "mailto:lrs-admin@example.com",
                "-w",
            ],
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.process = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self) -> Lrs:
        self.log = open(self.folder / "lrs.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - the test's own LRS
            [
                str(LRS_BIN / "python"),
                str(Path(__file__).with_name("run_lrs.py")),
                str(self.port),
            ],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(
                    f"http://127.0.0.1:{self.port}/__lbheartbeat__", timeout=1
                ).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError((self.folder / "lrs.log").read_text()[-2000:])

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
            self.log.close()

    def statements(self, email: str | None = None, **params) -> list[dict]:
        """What the LRS stored, newest first (about ``email`` when given)."""
        if email:
            params["agent"] = json.dumps({"mbox": f"mailto:{email}"})
        answer = requests.get(
            f"{self.endpoint}statements",
            params={"limit": 100, **params},
            auth=(USERNAME, PASSWORD),
            headers=HEADERS,
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()["statements"]


@pytest.fixture
def lrs(tmp_path):
    server = Lrs(tmp_path / "lrs").start()
    yield server
    server.stop()
