"""One module per question: its `QUESTION` metadata and the pytest checks of its parts."""
