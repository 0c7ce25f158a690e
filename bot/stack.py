"""Starts and stops the services the app needs: the Rasa server and the action server.

Used by `make run`, `make triage`, the tests and the benchmarks, so all of them run the same stack.
Also trains the Rasa model when the training data changed (`python -m bot.stack train`).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import httpx
import yaml
from sqlalchemy.engine import make_url

from bot.settings import PROJECT_ROOT, Settings, get_settings

RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin"
APP_PYTHON = Path(sys.executable)
SPACY_MODEL_DIR = PROJECT_ROOT / "build" / "spacy_xx"
MODEL_NAME = "wegweiser"
TRAINING_INPUTS = ("config.yml", "domain.yml", "nlu_data/nlu", "nlu_data/core", "nlu_data/entities", "nlu_components",
                   "scripts/build_spacy_model.py")
STARTUP_TIMEOUT = 240.0


class StackError(RuntimeError):
    pass


def _files(paths: tuple[str, ...], root: Path) -> list[Path]:
    found = []
    for rel in paths:
        path = root / rel
        # Bytecode caches appear when Rasa imports nlu_components; they are not training inputs.
        found += sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
    return found


def training_fingerprint(config: str = "config.yml", root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for path in _files((config,) + TRAINING_INPUTS[1:], root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_path(model_dir: Path, name: str = MODEL_NAME) -> Path:
    return model_dir / f"{name}.tar.gz"


def build_spacy_model() -> None:
    subprocess.run([str(RASA_BIN / "python"), "scripts/build_spacy_model.py", "nlu_data/entities",
                    str(SPACY_MODEL_DIR)], cwd=PROJECT_ROOT, check=True, stdout=sys.stderr)


def train(model_dir: Path | None = None, *, config: str = "config.yml", data: tuple[str, ...] = ("nlu_data/nlu",
          "nlu_data/core"), name: str = MODEL_NAME, force: bool = False) -> Path:
    """Train unless a model for exactly this data and config exists. Output goes to stderr."""
    model_dir = model_dir or get_settings().model_dir
    model_dir.mkdir(parents=True, exist_ok=True)
    # One trainer at a time per model directory; others wait and then reuse the fresh model.
    with open(model_dir / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _train_locked(model_dir, config, data, name, force)


def _train_locked(model_dir: Path, config: str, data: tuple[str, ...], name: str, force: bool) -> Path:
    target = model_path(model_dir, name)
    stamp = target.with_suffix(".fingerprint")
    fingerprint = training_fingerprint(config)
    if not force and target.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return target
    build_spacy_model()
    print(f"Training the Rasa model ({config}) ...", file=sys.stderr)
    subprocess.run([str(RASA_BIN / "rasa"), "train", "--config", config, "--domain", "domain.yml",
                    "--data", *data, "--out", str(model_dir), "--fixed-model-name", name],
                   cwd=PROJECT_ROOT, check=True, stdout=sys.stderr, env=_rasa_env())
    stamp.write_text(fingerprint)
    return target


def _rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"TF_CPP_MIN_LOG_LEVEL": "3", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "RASA_TELEMETRY_ENABLED": "false", "PYTHONWARNINGS": "ignore"})
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tracker_store_config(url: str) -> dict:
    """Rasa's SQLTrackerStore settings from a SQLAlchemy URL (sqlite or postgresql)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return {"type": "SQL", "dialect": "sqlite", "db": parsed.database}
    config = {"type": "SQL", "dialect": "postgresql", "url": parsed.host or "127.0.0.1",
              "port": parsed.port or 5432, "db": parsed.database, "username": parsed.username or "postgres"}
    if parsed.password:
        config["password"] = parsed.password
    return config


def lock_store_config(url: str) -> dict | None:
    if not url:
        return None
    parsed = make_url(url)
    return {"type": "redis", "url": parsed.host or "127.0.0.1", "port": parsed.port or 6379,
            "db": int(parsed.database or 0), "key_prefix": "wegweiser"}


@dataclass
class Stack:
    """A running Rasa server + action server pair."""
    settings: Settings
    rasa_port: int
    action_port: int
    persistent_trackers: bool = True
    processes: list[subprocess.Popen] = field(default_factory=list)
    log_dir: Path = PROJECT_ROOT / "var" / "logs"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def endpoints_file(self) -> Path:
        endpoints: dict = {"action_endpoint": {"url": f"http://127.0.0.1:{self.action_port}/webhook"}}
        if self.persistent_trackers:
            endpoints["tracker_store"] = tracker_store_config(self.settings.rasa_tracker_db_url)
        lock = lock_store_config(self.settings.rasa_lock_store_url)
        if lock:
            endpoints["lock_store"] = lock
        path = PROJECT_ROOT / "var" / f"endpoints.{self.rasa_port}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(endpoints))
        return path

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.{self.rasa_port}.log", "wb")
        self.processes.append(subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                               env=env, start_new_session=True))

    def start(self, model: Path) -> None:
        app_env = dict(os.environ, DATABASE_URL=self.settings.database_url)
        self._spawn("actions", [str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions",
                                "--port", str(self.action_port)], app_env)
        self._spawn("rasa", [str(RASA_BIN / "rasa"), "run", "--enable-api", "--model", str(model),
                             "--endpoints", str(self.endpoints_file()), "--credentials", "credentials.yml",
                             "--port", str(self.rasa_port), "--interface", "127.0.0.1"], _rasa_env())
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        checks = {f"http://127.0.0.1:{self.action_port}/health": lambda r: r.status_code == 200,
                  f"{self.rasa_url}/status": lambda r: r.status_code == 200 and bool(r.json().get("model_file"))}
        while checks and time.monotonic() < deadline:
            for proc in self.processes:
                if proc.poll() is not None:
                    code = proc.returncode
                    self.stop()  # do not leave the other service running
                    raise StackError(f"a service exited early (code {code}); see {self.log_dir}")
            for url, ok in list(checks.items()):
                try:
                    if ok(httpx.get(url, timeout=2)):
                        del checks[url]
                except (httpx.HTTPError, ValueError):
                    pass
            time.sleep(0.5)
        if checks:
            self.stop()
            raise StackError(f"services not ready after {STARTUP_TIMEOUT:.0f}s: {sorted(checks)}; see {self.log_dir}")

    def stop(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.processes.clear()


@contextmanager
def running_stack(settings: Settings | None = None, *, persistent_trackers: bool = True,
                  rasa_port: int | None = None, action_port: int | None = None,
                  model: Path | None = None) -> Iterator[Stack]:
    settings = settings or get_settings()
    model = model or train(settings.model_dir)
    stack = Stack(settings, rasa_port or free_port(), action_port or free_port(), persistent_trackers)
    stack.start(model)
    try:
        yield stack
    finally:
        stack.stop()


if __name__ == "__main__":
    if sys.argv[1:2] == ["train"]:
        print(train(force="--force" in sys.argv))
    else:
        sys.exit("usage: python -m bot.stack train [--force]")
