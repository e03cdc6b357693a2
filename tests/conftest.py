"""Shared fixtures: one gazetteer per test session, the CLI runner, sample paths."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def gazetteer_path(tmp_path_factory) -> Path:
    """The default gazetteer, built once (reused from EVENTCODER_GAZETTEER when set)."""
    from eventcoder.resolve.gazetteer import build_gazetteer

    env = os.environ.get("EVENTCODER_GAZETTEER")
    path = Path(env) if env else tmp_path_factory.mktemp("gaz") / "gazetteer.sqlite"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_gazetteer(path, progress=False)
    os.environ["EVENTCODER_GAZETTEER"] = str(path)
    return path


@pytest.fixture
def runner() -> CliRunner:
    """A click runner whose stderr is kept apart from stdout."""
    return CliRunner()
