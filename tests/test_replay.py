"""The randomised parts' examples kept between runs (grader/replay.py's `Store`): what a later check
replays is exactly what hypothesis draws, and a file that is missing, broken or can't be written
costs only the time to draw them again."""
from __future__ import annotations

import importlib
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from fastquiz.grader import replay
from fastquiz.grader.checks import __path__ as CHECKS_PATH
from fastquiz.grader.replay import Store

ROOT = Path(__file__).resolve().parents[1]
CHECKS = Path(CHECKS_PATH[0])


def same(a, b) -> bool:
    """Equal values of the same types, nan equal to nan, tensors and arrays by dtype, shape and bytes."""
    if type(a) is not type(b):
        return False
    if isinstance(a, torch.Tensor):
        return same(a.detach().numpy(), b.detach().numpy())
    if isinstance(a, np.ndarray):  # the same bytes: no tolerance, and nan where nan was
        return a.dtype == b.dtype and a.shape == b.shape and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


EXAMPLES = {
    "q01::test_a": [((3, -1.5, float("nan"), float("inf")), {"flag": True, "text": "x"})],
    "q02::test_b": [(([1, 2], (3, (4,)), {"k": [None]}), {}), ((torch.arange(6.0).reshape(2, 3),), {})],
    "q03::test_c": [((np.array([[1, 2]], dtype=np.int16), 2 ** 70), {})],
}


def test_what_is_saved_loads_back_the_same(tmp_path):
    source = tmp_path / "q01_x.py"
    source.write_text("A = 1\n")
    Store(tmp_path / "kept", [source]).save(EXAMPLES)
    assert same(Store(tmp_path / "kept", [source]).load(), EXAMPLES)


def test_a_part_whose_examples_are_not_plain_values_is_left_out(tmp_path):
    store = Store(tmp_path, [])
    store.save({**EXAMPLES, "q04::test_d": [((object(),), {})]})
    assert same(store.load(), EXAMPLES)


def test_a_changed_check_or_library_keeps_its_examples_in_a_new_file_and_the_old_one_goes(tmp_path):
    source = tmp_path / "q01_x.py"
    source.write_text("A = 1\n")
    before = Store(tmp_path / "kept", [source])
    before.save(EXAMPLES)
    source.write_text("A = 2\n")
    after = Store(tmp_path / "kept", [source])
    assert after.path != before.path and after.load() == {}
    after.save(EXAMPLES)
    assert [p.name for p in (tmp_path / "kept").iterdir()] == [after.path.name]


@pytest.mark.parametrize("content", [b"", b"\x00\x00\x00\x05{]x", b"not a message at all",
                                     b"\x00\x00\x00\x0b{\"sizes\":[]}", b"\x00\x00\x00\x1f{\"payload\":{\"int\":\"1\"},\"sizes\":[]}"])
def test_a_broken_file_is_as_good_as_none(tmp_path, content):
    store = Store(tmp_path, [])
    store.path.write_bytes(content)
    assert store.load() == {}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_folder_that_cant_be_written_keeps_nothing_and_says_nothing(tmp_path):
    tmp_path.chmod(0o500)
    try:
        Store(tmp_path, []).save(EXAMPLES)
        assert list(tmp_path.iterdir()) == []
    finally:
        tmp_path.chmod(0o700)


def test_a_folder_that_is_a_file_keeps_nothing_and_says_nothing(tmp_path):
    (tmp_path / "file").write_text("")
    store = Store(tmp_path / "file" / "examples", [])
    store.save(EXAMPLES)
    assert store.load() == {}


def _check(cache: Path, *extra: str) -> dict:
    report = cache.parent / f"check{len(extra)}.json"
    subprocess.run([sys.executable, "-m", "fastquiz", "check", "--workspace", str(ROOT / "solutions"),
                    "--json", str(report), *extra], env={**os.environ, "XDG_CACHE_HOME": str(cache)},
                   cwd=cache.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return {q["id"]: [(p["name"], p["status"], p["score"]) for p in q["parts"]]
            for q in json.loads(report.read_text())["questions"]}


@pytest.fixture(scope="module")
def first_check(tmp_path_factory):
    cache = tmp_path_factory.mktemp("replay") / "cache"
    return cache, _check(cache)


def test_a_check_keeps_exactly_the_examples_hypothesis_draws_for_every_randomised_part(first_check):
    cache, _ = first_check
    [kept] = (cache / "fastquiz" / "examples").iterdir()
    stored = wire_decode(kept)
    drawn = {}
    for module in sorted(CHECKS.glob("[qr][0-9]*.py")):
        checks = importlib.import_module(f"fastquiz.grader.checks.{module.stem}")
        for name, test in vars(checks).items():
            if name.startswith("test_") and hasattr(test, "hypothesis"):
                replay.pin_seed(test)  # as the plugin does for every part
                drawn[f"{module.stem.split('_')[0]}::{name}"] = replay.record(test, {"student": None})
    assert len(drawn) > 40 and stored.keys() == {k for k, v in drawn.items() if v}
    assert all(same(stored[k], drawn[k]) for k in stored)


def wire_decode(path: Path) -> dict:
    from fastquiz.grader import wire

    return wire.decode(*wire.parse(path.read_bytes()))


def test_the_next_check_replays_them_and_grades_alike(first_check):
    cache, verdicts = first_check
    [kept] = (cache / "fastquiz" / "examples").iterdir()
    written = kept.stat().st_mtime_ns
    assert _check(cache) == verdicts
    assert kept.stat().st_mtime_ns == written  # read, not drawn and written again
    assert all(status == "passed" for parts in verdicts.values() for _, status, _ in parts)


def test_a_broken_file_is_drawn_again_and_replaced(first_check):
    cache, verdicts = first_check
    [kept] = (cache / "fastquiz" / "examples").iterdir()
    before = wire_decode(kept)
    kept.write_bytes(b"\x00\x00\x00\x02{}garbage")
    assert _check(cache) == verdicts
    assert same(wire_decode(kept), before)


def test_a_check_of_some_questions_draws_theirs_and_keeps_the_others(tmp_path):
    cache = tmp_path / "cache"
    _check(cache, "q08")
    [kept] = (cache / "fastquiz" / "examples").iterdir()
    assert {key.split("::")[0] for key in wire_decode(kept)} == {"q08"}  # only q08's checks were collected
    _check(cache, "q04")
    assert {key.split("::")[0] for key in wire_decode(kept)} == {"q04", "q08"}
