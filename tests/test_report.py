"""`fastquiz report`: one self-contained HTML page with the score, what to fix, plots of the
student's own code and their explanations, which a real browser renders offline."""
from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from fastquiz.cli import main
from fastquiz.grader.question import load_questions
from fastquiz.report.explanations import read_explain
from fastquiz.workspace import answer_files, solutions_dir

CHROMIUM = Path("/usr/bin/chromium")
PLOTS = 8  # sigmoid, plot_sigmoid, ReLU, plot_relu, mean digits, training curves, confusion matrix, wrong digits
PNG = b"\x89PNG\r\n\x1a\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def fresh(folder: Path) -> Path:
    assert run("init", str(folder)).exit_code == 0
    return folder


class _Resources(HTMLParser):
    """Every tag's src and href, and every <img>'s src."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href"):
                self.links.append(value or "")
                if tag == "img":
                    self.images.append(value or "")


def resources(page: str) -> _Resources:
    parser = _Resources()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def model_report(tmp_path_factory) -> Path:
    """The report of a workspace holding every model answer (graded once for the module)."""
    workspace = fresh(tmp_path_factory.mktemp("model") / "answers")
    for answer in answer_files(solutions_dir()):
        shutil.copy(answer, workspace / answer.name)
    out = workspace.parent / "report.html"
    started = time.monotonic()
    result = run("report", "--workspace", str(workspace), "--out", str(out))
    print(f"report of the model answers, grading included: {time.monotonic() - started:.1f} s")
    assert result.exit_code == 0, result.output
    return out


def test_the_model_answers_report_has_the_full_score_and_a_row_per_question(model_report):
    page = model_report.read_text()
    questions = load_questions()
    total = sum(q.points for q in questions)
    assert f"{total}<small> / {total} points" in page
    for question in questions:
        row = re.search(rf'<tr id="row-{question.id}">(.*?)</tr>', page, re.S)
        assert row, f"no row for {question.id}"
        assert escape(question.title) in row.group(1) and "passed" in row.group(1)
        assert f"{question.points}/{question.points}" in row.group(1)


def test_every_plot_of_the_model_answers_is_an_embedded_png(model_report):
    page = model_report.read_text()
    images = resources(page).images
    assert len(images) == PLOTS and "No plot:" not in page
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG)


def test_the_model_answers_explanations_are_shown_for_every_question(model_report):
    page = model_report.read_text()
    for question in load_questions():
        text = read_explain(solutions_dir() / f"{question.module}.py")
        assert text and page.count(escape(text)) == 2, question.id  # the student's, and the model answer


def test_the_page_references_nothing_on_the_web(model_report):
    page = model_report.read_text()
    links = resources(page).links
    assert links and all(link.startswith(("data:", "#")) for link in links), \
        [link[:60] for link in links if not link.startswith(("data:", "#"))]
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*https?://""", page, re.I)
    assert not re.search(r"url\(|@import", page)


def test_a_fresh_workspace_gets_notes_instead_of_plots_and_exits_zero(tmp_path):
    workspace = fresh(tmp_path / "answers")
    result = run("report", "--workspace", str(workspace))
    assert result.exit_code == 0, result.output
    page = (workspace / "report.html").read_text()
    assert "data:image" not in page and not resources(page).images
    assert page.count("No plot:") == PLOTS and "not started yet" in page
    assert f"0<small> / {sum(q.points for q in load_questions())} points" in page


def test_model_explanations_open_only_for_questions_that_pass_and_early_hints_are_listed(tmp_path):
    workspace = fresh(tmp_path / "answers")
    shutil.copy(solutions_dir() / "q04_list_comprehension.py", workspace)
    assert run("hint", "q14", "--level", "2", "--force", "--workspace", str(workspace)).exit_code == 0
    assert run("report", "--workspace", str(workspace)).exit_code == 0
    page = (workspace / "report.html").read_text()
    for question in load_questions():
        shown = page.count(escape(read_explain(solutions_dir() / f"{question.module}.py")))
        assert shown == (2 if question.id == "q04" else 0), question.id  # q04's: the student's copy and the model's
    assert "Opens once your answer passes" in page and "q14 (hint 2)" in page


