"""Matplotlib figures as images embedded in a self-contained HTML page."""
from __future__ import annotations

import base64
import io

from matplotlib.figure import Figure


def data_uri(figure: Figure, dpi: int = 100) -> str:
    """The figure as a base64 PNG `data:` URI, for an `<img src>` that needs no network."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return png_uri(buffer.getvalue())


def png_uri(png: bytes) -> str:
    """PNG bytes as a `data:` URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
