"""Labels are found in seven languages, as phrases, with an OCR slip, split from or glued to their
separator and value; captions of clinical values are not labels."""

import tomllib
from pathlib import Path

import pytest

from pixelscrub.header.phi import PhiSet
from pixelscrub.pixels.text.labels import ROLES, Label, label_key, load_labels
from pixelscrub.pixels.text.match import judge_line
from tests.conftest import make_line

LABELS_TOML = Path(__file__).resolve().parent.parent / "models" / "labels.toml"
DOCUMENT = tomllib.loads(LABELS_TOML.read_text("utf-8"))
LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt")
EVERY_LABEL = [(role, language, kind, text) for role in ROLES for language, block in DOCUMENT[role].items()
               for kind in ("labels", "bare", "colon") for text in block.get(kind, [])]


def at(text: str, start: int = 0) -> Label | None:
    return load_labels().at(text.split(), start)


@pytest.mark.parametrize("role,language,kind,text", EVERY_LABEL)
def test_every_label_of_every_role_and_language_is_found_before_a_colon(role, language, kind, text):
    words = text.split()
    label = load_labels().at([*words[:-1], words[-1] + ":", "VALUE"], 0)
    assert label == Label(role, len(words), kind == "bare", True, ""), (language, text)


@pytest.mark.parametrize("role,language,kind,text", [case for case in EVERY_LABEL if case[2] == "bare"])
def test_bare_labels_need_no_separator(role, language, kind, text):
    label = load_labels().at([*text.split(), "VALUE"], 0)
    assert label is not None and label.role == role and not label.separated


@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_labels_in_every_language(role):
    assert set(DOCUMENT[role]) == set(LANGUAGES)
    for language, block in DOCUMENT[role].items():
        assert block.get("labels", []) + block.get("bare", []) and block["source"], (role, language)


def test_a_caption_has_one_role_and_one_strength_wherever_it_is_listed():
    seen: dict[str, tuple[str, str, str]] = {}
    for role, language, kind, text in EVERY_LABEL:
        key = label_key(text)
        assert seen.setdefault(key, (role, kind, text))[:2] == (role, kind), (text, seen[key])


@pytest.mark.parametrize("text,role,words", [
    ("Date of birth 12.03.1961", "date", 3), ("Né(e) le 12/03/1961", "date", 2),
    ("Fecha de nacimiento: 3", "date", 3), ("Data di nascita 12.03.1961", "date", 3),
    ("Geboortedatum 12-03-1961", "date", 1), ("Data de nascimento: x", "date", 3),
    ("Performed by J SMITH", "physician", 2), ("Ref. Phys. HOUSE", "physician", 2),
    ("Ref Phys: HOUSE", "physician", 2), ("Patient ID 1234", "id", 2), ("Patient Name: DOE", "name", 2),
    ("Médecin prescripteur: Dr X", "physician", 2), ("Durchgeführt von: MÜLLER", "physician", 2),
    ("Eseguito da ROSSI", "physician", 2), ("Uitgevoerd door JANSEN", "physician", 2),
    ("Realizado por GARCIA", "physician", 2), ("Nome do utente SILVA", "name", 3), ("Nº de processo 12", "id", 3),
    ("Study Date: 03/16/1999", "date", 2), ("Img Tm: 14:23:53", "date", 2), ("Date d'examen 12.03.2024", "date", 2),
])
def test_phrases_are_found_whole(text, role, words):
    label = at(text)
    assert label is not None and (label.role, label.words) == (role, words)


def test_the_longest_label_wins():
    assert at("Patient Name: DOE").words == 2 and at("Patient: DOE").words == 1
    assert at("Referring Physician: HOUSE").role == "physician" and at("Referring Physician: HOUSE").words == 2


@pytest.mark.parametrize("text,role", [
    ("Nane: SVENSSON", "name"), ("Nome: SVENSSON", "name"), ("Patiemt: SVENSSON", "name"),
    ("Geburtsdatun: 1.2.61", "date"), ("Referring Physican: HOUSE", "physician"), ("Accesion: 123", "id"),
    ("Operalor: X", "physician"), ("Narne: DOE", "name"),
])
def test_one_ocr_slip_is_allowed_in_labels_of_four_letters_or_more(text, role):
    assert at(text).role == role


@pytest.mark.parametrize("text", ["Rate: 30", "Gate: 2mm", "Size: 3cm", "Note: X", "Depth: 16cm", "Insp: 1.2"])
def test_a_clinical_word_is_never_taken_for_a_slipped_label(text):
    assert at(text) is None


def test_a_separator_read_as_a_word_of_its_own_is_part_of_the_label():
    assert at("Name : SVENSSON") == Label("name", 2, False, True, "")
    assert at("Name :SVENSSON") == Label("name", 2, False, True, "SVENSSON")
    assert at("Acc # 12345") == Label("id", 2, False, True, "")


def test_a_value_glued_to_the_label_is_reported():
    assert at("Name:DOE") == Label("name", 1, False, True, "DOE")
    assert at("MRN#44AB12") == Label("id", 1, True, True, "44AB12")
    assert at("Acc#: 0545") == Label("id", 1, False, True, "")


