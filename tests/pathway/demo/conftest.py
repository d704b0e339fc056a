"""One small demo workspace, built once per test process and only read by its tests."""

from __future__ import annotations

import pytest

from demoworkspace import Demo, small_demo


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return small_demo(tmp_path_factory.mktemp("demo") / "demo")
