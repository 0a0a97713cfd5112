"""The private project folder: the project key, the mapping store and the run state.

It lives outside OUTPUT (by default under the user's data directory) because it is what makes the
de-identification reversible. The store holds originals only encrypted under a key derived from the
project key, and looks them up by keyed hashes: with the store but without the key nothing can be
reversed, and without the store the key alone maps nothing back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pixelscrub.errors import OutputNotWritableError
from pixelscrub.header.dates import offset_from_key

KEY_BYTES = 32
NONCE_BYTES = 12
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS patients (
    lookup BLOB PRIMARY KEY,          -- HMAC of the patient key
    pseudonym TEXT UNIQUE NOT NULL,
    seq INTEGER UNIQUE NOT NULL,
    original BLOB NOT NULL            -- the identifying attributes, encrypted
);
CREATE TABLE IF NOT EXISTS uids (
    new_uid TEXT PRIMARY KEY,
    original BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
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
        self._key: bytes | None = None

    def ensure(self) -> None:
        """Create the folder (0700), the key (0600) and the store once, before any worker starts."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            key_path = self.dir / "key"
            if not key_path.exists():
                fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_hex(KEY_BYTES))
            self.db.execute("PRAGMA journal_mode=WAL")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            tables = self.db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            if tables and version != SCHEMA_VERSION:
                raise OutputNotWritableError(
                    f"the project store in {self.dir} was made by another version of pixelscrub; "
                    "use a new project name, or the pixelscrub version that made it")
            self.db.executescript(SCHEMA)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            os.chmod(self.dir / "store.sqlite", 0o600)
        except OSError as exc:
            raise OutputNotWritableError(
                f"the project folder {self.dir} cannot be written ({exc.strerror}); "
                "set [project] home in the config or PIXELSCRUB_HOME to a private, writable folder") from None

    def exists(self) -> bool:
        return (self.dir / "key").is_file() and (self.dir / "store.sqlite").is_file()

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = bytes.fromhex((self.dir / "key").read_text().strip())
        return self._key

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:  # opened lazily so each worker process gets its own connection
            self._db = sqlite3.connect(self.dir / "store.sqlite", timeout=120, isolation_level=None)
        return self._db

    # Encryption of originals --------------------------------------------------------------------

    def _lookup(self, kind: str, value: str) -> bytes:
        return hmac.new(self.key, f"{kind} {value}".encode(), hashlib.sha256).digest()

    def _cipher(self) -> AESGCM:
        return AESGCM(hmac.new(self.key, b"pixelscrub store encryption", hashlib.sha256).digest())

    def _seal(self, data: dict) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._cipher().encrypt(nonce, json.dumps(data, sort_keys=True).encode(), None)

    def _open(self, blob: bytes) -> dict:
        return json.loads(self._cipher().decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], None))

    # Mappings -----------------------------------------------------------------------------------

    def pseudonym(self, patient_key: str, original: dict[str, str]) -> str:
        """PREFIX_0001 style, assigned in first-seen order and stable for the project."""
        db, lookup = self.db, self._lookup("patient", patient_key)
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT pseudonym FROM patients WHERE lookup = ?", (lookup,)).fetchone()
            if row is None:
                seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM patients").fetchone()[0]
                row = (f"{self.prefix}_{seq:0{self.width}d}",)
                db.execute("INSERT INTO patients VALUES (?, ?, ?, ?)", (lookup, row[0], seq, self._seal(original)))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return row[0]

    def remember_uids(self, mapping: dict[str, str]) -> None:
        if not mapping:
            return
        rows = [(new, self._seal({"uid": original})) for original, new in mapping.items()]
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany("INSERT OR IGNORE INTO uids VALUES (?, ?)", rows)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def date_offset(self, configured: int | None) -> int:
        """The project's one date offset in days: the configured one, else derived from the key.

        Recorded (encrypted) on first use; a later run configured with another offset is refused, as
        it would break the intervals between this project's dates.
        """
        chosen = configured if configured is not None else offset_from_key(self.key)
        row = self.db.execute("SELECT value FROM settings WHERE name = 'date offset'").fetchone()
        if row is None:
            self.db.execute("INSERT OR IGNORE INTO settings VALUES ('date offset', ?)",
                            (self._seal({"days": chosen}),))
            row = self.db.execute("SELECT value FROM settings WHERE name = 'date offset'").fetchone()
        recorded = self._open(row[0])["days"]
        if recorded != chosen:
            raise ValueError("the project already uses another date offset; remove date_offset_days from the "
                             "config, or start a new project")
        return recorded

    def reidentify(self, value: str) -> dict[str, str] | None:
        """The originals behind a pseudonym or a replaced UID, or None."""
        row = self.db.execute("SELECT original FROM patients WHERE pseudonym = ?", (value.strip(),)).fetchone()
        if row is None:
            row = self.db.execute("SELECT original FROM uids WHERE new_uid = ?", (value.strip(),)).fetchone()
        return self._open(row[0]) if row else None

    # Run state ----------------------------------------------------------------------------------

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
