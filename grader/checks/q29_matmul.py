"""Checks for question 29: matrix multiplication built by hand, and what @ means."""
import ast

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, SOURCE, Question
from ._helpers import assert_choice, assert_close, to_tensor
from ._ready_made import PRODUCTS
from ._source import reachable

QUESTION = Question(
    title="The @ operator",
    source=29,
    hints=[
        "matmul: entry (i, j) is `(a[i] * b[:, j]).sum()`, row i of a times column j of b, added up. Loop over i and "
        "j, or let broadcasting form every product at once. AT: try a @ b and a * b on two small square tensors.",
        "matmul is `(a[:, :, None] * b[None, :, :]).sum(1)`: the products a[i, p] * b[p, j] sit at [i, p, j]; "
        "summing over p (axis 1) leaves (n, m). AT: row i of a times column j of b, summed.",
    ],
)



@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(n=st.integers(1, 5), k=st.integers(1, 5), m=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_matches_the_matrix_product_on_random_shapes(student, n, k, m, seed):
    """Graded: "your products for random matrices of many shapes". Rule: "return the (n, m) tensor whose entry
    (i, j) is the sum over p of a[i, p] * b[p, j]"."""
    g = torch.Generator().manual_seed(seed)
    a, b = torch.randn(n, k, generator=g), torch.randn(k, m, generator=g)
    got = to_tensor(student.function("matmul")(a.clone(), b.clone()), "matmul's result")
    case = f"matmul of shapes {(n, k)} and {(k, m)}"
    assert got.shape == (n, m), f"{case} returned shape {tuple(got.shape)}, expected {(n, m)}"
    assert_close(got, a @ b, case)


@QUESTION.part(points=1, kind=SOURCE)
def test_is_built_without_a_matrix_product_function(student):
    """Graded: "that neither matmul nor any helper it calls uses `@` or a ready-made product". Rule: "no `@`, and no
    library function that multiplies and adds up in one call"."""
    ran = student.function("matmul")(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[5.0], [6.0]]))
    assert ran is not None, "matmul returned None: return the product, then see how it is written"
    code = reachable(student, "matmul")
    operators = [n for node in code.nodes for n in ast.walk(node) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.MatMult)]
    assert not operators, "matmul (or a helper it calls) uses the @ operator: build the product from multiplications and sums"
    used = code.uses(PRODUCTS)
    assert not used, (f"matmul (or a helper it calls) uses {used[0]}, which multiplies and adds up by itself: build "
                      "the product from multiplications and sums instead")


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_what_the_at_operator_does(student):
    """Graded: "the letter"."""
    assert_choice(student.value("AT"), "b", "abcd", "AT (try a @ b and a * b on two small square tensors)")
