"""`python -m fastquiz.classroom_part JUNIT QUESTION PART`: exit 0 when the JUnit report of the
push's one grading run says the part passed, else 1 with its message. A step of the GitHub
Classroom workflow per part runs this, so each part earns its own points; it imports no torch
(the standard library only), and takes a few hundredths of a second."""
from __future__ import annotations

import sys
from xml.etree import ElementTree as ET


def part_outcome(junit: str, question: str, part: str) -> tuple[bool, str]:
    """(passed, what to print) for the part's test case in the JUnit report at `junit`."""
    try:
        suite = ET.parse(junit).getroot()
    except (OSError, ET.ParseError) as error:
        return False, f"no grading results in {junit} ({error}): see the log of the step 'Grade every answer'"
    for case in suite.iter("testcase"):
        if case.get("classname") == f"fastquiz.{question}" and case.get("name") == part:
            outcome = next((child for child in case if child.tag in ("failure", "error", "skipped")), None)
            if outcome is None:
                return True, f"{question} {part}: passed"
            return False, f"{question} {part}: {outcome.get('type') or 'not started'}: {outcome.get('message', '')}"
    return False, f"{question} {part}: not in {junit}: see the log of the step 'Grade every answer'"


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m fastquiz.classroom_part JUNIT QUESTION PART", file=sys.stderr)
        return 2
    passed, message = part_outcome(*argv)
    print(message)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
