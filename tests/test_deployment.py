"""docker-compose.yml cannot run here (no Docker engine); these checks keep it consistent with the code:
the services `make run` starts plus the console, pinned images, secrets required rather than defaulted."""
from pathlib import Path

import pytest
import yaml

from bot.console.__main__ import unsafe_configuration
from bot.settings import PROJECT_ROOT, Settings

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]


def test_compose_has_every_service_of_the_stack():
    assert {"postgres", "redis", "rasa", "actions", "bot", "console"} <= set(SERVICES)
    assert SERVICES["rasa"]["image"] == "rasa/rasa:3.6.21-full"


def test_images_are_pinned_and_app_services_build_from_the_repo():
    for name, service in SERVICES.items():
        if "image" in service:
            assert ":" in service["image"] and not service["image"].endswith(":latest"), name
        else:
            assert (PROJECT_ROOT / service["build"]["dockerfile"]).is_file(), name


def test_python_entry_points_exist():
    for name in ("bot", "console", "actions"):
        command = SERVICES[name]["command"]
        module = command[command.index("-m") + 1]
        assert module == "rasa_sdk" or (Path(PROJECT_ROOT, *module.split(".")) / "__main__.py").is_file() \
            or Path(PROJECT_ROOT, *module.split(".")).with_suffix(".py").is_file(), name


def test_console_secret_is_required_and_only_published_on_loopback():
    console = SERVICES["console"]
    assert ":?" in console["environment"]["CONSOLE_SECRET_KEY"]
    assert all(port.startswith("127.0.0.1:") for port in console["ports"])


@pytest.mark.parametrize("host, secret, refused", [
    ("127.0.0.1", "change-me-console-secret", False),   # a developer's machine
    ("0.0.0.0", "change-me-console-secret", True),      # the default secret, reachable by others
    ("0.0.0.0", "short", True),
    ("0.0.0.0", "x" * 48, False),
])
def test_console_refuses_the_default_secret_off_loopback(host, secret, refused):
    settings = Settings(console_host=host, console_secret_key=secret)
    assert (unsafe_configuration(settings) is not None) == refused
