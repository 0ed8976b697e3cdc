"""Domain exceptions whose messages are written for the analyst, not the developer."""

from __future__ import annotations


class CasefileError(Exception):
    """Base of every error the user is meant to read."""


class NotFound(CasefileError):
    """A record named by id or name does not exist."""


class ValidationError(CasefileError):
    """Input that cannot be stored as given."""


class DatabaseError(CasefileError):
    """The database file cannot be opened as a Casefile database."""


class NotACasefileDatabase(DatabaseError):
    """The file exists but is not a Casefile database; it is left alone."""


class DatabaseTooNew(DatabaseError):
    """The database was written by a newer Casefile; it is left alone."""


class DatabaseCorrupt(DatabaseError):
    """The database failed its integrity check and was moved aside.

    ``set_aside`` is where the damaged file now is; ``backups`` lists good backups, newest first,
    as ``(path, taken_at)`` pairs.
    """

    def __init__(self, message: str, *, set_aside=None, backups=()):
        super().__init__(message)
        self.set_aside = set_aside
        self.backups = list(backups)


class ImportFailed(CasefileError):
    """A file could not be imported; nothing of it was stored."""


class ImportCancelled(ImportFailed):
    """The analyst cancelled while a file was being read; nothing of it was stored."""


def stop_if_cancelled(cancelled) -> None:
    """Raise ``ImportCancelled`` once ``cancelled()`` says so (``cancelled`` may be None)."""
    if cancelled is not None and cancelled():
        raise ImportCancelled("cancelled; nothing was imported")


class DatabaseInUse(DatabaseError):
    """The database cannot be replaced or set aside: another window or command has it open."""


class DatabaseUnavailable(DatabaseError):
    """The database cannot be opened for a reason other than damage (permissions, a read-only
    disk, a missing folder, a full disk); the file is left where it is."""


class DatabaseBusy(CasefileError):
    """Another program held the database's write lock for longer than this one waits; the edit
    was not saved and can be tried again. ``asked`` is set when the user was already asked
    (and chose not to wait), so nobody needs to tell them again."""

    def __init__(self, message: str, *, asked: bool = False):
        super().__init__(message)
        self.asked = asked


class FileProblem(CasefileError):
    """A path given to read or write cannot be used (missing, a folder, a pipe, the database's
    own files, permission, disk full); nothing was changed."""
