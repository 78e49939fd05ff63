"""fastquiz: graded exercises for chapter 4 of fastbook, "Under the Hood: Training a Digit Classifier"."""

__version__ = "0.1.0"
