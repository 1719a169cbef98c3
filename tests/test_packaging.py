"""The production install of the README: a wheel built from a clean copy of the sources,
installed with the hash-checked runtime lock into a new virtual environment outside the
checkout, migrates an empty database and serves its first pages under gunicorn."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _source_copy(target: Path) -> Path:
    """The files git knows, as a clean clone would have them (no .mo, no build leftovers)."""
    listed = _run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT).splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for compiled in target.glob("forum/translations/*/LC_MESSAGES/*.mo"):
        compiled.unlink()
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # nosec B310: loopback only
        return response.status, response.read().decode()


@pytest.mark.slow
def test_wheel_installs_outside_the_checkout_and_serves_thai_pages(tmp_path):
    source = _source_copy(tmp_path / "source")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"),
          str(source)])
    (wheel,) = (tmp_path / "dist").glob("prachakhom-*.whl")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    _run([*pip, "--require-hashes", "-r", str(ROOT / "requirements.lock")])
    _run([*pip, "--no-deps", str(wheel)])

    site = tmp_path / "site"  # the working folder of the server: no sources anywhere near
    site.mkdir()
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(site),
        "DATABASE_URL": f"sqlite:///{site / 'prachakhom.sqlite'}",
        "SECRET_KEY": "wheel-test",
        "PRACHAKHOM_INSTANCE_PATH": str(site / "instance"),
    }
    flask = str(venv / "bin" / "flask")
    _run([flask, "--app", "forum", "db", "upgrade"], cwd=site, env=env)
    _run([flask, "--app", "forum", "import-catalogs"], cwd=site, env=env)

    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [str(venv / "bin" / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "forum:create_app()"],
            cwd=site, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, page = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not come up:\n{log.read_text()}")
                time.sleep(0.3)
        assert status == 200
        assert "จากเวทีประชาคมสู่แผนพัฒนาท้องถิ่น" in page  # template and compiled Thai catalog
        status, catalog = _get(f"http://127.0.0.1:{port}/api/organizations/ban-on/catalog")
        assert status == 200 and '"strategies"' in catalog
        status, _login = _get(f"http://127.0.0.1:{port}/login")
        assert status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert (site / "instance").is_dir()  # PRACHAKHOM_INSTANCE_PATH, not a folder of the venv
