"""Shared fixtures: the repository, the built command line (to compare the
package with it and to make an event store), the reference article."""

import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
SEED = REPO / "tests" / "fixtures" / "seed" / "article.txt"
EXAMPLES = REPO / "examples"


def _binary():
    given = os.environ.get("WARCODER_BIN")
    if given:
        return pathlib.Path(given)
    return REPO / "target" / "release" / "warcoder"


@pytest.fixture(scope="session")
def warcoder_bin():
    """The `warcoder` command line. Missing: the tests that compare with it
    skip, unless WARCODER_PYTHON_TESTS=required (CI), where they fail."""
    path = _binary()
    if not path.is_file():
        message = f"no warcoder binary at {path}: run `cargo build --release` or set WARCODER_BIN"
        if os.environ.get("WARCODER_PYTHON_TESTS") == "required":
            pytest.fail(message)
        pytest.skip(message)
    return path


def run_cli(binary, *args, stdin=None):
    """Run the command line; its stdout. Fails the test on a non-zero exit."""
    done = subprocess.run(
        [str(binary), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "WARCODER_OVERLAY": "none"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def examples_db(warcoder_bin, tmp_path_factory):
    """An event store made by `warcoder ingest examples/`."""
    db = tmp_path_factory.mktemp("store") / "events.db"
    run_cli(warcoder_bin, "ingest", EXAMPLES, "--db", db)
    return db


@pytest.fixture(autouse=True, scope="session")
def _no_overlay():
    """The package reads the user's gazetteer overlay as the command line
    does: keep it out of the comparisons."""
    old = os.environ.get("WARCODER_OVERLAY")
    os.environ["WARCODER_OVERLAY"] = "none"
    yield
    if old is None:
        del os.environ["WARCODER_OVERLAY"]
    else:
        os.environ["WARCODER_OVERLAY"] = old


@pytest.fixture
def in_examples_dir(examples_db, tmp_path, monkeypatch):
    """A fresh directory holding `events.db` (from examples/) and a copy of
    examples/, as the docs' example expects after `warcoder ingest`."""
    shutil.copy(examples_db, tmp_path / "events.db")
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path
