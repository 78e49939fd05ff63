"""The report's pictures, drawn from plain numbers with matplotlib's object API (no pyplot state).

Each function takes values already computed (never student objects) and returns a PNG as a
`data:` URI, ready for an `<img src>` in a self-contained page.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..figures import data_uri

STUDENT, REFERENCE = "#1f6feb", "#d1242f"


def curve_over_reference(x: np.ndarray, yours: np.ndarray, reference: np.ndarray, name: str) -> str:
    """The student's curve drawn over the reference one, e.g. their sigmoid over the chapter's."""
    figure = Figure(figsize=(5, 3.2))
    ax = figure.subplots()
    ax.plot(x, reference, color=REFERENCE, linewidth=5, alpha=0.35, label=f"reference {name}")
    ax.plot(x, yours, color=STUDENT, linewidth=1.8, label=f"your {name}")
    ax.set_xlabel("x")
    ax.set_ylabel(f"{name}(x)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return data_uri(figure)


def digit_images(images: list[np.ndarray], titles: list[str], columns: int | None = None, size: float = 1.0) -> str:
    """Grey-scale digits side by side (or in rows of `columns`), each under its title; `size` in inches."""
    columns = columns or len(images)
    rows = -(-len(images) // columns)
    figure = Figure(figsize=(size * columns, (size + 0.25) * rows))
    axes = np.atleast_1d(figure.subplots(rows, columns)).ravel()
    for ax in axes:
        ax.set_axis_off()
    for ax, image, title in zip(axes, images, titles):
        ax.imshow(image, cmap="Greys", vmin=0, vmax=max(1.0, float(np.max(image))))
        ax.set_title(title, fontsize=10)
    return data_uri(figure)


def training_curves(losses: dict[str, list[float]], accuracy: list[float]) -> str:
    """Loss curves (by name) above the validation accuracy, per epoch."""
    figure = Figure(figsize=(5, 5.2))
    loss_ax, accuracy_ax = figure.subplots(2, 1, sharex=True)
    epochs = range(1, len(accuracy) + 1)
    for (name, values), colour in zip(losses.items(), (STUDENT, REFERENCE)):
        loss_ax.plot(epochs, values, marker="o", markersize=3, color=colour, label=name)
    loss_ax.set_ylabel("loss")
    loss_ax.legend()
    accuracy_ax.plot(epochs, accuracy, marker="o", markersize=3, color=STUDENT)
    accuracy_ax.set_ylim(max(0.0, min(accuracy) - 0.05), 1.0)
    accuracy_ax.set_xlabel("epoch")
    accuracy_ax.set_ylabel("validation accuracy")
    for ax in (loss_ax, accuracy_ax):
        ax.grid(alpha=0.3)
    return data_uri(figure)


def confusion_matrix(matrix: np.ndarray) -> str:
    """A table of counts, true digit by row and predicted digit by column, shaded by count."""
    n = len(matrix)
    figure = Figure(figsize=(5, 4.4))
    ax = figure.subplots()
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    threshold = matrix.max() / 2
    for i in range(n):
        for j in range(n):
            ax.text(j, i, str(int(matrix[i, j])), ha="center", va="center", fontsize=8,
                    color="white" if matrix[i, j] > threshold else "black")
    return data_uri(figure)
