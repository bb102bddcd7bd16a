"""The local shell, as a newcomer runs it: no token, input piped in, output read back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.library.model import Library

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], stdin: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env["BOT_DATABASE"] = str(tmp_path / "shell.sqlite3")
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_piped_shell_shows_welcome_topic_card_and_disclaimer(tmp_path: Path,
                                                             library: Library) -> None:
    result = _run(["shell"], "/start\n1\n1\n", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    first_topic = library.topics[0]
    first_card = library.cards_in(first_topic.id)[0]
    assert "Hi Friend!" in out
    assert f"[1] {first_topic.label}" in out
    assert first_topic.blurb in out
    assert first_card.title in out and "Where this comes from" in out
    assert out.count("not medical advice") == 3
    assert "TELEGRAM_BOT_TOKEN" in out  # how to connect for real
    assert "Traceback" not in result.stderr


def test_no_token_starts_the_shell(tmp_path: Path) -> None:
    result = _run([], "/help\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Local shell" in result.stdout and "/topics" in result.stdout
    assert (tmp_path / "shell.sqlite3").exists()


def test_a_pressed_thumbs_down_shows_its_pop_up(tmp_path: Path) -> None:
    """👎 answers with a pop-up, not a message: the shell shows it too, or a newcomer would
    think the press did nothing."""
    result = _run(["shell"], "is kefir good for eczema\n", tmp_path)
    numbers = [line.split("]")[0].strip(" [") for line in result.stdout.splitlines()
               if "👎" in line]
    assert numbers, result.stdout
    result = _run(["shell"], f"is kefir good for eczema\n{numbers[0]}\n", tmp_path)
    assert "── bot (pop-up): Thank you: noted" in result.stdout, result.stdout
