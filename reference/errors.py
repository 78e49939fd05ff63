"""The data layer's one error, in a module of its own: `fastquiz.datasets` raises it too, and imports
it from here without importing torch (see `data.py`)."""


class DataError(Exception):
    """A data folder or archive that can't be used; the message says what to do."""
