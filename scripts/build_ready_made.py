"""Write grader/checks/_ready_made.py: the names of the library functions that compute by themselves
what question 29 (a matrix product), question 34 (a ReLU) and research task 2 (a log-softmax or a
cross-entropy) ask the student to build.

    python scripts/build_ready_made.py            # rewrite the file from the installed torch and numpy
    python scripts/build_ready_made.py --print    # print the names found, write nothing

A hand-made list of banned names misses some (`torch.linalg.vecdot` computes a dot product, `addmv`,
`addbmm` and `baddbmm` a matrix product plus a term). Here the names come from what the functions do:
every public callable of the namespaces below is called on small inputs, in the argument patterns
that such functions take, and a name is kept when one call returns the thing asked for. The checks
then refuse any use of a name whose last part is kept (`_source.Reachable.uses`).

Run it with the newest torch and numpy fastquiz supports: names only older versions have stay in the
file (tests/test_ready_made.py checks that every function the installed versions have is in it).
Calling thousands of library functions can change global state (printing options, the default
dtype), so run it in a process of its own, as this script and that test do.
"""
from __future__ import annotations

import argparse
import math
import warnings
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

OUTPUT = Path(__file__).resolve().parents[1] / "grader" / "checks" / "_ready_made.py"
# Names whose calls change the process or the disk, or print: never called.
UNSAFE = ("set", "use_", "manual_seed", "seed", "save", "load", "compile", "export", "random", "show", "info",
          "test", "source", "lookfor", "who", "print", "cuda", "mps", "xpu", "backends", "distributed", "hub",
          "onnx", "jit", "profiler", "autograd", "sparse_coo", "from_file", "fromfile", "savetxt", "loadtxt",
          "genfromtxt", "memmap", "tofile", "dump")
DUNDERS = ("__matmul__", "__rmatmul__")  # the methods behind `@`


def _f64(*rows) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float64)


def products() -> list[tuple[tuple, torch.Tensor]]:
    """Argument patterns of functions that multiply and add up (dot, mm, mv, addmm, einsum, linear,
    convolutions...), each with the product it gives."""
    u, v = _f64(1.0, 2.0, 3.0), _f64(4.0, 5.0, 6.0)
    a, b = _f64([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]), _f64([1.0, -1.0], [2.0, 0.5], [-3.0, 1.0])
    zeros = lambda *shape: torch.zeros(shape, dtype=torch.float64)  # noqa: E731
    return [((u, v), u @ v), ((a, b), a @ b), ((a, u), a @ u), ((zeros(2, 2), a, b), a @ b), ((zeros(2), a, u), a @ u),
            ((zeros(2, 2), a[None], b[None]), a @ b), ((zeros(1, 2, 2), a[None], b[None]), a @ b),
            ((a[None], b[None]), a @ b), (([a, b],), a @ b), ((a, b.T), a @ b), (("ij,jk->ik", a, b), a @ b),
            ((a, b, 1), a @ b), ((u, v, 1), u @ v), ((a[:, None, :], b.T[None, :, :]), a @ b),
            ((u[None, None], v[None, None]), u @ v)]


def relus() -> list[tuple[tuple, torch.Tensor]]:
    """Argument patterns of the activation functions that become a ReLU with some setting (a slope, a
    threshold, bounds of 0 and inf), each with the ReLU of the input."""
    x = torch.tensor([-3.0, -0.5, 0.0, 0.5, 3.0, 10.0])  # float32, the dtype of nn's own parameters
    settings = [(), (0.0,), (0.0, 0.0), (0.0, math.inf), (torch.zeros(1),), (1, 0.0)]
    return [((x, *setting), x.clamp(min=0).double()) for setting in settings]


def log_softmaxes() -> list[tuple[tuple, torch.Tensor]]:
    """Argument patterns of a log-softmax of rows of scores, a cross-entropy of them against class numbers,
    and a negative log-likelihood of log-probabilities, each with what it gives."""
    x, t = _f64([2.0, 0.0, -1.0], [0.5, 3.0, 1.0]), torch.tensor([0, 2])
    log_probs = x - x.logsumexp(1, keepdim=True)
    cross_entropy = -log_probs[torch.arange(2), t].mean()
    return [((x, t), cross_entropy), ((x, 1), log_probs), ((x,), log_probs), ((log_probs, t), cross_entropy)]


