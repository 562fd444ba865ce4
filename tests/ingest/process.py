"""Run `python -m bot …` as a real process, the way an operator runs `newsbot`."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path


def environment(tmp_path: Path, **env: str) -> dict[str, str]:
    """This process's environment without bot settings, a SQLite file, and the given extras."""
    return (
        {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
        | {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", "COLUMNS": "200"}
        | env
    )


async def start(tmp_path: Path, *args: str, **env: str) -> asyncio.subprocess.Process:
    """Start `newsbot ARGS` in tmp_path with pipes for stdout and stderr."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env=environment(tmp_path, **env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def newsbot(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """Run `newsbot ARGS` to the end; return the exit code, stdout and stderr."""
    proc = await start(tmp_path, *args, **env)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def on_terminal(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    """Run `newsbot ARGS` with stdout on a pseudo-terminal, as a person at a shell sees it.

    Returns the exit code and what the terminal showed, colours and styles taken out (rich
    treats TERM=dumb as 80 columns, so a real terminal type is given). Blocking: call it
    through asyncio.to_thread.
    """
    import pty
    import re
    import subprocess

    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=environment(tmp_path, **{"TERM": "xterm-256color", **env}),
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=subprocess.DEVNULL,
    )
    os.close(child)
    chunks: list[bytes] = []
    try:
        while True:
            try:
                data = os.read(main, 65536)
            except OSError:  # EIO: the process closed its end
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(main)
        code = proc.wait(timeout=120)
    shown = b"".join(chunks).decode().replace("\r\n", "\n")
    return code, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
