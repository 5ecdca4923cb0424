"""Walks a backup file as a stream of JSON events (ijson's C parser), within bounds of size and shape.

Memory stays small whatever the file: only one item of a list (one session with its releases, one point...) is
built at a time, an item may hold at most ITEM_VALUES values nested at most ITEM_DEPTH deep, each list at most the
items `schema.LISTS` allows, and the unpacked JSON at most TENDERSPOT_IMPORT_MAX_JSON_BYTES. A gzip file (what
`gzip` or a browser's "compress" makes of an export) is read through as it unpacks.
"""

import gzip
import io
import sys
from collections.abc import Iterator
from typing import IO, Any

import ijson
from django.conf import settings

from journal.backup.schema import ENVELOPE, LISTS

ITEM_VALUES = 100_000  # values in one item: a session of 10,000 steps, each logged, holds about 40,000
ITEM_DEPTH = 4  # session > releases > release > value
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 64 * 1024


class ImportFileError(ValueError):
    """The file cannot be imported; the message tells the user why. Nothing was changed."""


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


# Python refuses to turn more digits than this into an int (a guard against quadratic work), and ijson's C parser
# then fails in a way that surfaces later as a stray ValueError: such runs of digits are refused before it sees them.
MAX_DIGITS = sys.get_int_max_str_digits() or 4300
# Runs of digits are found with C-speed byte operations, not regular expressions: a search that may match at any
# place tries every byte of the file. Every digit becomes "0" and every other byte a space, then the run too long to
# read is a plain substring.
_DIGITS_ONLY = bytes(ord("0") if char in b"0123456789" else ord(" ") for char in range(256))
_DIGITS_TOO_LONG = b"0" * (MAX_DIGITS + 1)
_DIGITS = b"0123456789"
NUMBER_TOO_LONG = f"The file holds a number too long to read (over {MAX_DIGITS:,} digits)."


class _Bounded(io.RawIOBase):
    """Reads `source` and refuses to go past `limit` bytes (a gzip bomb stops there) or to pass on a run of more
    than MAX_DIGITS digits (a number too long to read; a text field never holds one)."""

    def __init__(self, source: IO[bytes] | gzip.GzipFile, limit: int) -> None:
        self.source, self.limit, self.count = source, limit, 0
        self.digits = 0  # digits at the end of what was read so far

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.source.read(min(len(buffer), CHUNK))
        self.count += len(data)
        if self.count > self.limit:
            raise ImportFileError(f"Unpacked, the file is larger than the {_mib(self.limit)} this server reads.")
        self._check_digits(data)
        buffer[: len(data)] = data
        return len(data)

    def _check_digits(self, data: bytes) -> None:
        leading = len(data) - len(data.lstrip(_DIGITS))
        if leading == len(data):
            self.digits += leading
        else:
            too_long = self.digits + leading > MAX_DIGITS or _DIGITS_TOO_LONG in data.translate(_DIGITS_ONLY)
            self.digits = len(data) - len(data.rstrip(_DIGITS))
            if too_long:
                raise ImportFileError(NUMBER_TOO_LONG)
        if self.digits > MAX_DIGITS:
            raise ImportFileError(NUMBER_TOO_LONG)


def open_json(upload: IO[bytes]) -> IO[bytes]:
    """The JSON bytes of `upload` (rewound; unpacked on the fly if it is gzip), bounded in size."""
    upload.seek(0)
    magic = upload.read(2)
    upload.seek(0)
    source: IO[bytes] | gzip.GzipFile = gzip.GzipFile(fileobj=upload, mode="rb") if magic == GZIP_MAGIC else upload
    return io.BufferedReader(_Bounded(source, settings.TENDERSPOT_IMPORT_MAX_JSON_BYTES), CHUNK)


def _not_json(error: BaseException) -> ImportFileError:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ImportFileError):
            return cause
        if isinstance(cause, ValueError) and "digits" in str(cause):
            return ImportFileError(NUMBER_TOO_LONG)
        if isinstance(cause, gzip.BadGzipFile | EOFError):
            return ImportFileError("This compressed file is damaged or incomplete; nothing was imported.")
        cause = cause.__cause__ or cause.__context__
    return ImportFileError("This file is not valid JSON. Choose a file made by a Tenderspot JSON export.")