def _result(value) -> torch.Tensor | None:
    try:
        return torch.as_tensor(np.asarray(value.detach() if isinstance(value, torch.Tensor) else value),
                               dtype=torch.float64)
    except Exception:  # noqa: BLE001 (a result that is no array is no match)
        return None


def _copy(value):
    if isinstance(value, torch.Tensor):
        return value.clone()
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _as_numpy(value):
    if isinstance(value, torch.Tensor):
        return value.numpy().copy()
    if isinstance(value, list):
        return [_as_numpy(v) for v in value]
    return value


def _callables(namespace, classes: bool = False) -> list[tuple[str, Callable]]:
    found = []
    for name in dir(namespace):
        if (name.startswith("_") and name not in DUNDERS) or name.lower().startswith(UNSAFE):
            continue
        try:
            value = getattr(namespace, name)
        except Exception:  # noqa: BLE001 (some attributes raise when read)
            continue
        if callable(value) and isinstance(value, type) == classes:
            found.append((name, value))
    return found


def _matches(function: Callable, probes: list[tuple[tuple, torch.Tensor]], numpy: bool,
             module_class: bool = False) -> bool:
    """Whether `function` gives the expected result for one of the probes (an nn.Module class is built with
    no settings and called on the arguments, or built with the settings and called on the first one)."""
    for pattern, expected in probes:
        args = [_as_numpy(a) if numpy else _copy(a) for a in pattern]  # fresh each time: some functions work in place
        calls = [lambda: function()(*args), lambda: function(*args[1:])(args[0])] if module_class \
            else [lambda: function(*args)]
        for call in calls:
            try:
                result = _result(call())
            except Exception:  # noqa: BLE001 (a pattern the function does not take)
                continue
            if result is not None and result.numel() == expected.numel() \
                    and torch.allclose(result.reshape(expected.shape), expected):
                return True
    return False


def ready_made() -> dict[str, list[str]]:
    """{what: the sorted names of the functions that compute it} for the three things the bank asks for.

    A product is looked for everywhere in torch and numpy. A ReLU and a log-softmax are looked for
    among the activation functions and losses, torch.nn.functional and torch.nn's classes, and then
    among their twins of the same name in torch and on tensors: a general tool that can be made to give
    a ReLU (`clamp`, `maximum`) is an operation the student may build one from."""
    warnings.simplefilter("ignore")
    found = {}
    names = {name for namespace in (torch, torch.Tensor, torch.linalg, F, torch.special, torch.fft)
             for name, f in _callables(namespace) if _matches(f, products(), numpy=False)}
    names |= {name for namespace in (np, np.linalg) for name, f in _callables(namespace)
              if _matches(f, products(), numpy=True)}
    found["PRODUCTS"] = sorted(names)
    for what, probes in (("RELUS", relus()), ("LOG_SOFTMAXES", log_softmaxes())):
        names = {name for name, f in _callables(F) if _matches(f, probes, numpy=False)}
        names |= {name for name, cls in _callables(nn, classes=True)
                  if issubclass(cls, nn.Module) and _matches(cls, probes, numpy=False, module_class=True)}
        names |= {name for namespace in (torch, torch.Tensor, torch.special) for name, f in _callables(namespace)
                  if name.rstrip("_") in {n.rstrip("_") for n in names} and _matches(f, probes, numpy=False)}
        found[what] = sorted(names)
    return found


def module_text(found: dict[str, list[str]]) -> str:
    lines = ['"""The names of library functions that compute by themselves what an exercise asks the student to',
             "build: generated by scripts/build_ready_made.py (which says how they are found) from torch",
             f'{torch.__version__.split("+")[0]} and numpy {np.__version__}; do not edit by hand."""', ""]
    for what, names in found.items():
        body = "".join(f"    {name!r},\n" for name in names)
        lines.append(f"{what} = frozenset({{\n{body}}})\n")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--print", action="store_true", help="print the names found, write nothing")
    found = ready_made()
    if parser.parse_args().print:
        for what, names in found.items():
            print(what, " ".join(names))
        return
    OUTPUT.write_text(module_text(found))
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
