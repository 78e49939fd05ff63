"""What the grader's processes do for themselves (grader/system.py): heavy imports with the cyclic
collector off, and the collector as it was after."""
from __future__ import annotations

import gc
import subprocess
import sys

from fastquiz.grader import system


def test_quick_imports_leave_the_collector_as_they_found_it_and_freeze_what_they_made():
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            frozen = gc.get_freeze_count()
            with system.quick_imports():
                assert not gc.isenabled()
                made = [[n] for n in range(1000)]  # objects the collector tracks
            assert gc.isenabled() is enabled
            assert gc.get_freeze_count() >= frozen + len(made)
        finally:
            gc.unfreeze()
            gc.enable()


def test_quick_imports_give_the_collector_back_when_an_import_fails():
    code = ("import gc, sys; from fastquiz.grader import system\n"
            "try:\n    with system.quick_imports(): import no_such_module_here\n"
            "except ImportError: pass\n"
            "sys.exit(0 if gc.isenabled() else 1)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
