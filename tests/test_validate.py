"""Loaders run once per content of their file (validate.once_per_content): the same bytes in
another folder share the frame, a file changed in place (same size) is read again, an error is
raised every time, a pipe is refused without waiting, and each caller's frame is its own; and
check returns the frame as its schema coerces it."""

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.validate import check, once_per_content, read_csv


@pytest.fixture
def counted():
    calls = []

    @once_per_content
    def reader(path, *args):
        calls.append((str(path), args))
        frame = read_csv(path)
        if (frame["n"] == "bad").any():
            raise DataError("bad row", path=path)
        return frame

    return reader, calls


def test_the_same_bytes_are_read_once_wherever_they_are(counted, tmp_path):
    reader, calls = counted
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "t.csv").write_text("n\n1\n")
    assert reader(tmp_path / "a" / "t.csv").equals(reader(tmp_path / "b" / "t.csv"))
    assert len(calls) == 1
    reader(tmp_path / "a" / "t.csv", {"2024": "x"})
    assert len(calls) == 2  # other arguments, another answer


def test_a_file_changed_in_place_is_read_again(counted, tmp_path):
    reader, calls = counted
    path = tmp_path / "t.csv"
    path.write_text("n\n1\n")
    assert reader(path)["n"].tolist() == ["1"]
    path.write_text("n\n2\n")  # same size, and likely the same modification time
    assert reader(path)["n"].tolist() == ["2"]
    assert len(calls) == 2


def test_an_error_is_raised_every_time_and_a_missing_file_named(counted, tmp_path):
    reader, calls = counted
    path = tmp_path / "t.csv"
    path.write_text("n\nbad\n")
    for _ in range(2):
        with pytest.raises(DataError, match="bad row"):
            reader(path)
    assert len(calls) == 2
    with pytest.raises(DataError, match="file not found"):
        reader(tmp_path / "missing.csv")


def test_keyword_arguments_are_part_of_the_key(tmp_path):
    calls = []

    @once_per_content
    def reader(path, scale=1):
        calls.append(scale)
        return read_csv(path).assign(n=lambda frame: frame["n"].astype(int) * scale)

    path = tmp_path / "t.csv"
    path.write_text("n\n2\n")
    assert [reader(path, scale=s)["n"].tolist() for s in (1, 3, 3)] == [[2], [6], [6]] and calls == [1, 3]


def test_each_caller_changes_only_its_own_frame(counted, tmp_path):
    reader, _ = counted
    path = tmp_path / "t.csv"
    path.write_text("n\n1\n")
    mine = reader(path)
    mine.loc[0, "n"] = "changed"
    assert reader(path)["n"].tolist() == ["1"]


def test_check_returns_the_frame_coerced():
    import pandera.pandas as pa

    schema = pa.DataFrameSchema({"n": pa.Column(int)}, coerce=True)
    assert check(pd.DataFrame({"n": ["1"]}), schema, path="t.csv")["n"].tolist() == [1]


def test_a_pipe_is_refused_without_waiting_for_it(counted, tmp_path):
    import os

    reader, calls = counted
    pipe = tmp_path / "t.csv"
    os.mkfifo(pipe)
    with pytest.raises(DataError, match="not a regular file"):
        reader(pipe)  # reading it would wait for a writer for ever
    assert calls == []
