"""fastquiz in Jupyter and Colab: the `%%fastquiz` cell magic and the Python API under it.

    kernel (kernel.py, display.py, client.py)      never imports torch or the grader
       │  JSON lines over a Unix socket (the shapes are in helper.py)
    helper (helper.py)                              one per kernel, started once and kept warm
       │  fastquiz.grader.runner.grade: the same origin, tasks and workers as `fastquiz check`
    workers                                         the only processes that run the student's code
"""