def test_the_report_says_which_digits_r2_was_judged_on(tmp_path, monkeypatch):
    for variable in ("FASTQUIZ_DATA", "FASTAI_HOME"):  # no full MNIST anywhere
        monkeypatch.setenv(variable, str(tmp_path / "empty"))
    monkeypatch.delenv("FASTQUIZ_MNIST", raising=False)
    workspace = fresh(tmp_path / "answers")
    assert run("report", "--workspace", str(workspace)).exit_code == 0
    assert "Judged on the embedded digits" in (workspace / "report.html").read_text()


def test_a_workspace_given_by_a_relative_path_gets_its_plots(tmp_path, monkeypatch):
    """Workers run in a scratch folder of their own: the answer's path must not depend on the current one."""
    workspace = fresh(tmp_path / "answers")
    for module in ("q21_sigmoid", "q34_relu"):
        shutil.copy(solutions_dir() / f"{module}.py", workspace / f"{module}.py")
    monkeypatch.chdir(tmp_path)
    result = run("report", "--workspace", "answers", "--out", "report.html")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "report.html").read_text()
    assert len(resources(page).images) == 4 and "No plot: q21" not in page and "No plot: q34" not in page


def test_a_syntax_error_in_q21_still_yields_a_report_with_its_message_and_first_hint(tmp_path):
    workspace = fresh(tmp_path / "answers")
    module = "q21_sigmoid"
    broken = (solutions_dir() / f"{module}.py").read_text().replace("def sigmoid(x", "def sigmoid(x(")
    (workspace / f"{module}.py").write_text(broken)
    result = run("report", "--workspace", str(workspace), "--out", str(tmp_path / "report.html"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "report.html").read_text()
    row = re.search(r'<tr id="row-q21">(.*?)</tr>', page, re.S).group(1)
    assert "error" in row and "SyntaxError" in row
    fix = re.search(r'<div class="fix error">(.*?)</div>', page, re.S).group(1)
    q21 = next(q for q in load_questions() if q.id == "q21")
    assert "SyntaxError" in fix and escape(q21.hints[0]) in fix
    assert re.search(r'class="note">No plot: q21: SyntaxError', page)
    assert f"{module}.py has a syntax error" in page  # in place of the EXPLAIN, which can't be read


def test_a_known_mistake_is_named_under_its_questions_message(tmp_path):
    from fastquiz.grader.diagnosis import words
    from variants import variants

    workspace = fresh(tmp_path / "answers")
    mutant = variants("MUTANTS")["q07_rmse_l1"][0]
    (workspace / "q07_rmse_l1.py").write_text(mutant.apply((solutions_dir() / "q07_rmse_l1.py").read_text()))
    assert run("report", "--workspace", str(workspace)).exit_code == 0
    fix = re.search(r'<div class="fix failed">(.*?)</div>', (workspace / "report.html").read_text(), re.S).group(1)
    assert f'<p class="diagnosis">{escape(words(mutant.description))}</p>' in fix


def test_a_students_explanation_is_shown_as_text_never_as_markup(tmp_path):
    workspace = fresh(tmp_path / "answers")
    answer = workspace / "q04_list_comprehension.py"
    mine = 'A <script>alert("x")</script> list & a <img src="https://example.com/x.png">'
    answer.write_text(answer.read_text().replace('EXPLAIN = """\n"""', f'EXPLAIN = """\n{mine}\n"""'))
    assert run("report", "--workspace", str(workspace)).exit_code == 0
    page = (workspace / "report.html").read_text()
    assert escape(mine) in page and "<script" not in page and not resources(page).images


def test_a_second_report_reuses_the_grades_of_unchanged_files(tmp_path, monkeypatch):
    workspace = fresh(tmp_path / "answers")
    assert run("report", "--workspace", str(workspace)).exit_code == 0

    def no_grading(*args):
        raise AssertionError("graded again although no file changed")

    monkeypatch.setattr("fastquiz.commands.check.grade_and_remember", no_grading)
    result = run("report", "--workspace", str(workspace), "--out", str(tmp_path / "again.html"))
    assert result.exit_code == 0, result.output


def test_the_report_never_replaces_an_answer_file(tmp_path):
    workspace = fresh(tmp_path / "answers")
    answer = workspace / "q04_list_comprehension.py"
    before = answer.read_text()
    result = run("report", "--workspace", str(workspace), "--out", str(answer))
    assert result.exit_code == 2 and "never replaces" in result.output
    assert answer.read_text() == before


# -- a real browser ---------------------------------------------------------------------------
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]
CSP_OPENING = "default-src 'none';"
# Records, into attributes of <body>, how many images loaded and every error the page met.
PROBE = """<script>
(() => {
  const errors = [];
  window.addEventListener("error", (e) => errors.push(e.message || `failed to load ${e.target.tagName}`), true);
  document.addEventListener("securitypolicyviolation", (e) => errors.push(`blocked ${e.blockedURI}`));
  const original = console.error.bind(console);
  console.error = (...args) => { errors.push(args.join(" ")); original(...args); };
  window.addEventListener("load", () => {
    const images = Array.from(document.images);
    document.body.dataset.images = images.length;
    document.body.dataset.loaded = images.filter((i) => i.complete && i.naturalWidth > 0).length;
    document.body.dataset.errors = JSON.stringify(errors);
  });
})();
</script>"""


