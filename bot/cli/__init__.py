"""The `newsbot` command: the composition root for every subcommand and process.

Owns: argument parsing (`main`), the operator's subcommands (`subcommands`, `maintenance`), the
long-running processes `run`, `web` and `worker` (`processes`) and how failures are worded for
operators (`failures`). May import everything; nothing in `bot` imports it.
"""
