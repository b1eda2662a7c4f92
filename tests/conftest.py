import shutil

import pytest

from analysis import paths


@pytest.fixture
def data_copy(tmp_path):
    """A copy of data/ (package, raw and reference files) that a test may damage."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target
