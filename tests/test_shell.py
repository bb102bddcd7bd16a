"""The local shell, as a newcomer runs it: no token, input piped in, output read back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.library.model import Library

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], stdin: str, tmp_path: Path,
         **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env["BOT_DATABASE"] = str(tmp_path / "shell.sqlite3")
    env.update(extra)
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


def _saved(out: str) -> list[Path]:
    return [Path(line.split("📎 saved: ", 1)[1].strip()) for line in out.splitlines()
            if "📎 saved: " in line]


def test_pictures_and_files_are_saved_beside_the_database(tmp_path: Path) -> None:
    """A terminal cannot show the skin chart, the /stats chart or /mydata's file: each is
    saved beside the database and its path printed, where a phone would show it."""
    env = {"BOT_ADMIN_IDS": "424242"}  # the shell's user may read /stats
    taps = "1\n" * 7  # the skin check's seven answers: "no days"
    result = _run(["shell"], f"/start\n/skin me\n{taps}/stats\n/mydata\n", tmp_path, **env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    folder = tmp_path / "shell-files"
    assert f"saved in {folder}/" in out  # the banner says where
    skin_chart, stats_chart, data_file = _saved(out)
    for picture in (skin_chart, stats_chart):
        assert picture.parent == folder and picture.suffix == ".png"
        assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert data_file.name.endswith("my-data.json")
    assert json.loads(data_file.read_text())["chat_id"] == 424242
    assert "(picture)" in out and "(a file)" in out


def test_a_button_of_an_older_message_is_pressed_by_its_number(tmp_path: Path,
                                                               library: Library) -> None:
    """Each of the bot's messages is numbered: "1.2" presses button 2 of message 1 after
    later messages came; a number naming no button is read by the bot, which says so."""
    first, second = library.topics[0], library.topics[1]
    result = _run(["shell"], "/start\n/help\n1.2\n1.99\n", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "── bot · message 1 " in out and "── bot · message 2 " in out
    assert "3.2 for button 2 of message 3" in out  # the banner says how
    pressed = out.split("you> 1.2", 1)[1].split("you> 1.99", 1)[0]
    assert "message 1 (edited)" in pressed and second.title in pressed
    assert first.blurb not in pressed
    assert "There's no button numbered 1.99" in out.split("you> 1.99", 1)[1]