def chromium(page: Path, action: str, profile: Path) -> subprocess.CompletedProcess:
    """Chromium, headless and offline-minded, on a file: `action` is --dump-dom or --screenshot=PNG."""
    return subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,4000",
                           action, page.resolve().as_uri()], capture_output=True, text=True, timeout=120)


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium package (/usr/bin/chromium)")
def test_chromium_shows_every_image_with_no_console_error(model_report, tmp_path):
    screenshot = tmp_path / "report.png"
    shown = chromium(model_report, f"--screenshot={screenshot}", tmp_path / "profile-shot")
    assert shown.returncode == 0 and screenshot.is_file(), shown.stderr[-2000:]
    assert not console_lines(shown.stderr)

    from PIL import Image

    with Image.open(screenshot) as image:
        assert image.size == (1280, 4000)
        assert len(image.convert("RGB").getcolors(1 << 16) or range(1 << 16)) > 100, "the screenshot is blank"

    page = model_report.read_text()
    assert page.count(CSP_OPENING) == 1
    probed = tmp_path / "probed.html"  # the page plus PROBE, which its policy must now allow
    probed.write_text(page.replace(CSP_OPENING, f"{CSP_OPENING} script-src 'unsafe-inline';")
                      .replace("<head>", f"<head>\n{PROBE}", 1))
    dumped = chromium(probed, "--dump-dom", tmp_path / "profile-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", dumped.stdout)
    assert body, "Chromium's DOM has no <body>"
    attributes = dict(re.findall(r'data-(\w+)="([^"]*)"', body.group(1)))
    assert attributes.get("images") == str(PLOTS) and attributes.get("loaded") == str(PLOTS), attributes
    assert json.loads(html.unescape(attributes["errors"])) == []
    assert not console_lines(dumped.stderr)


def test_r2s_confusion_matrix_is_of_the_digits_grading_judged_with_the_graded_accuracy(tmp_path, monkeypatch):
    """One number per fact: the report draws r2's matrix on the digits its grading judged the model on, and gives the
    accuracy that grading measured (which the leaderboard shows too), with a caption taken from the data."""
    for variable in ("FASTQUIZ_DATA", "FASTAI_HOME"):  # no full MNIST anywhere
        monkeypatch.setenv(variable, str(tmp_path / "empty"))
    monkeypatch.delenv("FASTQUIZ_MNIST", raising=False)
    workspace = fresh(tmp_path / "answers")
    shutil.copy(solutions_dir() / "r2_all_ten_digits.py", workspace)
    assert run("check", "r2", "--workspace", str(workspace), "--json", str(tmp_path / "r2.json")).exit_code == 0
    metrics = {name: value for part in json.loads((tmp_path / "r2.json").read_text())["questions"][0]["parts"]
               for name, value in part["metrics"].items()}
    assert run("report", "--workspace", str(workspace)).exit_code == 0
    page = html.unescape((workspace / "report.html").read_text())
    digits = int(metrics["judged_digits"])
    assert f"judged, as in grading, on {digits:,} it never saw" in page
    assert f"{metrics['held_out_accuracy']:.1%} right, as graded" in page and "1,000" not in page
