"""Grade questions the way the test suite does, for a maintainer adding or editing one.

    python scripts/try_question.py q04 q05

For each question: the model answer (must pass with full points), the untouched stub
(must be not_started), every mutant in tests/variants (must not pass) and every
alternative (must pass). Prints one line per case and exits 1 if any case is wrong.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fastquiz.grader.question import resolve  # noqa: E402
from fastquiz.grader.runner import grade  # noqa: E402
from variants import variants  # noqa: E402


def case(module: str, label: str, text: str, want: str) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp)
        (workspace / f"{module}.py").write_text(text)
        result = grade(workspace, [module.split("_")[0]]).questions[0]
    ok = (result.status == "passed") if want == "pass" else (result.status == "not_started") if want == "stub" \
        else (result.status != "passed")
    print(f"{'ok ' if ok else 'BAD'} {module:<34} {label:<48} {result.status:<12} "
          f"{result.score}/{result.max_score} {result.message[:90]}")
    return ok


def main(ids: list[str]) -> int:
    mutants, alternatives = variants("MUTANTS"), variants("ALTERNATIVES")
    good = True
    for module in resolve(ids):
        solution = (ROOT / "solutions" / f"{module}.py").read_text()
        good &= case(module, "model answer", solution, "pass")
        good &= case(module, "stub", (ROOT / "exercises" / f"{module}.py").read_text(), "stub")
        for variant in mutants.get(module, []):
            good &= case(module, f"mutant: {variant.description}", variant.apply(solution), "fail")
        for variant in alternatives.get(module, []):
            good &= case(module, f"alternative: {variant.description}", variant.apply(solution), "pass")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
