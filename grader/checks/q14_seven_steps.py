"""Checks for question 14: the seven steps of SGD in order, and which code does which step."""
from ..question import Question
from ..student import NotAttempted

QUESTION = Question(
    title="The seven steps of SGD",
    source=14,
    hints=[
        "Before any prediction the weights need values, and the last two steps are about the loop itself: "
        "go around again, or finish. The inner cycle needs a prediction before it can measure a loss.",
        "The cycle is predict, then loss, then gradient, then step; put init before it and repeat, stop after it.",
    ],
)

NAMES = ("init", "predict", "loss", "gradient", "step", "repeat", "stop")
CYCLE = ["predict", "loss", "gradient", "step"]


def _steps(student) -> list[str]:
    steps = student.value("SGD_STEPS")
    assert isinstance(steps, (list, tuple)), f"SGD_STEPS should be a list of step names, got {type(steps).__name__}"
    steps = [str(s).strip().lower() for s in steps]
    unknown = [s for s in steps if s not in NAMES]
    assert not unknown, f"SGD_STEPS holds {unknown[0]!r}, which is not one of the names {', '.join(NAMES)}"
    return steps


@QUESTION.part(points=2)
def test_the_inner_cycle_is_in_order(student):
    steps = _steps(student)
    for name in CYCLE:
        assert steps.count(name) == 1, f"SGD_STEPS should hold {name!r} exactly once, it holds it {steps.count(name)} times"
    positions = [steps.index(name) for name in CYCLE]
    got = [name for _, name in sorted(zip(positions, CYCLE))]
    assert got == CYCLE, (
        f"the cycle in SGD_STEPS goes {' -> '.join(got)}: each pass must first predict, then measure the loss of "
        "those predictions, then compute its gradient, and only then step the weights")
    assert positions == list(range(positions[0], positions[0] + 4)), \
        "predict, loss, gradient and step should follow each other directly in SGD_STEPS"


@QUESTION.part(points=2)
def test_all_seven_steps_in_order(student):
    steps = _steps(student)
    missing = [name for name in NAMES if name not in steps]
    assert not missing, f"SGD_STEPS lacks {', '.join(map(repr, missing))}: list all seven names"
    assert len(steps) == 7, f"SGD_STEPS should hold the seven names once each, it has {len(steps)} entries"
    assert steps[0] == "init", f"SGD_STEPS starts with {steps[0]!r}: what has to happen before the first prediction?"
    assert steps == list(NAMES), (
        f"SGD_STEPS is {steps}: the cycle predict, loss, gradient, step sits between the first step and the "
        "two that end the loop (go round again, then finish)")


@QUESTION.part(points=2)
def test_each_line_of_code_is_matched_to_its_step(student):
    answer = student.value("STEP_OF")
    assert isinstance(answer, dict), f"STEP_OF should be the dict from the stub, got {type(answer).__name__}"
    if all(v is None for v in answer.values()):
        raise NotAttempted("STEP_OF is not answered yet")
    expected = {
        "weights = (torch.randn(28 * 28, 1) * 0.01).requires_grad_()": "init",
        "preds = xb @ weights + bias": "predict",
        "loss = mnist_loss(preds, yb)": "loss",
        "loss.backward()": "gradient",
        "weights.data -= lr * weights.grad": "step",
        "for epoch in range(20):": "repeat",
        "if valid_accuracy > 0.98: break": "stop",
    }
    missing = [code for code in expected if code not in answer]
    assert not missing, f"STEP_OF lacks the line {missing[0]!r}: keep the stub's keys and only replace the None values"
    for code, step in expected.items():
        got = answer[code]
        assert got is not None, f"STEP_OF[{code!r}] is still None: give it a step name"
        got = str(got).strip().lower()
        assert got in NAMES, f"STEP_OF[{code!r}] is {got!r}, which is not one of the names {', '.join(NAMES)}"
        assert got == step, f"STEP_OF[{code!r}] is {got!r}: what does that line do to the weights, the loss or the loop?"
