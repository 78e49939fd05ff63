"""Model answers: one file per question, with the same names as the stubs."""
