"""The private project folder: key, encrypted mapping store, date offset, re-identification."""

import stat

import pytest
from cryptography.exceptions import InvalidTag

from pixelscrub.cli import main
from pixelscrub.project import Project

ORIGINAL = {"PatientID": "12345678", "PatientName": "DOE^JANE"}


def project(name="trial", width=3) -> Project:
    p = Project(name, None, name.upper(), width)
    p.ensure()
    return p


def test_key_and_folder_are_private(private_home):
    p = project()
    assert stat.S_IMODE((p.dir / "key").stat().st_mode) == 0o600
    assert stat.S_IMODE(p.dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((p.dir / "store.sqlite").stat().st_mode) == 0o600


def test_pseudonyms_follow_first_seen_order_and_stay(private_home):
    p = project()
    assert [p.pseudonym(k, ORIGINAL) for k in ("id:1", "id:2", "id:1")] == ["TRIAL_001", "TRIAL_002", "TRIAL_001"]
    p.close()
    again = project()
    assert again.pseudonym("id:2", ORIGINAL) == "TRIAL_002" and again.pseudonym("id:3", ORIGINAL) == "TRIAL_003"


def test_another_project_has_its_own_key_and_numbering(private_home):
    a, b = project("alpha"), project("beta")
    assert a.key != b.key
    assert b.pseudonym("id:1", ORIGINAL) == "BETA_001"


def test_the_store_holds_no_original_in_clear(private_home):
    p = project()
    p.pseudonym("id:|12345678", ORIGINAL)
    p.remember_uids({"1.2.826.0.1.3680043.2.1125.1.1": "2.25.1"})
    p.close()
    raw = b"".join(f.read_bytes() for f in p.dir.iterdir() if f.name.startswith("store"))
    for value in (b"12345678", b"DOE^JANE", b"1.2.826.0.1.3680043.2.1125.1.1"):
        assert value not in raw


def test_reidentify_needs_the_key(private_home):
    p = project()
    pseudonym = p.pseudonym("id:|12345678", ORIGINAL)
    p.remember_uids({"1.2.826.0.1.3680043.2.1125.1.1": "2.25.1"})
    assert p.reidentify(pseudonym) == ORIGINAL
    assert p.reidentify("2.25.1") == {"uid": "1.2.826.0.1.3680043.2.1125.1.1"}
    assert p.reidentify("NOBODY") is None
    (p.dir / "key").write_text("00" * 32)  # a store without its key
    stranger = Project("trial", None, "TRIAL", 3)
    with pytest.raises(InvalidTag):
        stranger.reidentify(pseudonym)


def test_date_offset_is_fixed_for_the_project(private_home):
    p = project()
    derived = p.date_offset(None)
    assert -3650 <= derived <= -365 and p.date_offset(None) == derived
    with pytest.raises(ValueError):
        p.date_offset(derived + 1)
    assert project("other").date_offset(-42) == -42


def test_reidentify_command(private_home, capsys):
    p = project("default", 4)
    pseudonym = p.pseudonym("id:|12345678", ORIGINAL)
    p.close()
    assert main(["reidentify", pseudonym]) == 0
    assert "PatientID: 12345678" in capsys.readouterr().out
    assert main(["reidentify", "PXS_9999"]) == 6
    assert main(["reidentify", "--project", "missing", "PXS_0001"]) == 6


def test_a_store_of_another_schema_is_refused_with_advice(private_home):
    import sqlite3

    from pixelscrub.errors import OutputNotWritableError

    folder = private_home / "projects" / "old"
    folder.mkdir(parents=True)
    sqlite3.connect(folder / "store.sqlite").executescript("CREATE TABLE patients (patient_key TEXT)")
    with pytest.raises(OutputNotWritableError, match="another version"):
        project("old")