@pytest.mark.parametrize("text,role", [
    ("Dr. HOUSE", "physician"), ("DOB 01/02/1950", "date"), ("MRN 44AB12", "id"), ("SSN 123", "id"),
    ("PID: 125-98-445", "id"), ("Acc: 0545234234325V", "id"), ("Ref: Kowalski", "physician"),
    ("IPP 123456", "id"), ("NHC 12345", "id"), ("BSN 123456782", "id"), ("NHS No 943 476", "id"),
    ("Pat.-Nr.: 4471", "id"), ("N° dossier: 12", "id"), ("No dossier: 12", "id"), ("Nº utente 123", "id"),
    ("Tél: 01 45", "id"), ("Telefono 06", "id"), ("Téléfono 91", "id"), ("Zuweiser: MEIER", "physician"),
    ("Überweiser: MEIER", "physician"), ("Ueberweiser: MEIER", "physician"), ("Operateur: VOS", "physician"),
    ("Opérateur: DURAND", "physician"), ("Untersucher: BAUER", "physician"), ("Échographiste: MARTIN", "physician"),
    ("Echographiste: MARTIN", "physician"), ("Ecografista: RUIZ", "physician"), ("Sonographer: J", "physician"),
    ("Tech: AB", "physician"), ("MTRA: X", "physician"), ("TSRM: X", "physician"), ("Manipulateur: X", "physician"),
    ("Laborant: X", "physician"), ("Hôpital: X", "institution"), ("Klinikum: X", "institution"),
    ("Ziekenhuis: X", "institution"), ("Ospedale: X", "institution"), ("Servicio: X", "institution"),
    ("Serviço: X", "institution"), ("Abteilung: X", "institution"), ("Adresse: X", "institution"),
    ("Dirección: X", "institution"), ("Indirizzo: X", "institution"), ("Adres: X", "institution"),
    ("Morada: X", "institution"), ("Endereço: X", "institution"), ("Datum: 1", "date"), ("Fecha: 1", "date"),
    ("Data: 1", "date"), ("Mme DUPONT", "name"), ("Herr MÜLLER", "name"), ("Nom: X", "name"),
    ("Nachname: X", "name"), ("Apellidos: X", "name"), ("Cognome: X", "name"), ("Achternaam: X", "name"),
    ("Sobrenome: X", "name"), ("Name:", "name"),
])
def test_labels_of_every_role_in_running_text(text, role):
    label = at(text)
    assert label is not None and label.role == role


@pytest.mark.parametrize("text", [
    "DR 70", "Dr", "Date 2", "Patient", "Unit: 0.1 cm", "Site: liver", "Center: 40", "Prof: 16cm", "DT: 180",
    "CAP: 250", "TSI 0.5", "HC: 30.1", "CF: 4.4MHz", "RT KIDNEY", "Lin: DCM", "Lat: F", "W: 254", "Se#: 1",
    "Fr: 1/19", "Mag: 1.79X", "Zeit: 3.4", "MI: 1.2",
])
def test_captions_of_clinical_values_are_not_labels(text):
    assert at(text) is None


def test_a_label_is_found_where_it_starts_in_a_line():
    words = "MI 1.1 TIS 0.4 Name: DOE".split()
    assert load_labels().at(words, 4).role == "name" and load_labels().at(words, 0) is None


def test_role_of_one_word_whatever_follows_it():
    labels = load_labels()
    assert labels.role("Nane:") == "name" and labels.role("DOB") == "date" and labels.role("Patient:") == "name"
    assert labels.role("Rate") is None and labels.role("Liver") is None
    # a slip without a separator may be a caption run into a value: "OPEB" for "OP EB", initials
    assert labels.role("OPEB") is None and labels.role("OP") == "physician"


@pytest.mark.parametrize("text,role,words", [
    ("Date naiss. 12.03.1961", "date", 2), ("Né le 12/03/1961", "date", 2), ("Naiss. 12/03/1961", "date", 1),
    ("Fecha nac. 12/03/1961", "date", 2), ("F. nac. 12/03/1961", "date", 2), ("Data nasc. 12/03/1961", "date", 2),
    ("Geb.-Dat. 12.03.1961", "date", 1), ("Geb. Dat. 12.03.1961", "date", 2),
    ("Méd. prescr. DUPONT", "physician", 2), ("Méd. trait. DUPONT", "physician", 2),
    ("Méd. prescripteur DUPONT", "physician", 2), ("Auftr.-Nr. 4471", "id", 1), ("Pat.-Nr. 4471", "id", 1),
    ("Doente: SILVA", "name", 1), ("Nome do doente SILVA", "name", 3), ("Utente: SILVA", "name", 1),
    ("Paziente: ROSSI", "name", 1), ("Paciente: RUIZ", "name", 1), ("Patiënt: JANSEN", "name", 1),
    ("Patiente: DURAND", "name", 1), ("Untersucher: BAUER", "physician", 1), ("Operat. VOS", "physician", 1),
    ("Sonogr. MARTIN", "physician", 1), ("Tech. AB", "physician", 1), ("Technol. AB", "physician", 1),
    ("Ref. Phys. HOUSE", "physician", 2), ("Prescripteur: DUPONT", "physician", 1),
    ("Médecin: DUPONT", "physician", 1), ("Arzt: MEIER", "physician", 1), ("Médico: RUIZ", "physician", 1),
    ("Medico: ROSSI", "physician", 1), ("Arts: JANSEN", "physician", 1),
])
def test_abbreviated_captions_with_full_stops(text, role, words):
    label = at(text)
    assert label is not None and (label.role, label.words) == (role, words)


