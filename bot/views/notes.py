"""What notes show: the question, the confirmation, and /notes with a delete button for each.
Texts come from content/templates/note_* and notes_*."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.library import dates
from bot.library.render import Renderer
from bot.store.notes import Note
from bot.telegram import callbacks
from bot.telegram.message import Button, Keyboard, Outgoing, keyboard

PAGE = 8  # notes per /notes page
LABEL_TEXT = 22  # characters of a note on its delete button


def day_words(day: date) -> str:
    return dates.local(day, style="day")


def add_button(renderer: Renderer) -> Button:
    """📝 Add a note: under the skin check's result and the daily card."""
    return Button(renderer.library.label("note_add"), data=callbacks.make("nt", "add"))


def ask(renderer: Renderer, day: date, child: bool) -> Outgoing:
    return renderer.message("note_ask", day=day_words(day), child=child)


def saved(renderer: Renderer, day: date, text: str, count: int) -> Outgoing:
    label = renderer.library.label
    return renderer.message("note_saved", keyboard([[
        Button(label("notes_list"), data=callbacks.make("nt", "list:0")),
        Button(label("note_add"), data=callbacks.make("nt", "add"))]]),
        day=day_words(day), text=text, count=count)


def too_long(renderer: Renderer, length: int, most: int) -> Outgoing:
    return renderer.message("note_too_long", length=length, most=most)


def listing(renderer: Renderer, notes: Sequence[Note], total: int, offset: int, *,
            deleted: date | None = None, gone: bool = False) -> Outgoing:
    """A page of notes, newest first, each with its delete button, and the way to the next."""
    label = renderer.library.label
    rows: list[list[Button]] = []
    for note in notes:
        text = note.text if len(note.text) <= LABEL_TEXT else note.text[:LABEL_TEXT - 1] + "…"
        rows.append([Button(label("note_delete").format(day=dates.local(note.day, style="day"),
                                                        text=text),
                            data=callbacks.make("nt", f"del:{note.id}:{offset}"))])
    paging: list[Button] = []
    if offset > 0:
        paging.append(Button(label("notes_newer"),
                             data=callbacks.make("nt", f"list:{max(offset - PAGE, 0)}")))
    if offset + len(notes) < total:
        paging.append(Button(label("notes_older"),
                             data=callbacks.make("nt", f"list:{offset + PAGE}")))
    rows.append(paging)
    rows.append([add_button(renderer)])
    shown = [{"day": day_words(n.day), "text": n.text} for n in notes]
    return renderer.message("notes_list", keyboard(rows), notes=shown, total=total,
                            first=offset + 1, last=offset + len(notes),
                            deleted=day_words(deleted) if deleted else "", gone=gone)


def add_row(renderer: Renderer) -> Keyboard:
    return keyboard([[add_button(renderer)]])
