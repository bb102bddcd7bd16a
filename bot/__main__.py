"""Command line: `python -m bot [run|webhook|shell|check-content|backup FILE|try-postgres|
train-triage|urgent-book]`."""

from __future__ import annotations

import argparse
import sys

from bot import cli


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Gut–skin education bot for people living with eczema.",
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run on Telegram (the local shell when no token is set)")
    sub.add_parser("webhook", help="run on Telegram in webhook mode (BOT_WEBHOOK_URL, "
                                   "BOT_WEBHOOK_SECRET, PORT)")
    shell = sub.add_parser("shell", help="chat with the bot here, offline")
    shell.add_argument("--name", default="Friend", help="your first name in the shell")
    sub.add_parser("check-content", help="validate content/ and list every problem")
    copy = sub.add_parser("backup", help="copy the SQLite database to FILE while the bot runs")
    copy.add_argument("file", metavar="FILE", help="where to write the copy")
    sub.add_parser("try-postgres", help="run the bot on a throw-away PostgreSQL (pgserver, "
                                        "from the test install); deleted when it stops")
    sub.add_parser("train-triage", help="rebuild content/triage_model.json from the labelled "
                                        "sets (needs requirements/test.txt)")
    sub.add_parser("urgent-book", help="write docs/urgent-replies.md: every urgent reply, "
                                       "for a clinician's review")
    args = parser.parse_args(argv)
    if args.command == "check-content":
        return cli.check_content()
    if args.command == "shell":
        return cli.shell(first_name=args.name)
    if args.command == "backup":
        return cli.backup(args.file)
    if args.command == "urgent-book":
        return cli.urgent_book()
    if args.command == "train-triage":
        return cli.train_triage()
    if args.command == "try-postgres":
        return cli.try_postgres()
    if args.command == "webhook":
        return cli.run(webhook=True)
    return cli.run()


if __name__ == "__main__":
    sys.exit(main())