@pytest.mark.parametrize("text,role,words", [
    ("Opérat. DURAND", "physician", 1), ("Operat. VOS", "physician", 1), ("Sonogr. X", "physician", 1),
    ("Radiol. X", "physician", 1), ("Méd. dem. X", "physician", 2), ("Méd. traitant X", "physician", 2),
    ("Geburtsd. 1.2.61", "date", 1), ("Date de naiss. 1.2.61", "date", 3), ("Nom du pat. DUPONT", "name", 3),
    ("Ref. Physic. HOUSE", "physician", 2), ("Überweis. Arzt MEIER", "physician", 2),
    ("Nom du pat.: DUPONT", "name", 3),
])
def test_a_word_ending_in_a_full_stop_stands_for_the_start_of_its_label_word(text, role, words):
    label = at(text)
    assert label is not None and (label.role, label.words) == (role, words)
    assert label.separated or label.bare  # a full stop ends it, or the label it abbreviates is bare


@pytest.mark.parametrize("text", [
    "Prof. 16cm", "Med. 3mm", "Inf. 2cm", "Ser. 3", "Cor. 2", "Res. 2", "Ped. 1", "Exp. 2", "Dir. 2",
    "Circ. 12cm", "Dist. 3cm", "Card. 1", "Stand. 1", "Hist. 2", "Atten. 0.5", "Parte. 2", "Labor. 2",
    "Histo. 2", "Échogr. 2", "Ecogr. 2", "Geslacht. M", "Cardio. 1", "Kardio. 1", "Access. 2",
    "Untersuch. X",  # Untersucher, Untersuchungsdatum, Untersuchungsnummer: three roles, so none
])
def test_clinical_abbreviations_and_ambiguous_ones_are_not_abbreviated_labels(text):
    assert at(text) is None


def test_an_abbreviation_alone_is_not_a_role_so_a_surname_with_a_full_stop_is_never_kept_as_a_label():
    labels = load_labels()
    assert labels.role("Operat.") == "physician" and labels.role("Naiss.") == "date"  # listed as they are
    assert all(labels.role(w) is None for w in ("Radiol.", "Burger.", "Regis.", "Porta.", "Prof.", "Untersuch."))
    assert at("Radiol. X").role == "physician"  # as a caption it still masks what follows


@pytest.mark.parametrize("text,start", [("144 N", 1), ("N 144", 0), ("N: 144", 0), ("N. 144", 0), ("120 N 45 mm", 1)])
def test_a_lone_n_is_a_force_unit_not_an_id_caption(text, start):
    assert at(text, start) is None and load_labels().role("N") is None


@pytest.mark.parametrize("text,value", [("No. 12", ""), ("N° 12", ""), ("Nº 12", ""), ("Nr. 12", ""), ("N°12", "12"),
                                        ("Nº: 12", ""), ("No: 12", ""), ("Nr: 12", "")])
def test_number_captions_before_a_number_stay_id_labels(text, value):
    label = at(text)
    assert label is not None and label.role == "id" and label.separated and label.value == value
    assert at("N° dossier 12").words == 2 and at("Nº de processo 12").words == 3


@pytest.mark.parametrize("text", ["Compression 144 N", "Compr. 12 daN 45 mm", "W/Rh 29 kVp 66 mAs AGD 1.23 mGy",
                                  "LCC 120 N 52 mm"])
def test_mammography_exposure_lines_are_kept_whole(text):
    assert {f.kind for f in judge_line(make_line(text), PhiSet())} == {"keep"}


def test_the_value_after_an_abbreviated_caption_is_masked():
    findings = judge_line(make_line("Méd. prescr. KOWALSKI"), PhiSet())
    masked = [f for f in findings if f.kind == "phi"]
    assert masked and all(f.label == "pattern:label-physician" for f in masked)


@pytest.mark.parametrize("text", ["RT: JB", "RT:JB Dr Guerin", "RT : JB", "RT(R): JB"])
def test_a_technologist_caption_that_is_also_the_right_side_counts_before_a_colon(text):
    label = at(text)
    assert label is not None and label.role == "physician" and label.separated
    line = make_line(text)
    masked = [w.text for w in line.words if any(f.kind == "phi" and f.box.contains(w.box)
                                                for f in judge_line(line, PhiSet()))]
    assert any("JB" in word for word in masked)


@pytest.mark.parametrize("text", ["RT KIDNEY", "Rt. Kidney", "RT 12 cm"])
def test_the_right_side_is_no_caption(text):
    assert at(text) is None
