"""The CLI's commands, one module per concern; `fastquiz.cli` puts them together."""
