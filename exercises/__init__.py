"""The stubs students fill in: one file per question, copied into a workspace by `fastquiz init`."""