class _Events:
    def __init__(self, stream: IO[bytes]) -> None:
        self._events = ijson.basic_parse(stream, use_float=False, buf_size=CHUNK)

    def next(self) -> tuple[str, Any]:
        try:
            event: tuple[str, Any] = next(self._events)  # ijson has no types
            return event
        except StopIteration:
            raise ImportFileError("This file is not valid JSON: it ends too early.") from None
        except ImportFileError:
            raise
        except Exception as error:  # ijson's errors, and the int() of a number too long, arrive wrapped
            raise _not_json(error) from None

    def end(self) -> None:
        try:
            next(self._events)
        except StopIteration:
            return
        except ImportFileError:
            raise
        except Exception as error:
            raise _not_json(error) from None
        raise ImportFileError("This file is not valid JSON: something follows the end of the data.")


def _build(events: _Events, event: str, value: Any, where: str) -> Any:
    """The value that starts with (event, value), built without recursion and within ITEM_VALUES / ITEM_DEPTH.
    One loop over the parser's events with everything local: it runs once per value of the file, twice per import."""
    if event not in ("start_map", "start_array"):
        return value
    root: dict[str, Any] | list[Any] = {} if event == "start_map" else []
    stack: list[dict[str, Any] | list[Any]] = [root]
    keys: list[str | None] = [None]
    # `top` is the container being filled (`in_list`: a list); `key` the map key its next value goes under.
    top, key, count, in_list = root, None, 1, event == "start_array"
    try:
        for event, value in events._events:
            if event == "map_key":
                key = value
                continue
            if event == "end_map" or event == "end_array":
                stack.pop()
                keys.pop()
                if not stack:
                    return root
                top, key = stack[-1], keys[-1]
                in_list = type(top) is list
                continue
            count += 1
            if count > ITEM_VALUES:
                raise ImportFileError(f"{where}: holds more than {ITEM_VALUES:,} values")
            if event == "start_map" or event == "start_array":
                if len(stack) >= ITEM_DEPTH:
                    raise ImportFileError(f"{where}: nested deeper than the format allows ({ITEM_DEPTH} levels)")
                value = {} if event == "start_map" else []
            # The value goes into `top` here rather than through a function: this runs for every value.
            if in_list:
                top.append(value)  # type: ignore[union-attr]
            elif key in top:
                raise ImportFileError(f"{where}: the key {key!r} appears twice")
            else:
                top[key] = value  # type: ignore[index]
            if event == "start_map" or event == "start_array":
                keys[-1] = key
                stack.append(value)
                keys.append(None)
                top, key, in_list = value, None, event == "start_array"
    except ImportFileError:
        raise
    except Exception as error:  # ijson's errors, and the int() of a number too long, arrive wrapped
        raise _not_json(error) from None
    raise ImportFileError("This file is not valid JSON: it ends too early.")


def walk(stream: IO[bytes]) -> Iterator[tuple[str, int, Any]]:
    """(key, n, value) for each value of the top-level object: n is the 1-based place of an item of one of the
    lists in `schema.LISTS` (each item is yielded on its own), 0 for a value of the envelope. A list key whose value
    is not a list is yielded once with n = 0. Raises ImportFileError for anything that is not such an object."""
    events = _Events(stream)
    event, _value = events.next()
    if event != "start_map":
        raise ImportFileError("This is not a Tenderspot journal export (its format name is missing or different).")
    seen: set[str] = set()
    while True:
        event, key = events.next()
        if event == "end_map":
            break
        if key in seen:
            raise ImportFileError(f"{key}: appears twice")
        seen.add(key)
        if key not in LISTS and key not in ENVELOPE:
            raise ImportFileError(f"{str(key)[:40]}: is not part of the format")
        event, value = events.next()
        if key in LISTS and event == "start_array":
            most = LISTS[key][1]
            n = 0
            while True:
                event, value = events.next()
                if event == "end_array":
                    break
                n += 1
                if n > most:
                    raise ImportFileError(f"{key}: has more than {most:,} items")
                yield key, n, _build(events, event, value, f"{key}[{n}]")
        else:
            yield key, 0, _build(events, event, value, key)
    events.end()
