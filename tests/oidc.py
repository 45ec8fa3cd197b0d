"""A real OpenID Connect provider for the tests: `tests/oidc_provider` run as a second process.

    from tests.oidc import oidc_provider  # noqa: F401

    def test_single_sign_on(oidc_provider, live_server):
        oidc_provider.set_redirect_uris([f"{live_server.url}/accounts/oidc/<provider_id>/login/callback/"])
        oidc_provider.add_user("sam@example.org", "a password", name="Sam Example")
        # configure the app with oidc_provider.issuer, .client_id and .client_secret, then sign in

One provider per test session and pytest-xdist worker, with its own database in a temporary folder. Its
client accepts no redirect URI until `set_redirect_uris` names some, and each call replaces the list.
"""

import os
import secrets
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60  # seconds: it migrates its own database first, slow on a busy machine
CLIENT_ID = "jtai-tracker-tests"


def _environment() -> dict[str, str]:
    """Enough to run Python, and nothing of the app's: no DJANGO_SETTINGS_MODULE, no DATABASE_URL."""
    return {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ}


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.oidc_provider", *args]


@dataclass(frozen=True)
class OidcProvider:
    """A running provider: where it is, its one client's credentials, and how to change its users and client."""

    port: int
    client_id: str
    client_secret: str
    database: Path
    log: Path  # the server's stderr: its request log and any traceback

    @property
    def issuer(self) -> str:
        """The issuer, as in the discovery document and every ID token's `iss`; allauth's `server_url`."""
        return f"http://127.0.0.1:{self.port}/o"

    def add_user(self, email: str, password: str, name: str = "Sam Example", verified: bool = True) -> None:
        """Add a user who signs in with this email address and password; their claims say this name."""
        self._run(
            "adduser", "--email", email, "--password", password, "--name", name, *([] if verified else ["--unverified"])
        )

    def set_redirect_uris(self, uris: list[str]) -> None:
        """Replace the redirect URIs the client accepts (exact matches, except any port on 127.0.0.1)."""
        self._run(
            "redirect-uris", "--client-id", self.client_id, *[arg for uri in uris for arg in ("--redirect-uri", uri)]
        )

    def _run(self, *args: str) -> None:
        command, *rest = args
        # Our own module, run by this interpreter.
        result = subprocess.run(  # noqa: S603
            _command(command, "--db", str(self.database), *rest),
            cwd=REPO,
            env=_environment(),
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )
        if result.returncode:
            raise RuntimeError(f"The OpenID Connect provider's {command} failed:\n{result.stderr}")


def _start_failed(process: subprocess.Popen, log: Path, never: str) -> RuntimeError:
    try:
        state = f"stopped (exit code {process.wait(timeout=1)})"
    except subprocess.TimeoutExpired:
        state = f"was still starting after {START_TIMEOUT} s"
    return RuntimeError(f"The OpenID Connect provider {state}: it never {never}. Its log ({log}):\n{log.read_text()}")


def _wait_for_port(process: subprocess.Popen, log: Path, deadline: float) -> int:
    """The port the provider prints once it has bound it, migrated its database and made its client."""
    while (remaining := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([process.stdout], [], [], remaining)
        if not readable:
            break
        line = process.stdout.readline()
        if line.startswith("listening on "):
            return int(line.split()[-1])
        if not line:  # the process ended
            break
    raise _start_failed(process, log, "said which port it listens on")


def _wait_for_discovery(issuer: str, process: subprocess.Popen, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise _start_failed(process, log, "answered at its discovery address")


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """Start the provider, wait until its discovery document answers, and stop it after the session."""
    folder = tmp_path_factory.mktemp("oidc_provider")
    database, log = folder / "provider.sqlite3", folder / "provider.log"
    client_secret = secrets.token_urlsafe(32)
    with log.open("w") as log_file:
        # Our own module, run by this interpreter; stdout brings the port, stderr goes to the log.
        process = subprocess.Popen(  # noqa: S603
            # "=": a secret may begin with "-", which argparse would read as an option
            _command(
                "--port", "0", "--db", str(database), "--client-id", CLIENT_ID, f"--client-secret={client_secret}"
            ),
            cwd=REPO,
            env=_environment(),
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        port = _wait_for_port(process, log, deadline)
        provider = OidcProvider(port, CLIENT_ID, client_secret, database, log)
        _wait_for_discovery(provider.issuer, process, log, deadline)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
