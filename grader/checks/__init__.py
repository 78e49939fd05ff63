"""One module per question: its `QUESTION` metadata and the pytest checks of its parts.

Hypothesis binds its settings when `@given` decorates a check, so the grader's profile is
loaded here, before any check module is defined: randomised checks draw the same inputs
on every run, write no database, and stop at a failure's smallest example without the
"explain" phase (which re-runs a failing example hundreds of times, seconds of a wrong
answer's code).

Each randomised part tries 10 examples, each a round trip to the student's worker and
about a millisecond of hypothesis: with 25, a check of the model answers took 0.65 s
longer, and the mutants in `tests/variants` are caught as well with 10. An edge case
that random draws meet too rarely gets an `@example` of its own.
"""
from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "fastquiz", max_examples=10, deadline=None, derandomize=True, database=None,
    report_multiple_bugs=False, suppress_health_check=list(HealthCheck), print_blob=False,
    phases=[phase for phase in Phase if phase != Phase.explain],
)
settings.load_profile("fastquiz")


def _only_hypothesis_constants() -> None:
    """hypothesis (6.131 on) mixes into its draws the constants of the source of every module it deems
    local: any not installed in site-packages (this package in an editable install, a notebook's
    modules...). The bank's inputs would then depend on where the grader runs and what it imported;
    drawing from hypothesis's own constants only, they are the same everywhere (and so are the calls
    that checks/_mistakes.json.gz knows: see grader/diagnosis.py)."""
    from hypothesis.internal.conjecture import providers

    if all(hasattr(providers, name) for name in ("_get_local_constants", "_local_constants", "CONSTANTS_CACHE")):
        none = type(providers._local_constants)()
        setattr(providers, "_get_local_constants", lambda: none)
        providers.CONSTANTS_CACHE.cache.clear()


_only_hypothesis_constants()


def warm_up() -> None:
    """Load what many checks share (the embedded digits), once, before the grader forks its task
    processes: each task then starts with it, instead of loading it again."""
    from ._helpers import embedded_sample

    embedded_sample()
