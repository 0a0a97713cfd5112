"""The private project folder: the project key, the pseudonym store and the run state.

It lives outside OUTPUT (by default under the user's data directory) because it is what makes the
de-identification reversible: whoever holds the key and the store can re-identify, nobody else.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
from pathlib import Path

from pixelscrub.errors import OutputNotWritableError

KEY_BYTES = 32
SCHEMA = """
CREATE TABLE IF NOT EXISTS patients (
    patient_key TEXT PRIMARY KEY,
    pseudonym TEXT UNIQUE NOT NULL,
    seq INTEGER UNIQUE NOT NULL
);
CREATE TABLE IF NOT EXISTS finished (
    output_root TEXT NOT NULL,
    source TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (output_root, source)
);
"""


def default_home() -> Path:
    """$PIXELSCRUB_HOME, else $XDG_DATA_HOME/pixelscrub, else ~/.local/share/pixelscrub."""
    if os.environ.get("PIXELSCRUB_HOME"):
        return Path(os.environ["PIXELSCRUB_HOME"]).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "pixelscrub"


class Project:
    def __init__(self, name: str, home: Path | None, prefix: str, width: int):
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name):
            raise ValueError("project names use letters, digits, '_', '.' and '-'")
        self.name, self.prefix, self.width = name, prefix, width
        self.dir = (home or default_home()) / "projects" / name
        self._db: sqlite3.Connection | None = None

    def ensure(self) -> None:
        """Create the folder (0700) and the key (0600) once, before any worker starts."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            key_path = self.dir / "key"
            if not key_path.exists():
                fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_hex(KEY_BYTES))
            self.db.executescript(SCHEMA)
            os.chmod(self.dir / "store.sqlite", 0o600)
        except OSError as exc:
            raise OutputNotWritableError(
                f"the project folder {self.dir} cannot be written ({exc.strerror}); "
                "set [project] home in the config or PIXELSCRUB_HOME to a private, writable folder") from None

    @property
    def key(self) -> bytes:
        return bytes.fromhex((self.dir / "key").read_text().strip())

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:  # opened lazily so each worker process gets its own connection
            self._db = sqlite3.connect(self.dir / "store.sqlite", timeout=120, isolation_level=None)
        return self._db

    def pseudonym(self, patient_key: str) -> str:
        """PREFIX_0001 style, assigned in first-seen order and stable for the project."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT pseudonym FROM patients WHERE patient_key = ?", (patient_key,)).fetchone()
            if row is None:
                seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM patients").fetchone()[0]
                row = (f"{self.prefix}_{seq:0{self.width}d}",)
                db.execute("INSERT INTO patients VALUES (?, ?, ?)", (patient_key, row[0], seq))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return row[0]

    def finished(self, output_root: str, source: str, fingerprint: str) -> dict | None:
        row = self.db.execute(
            "SELECT fingerprint, outcome FROM finished WHERE output_root = ? AND source = ?",
            (output_root, source)).fetchone()
        if row is None or row[0] != fingerprint:
            return None
        return json.loads(row[1])

    def previous_output(self, output_root: str, source: str) -> dict | None:
        row = self.db.execute("SELECT outcome FROM finished WHERE output_root = ? AND source = ?",
                              (output_root, source)).fetchone()
        return json.loads(row[0]) if row else None

    def mark_finished(self, output_root: str, source: str, fingerprint: str, outcome: dict) -> None:
        self.db.execute("INSERT OR REPLACE INTO finished VALUES (?, ?, ?, ?)",
                        (output_root, source, fingerprint, json.dumps(outcome, sort_keys=True)))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
