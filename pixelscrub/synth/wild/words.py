"""What devices print around the PHI, in seven languages: labels and clinical text.

Written from how such screens look in English, French, German, Spanish,
Italian, Dutch and Portuguese clinics, independently of pixelscrub's own
vocabulary, so the detector is scored on words it was never fitted to.
Labels are kind "label"; everything here that is not a label is "clinical".
"""

from __future__ import annotations

import random
import unicodedata

LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt")


def _by_language(*rows: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Rows of one word per language (in LANGUAGES order) -> each language's words."""
    return {lang: tuple(row[i] for row in rows) for i, lang in enumerate(LANGUAGES)}


def _concepts(**rows: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """One word per language for each named concept: MEASURE["depth"]["fr"] == "Prof"."""
    return {name: dict(zip(LANGUAGES, row, strict=True)) for name, row in rows.items()}


LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "name": {
        "en": ("Name:", "Patient:", "Pt Name:", "Patient Name:", "NAME"),
        "fr": ("Nom :", "Nom:", "Patient :", "Nom patient :"),
        "de": ("Name:", "Patient:", "Pat.-Name:", "Patientenname:"),
        "es": ("Nombre:", "Paciente:", "Nom. Pac.:"),
        "it": ("Nome:", "Paziente:", "Cognome Nome:"),
        "nl": ("Naam:", "Patiënt:", "Patiëntnaam:"),
        "pt": ("Nome:", "Paciente:", "Utente:", "Doente:"),
    },
    "birth": {
        "en": ("DOB:", "Birth Date:", "D.O.B.", "Born:"),
        "fr": ("Né(e) le :", "Né(e) le:", "Date naiss. :", "DDN:"),
        "de": ("Geb.:", "Geb.-Datum:", "Geburtsdatum:", "geb."),
        "es": ("F. Nac.:", "Fecha nac.:", "F.Nacimiento:"),
        "it": ("Data di nascita:", "Nato/a il:", "Data nasc.:"),
        "nl": ("Geb. datum:", "Geboren:", "Geb.dat.:"),
        "pt": ("Data nasc.:", "D. Nasc.:", "Nascimento:"),
    },
    "id": {
        "en": ("ID:", "MRN:", "Pt ID:", "Patient ID:", "Hosp No:"),
        "fr": ("IPP :", "IPP:", "N° dossier :", "ID :"),
        "de": ("PID:", "Pat.-Nr.:", "Patienten-ID:", "ID:"),
        "es": ("NHC:", "Nº Historia:", "N.H.C.:", "ID:"),
        "it": ("ID Paz.:", "Cod. Paz.:", "N. Cartella:", "ID:"),
        "nl": ("Pat.nr.:", "Patiëntnr.:", "ID:"),
        "pt": ("N.º Proc.:", "Processo:", "NUP:", "ID:"),
    },
    "age": _by_language(("Age:", "Âge :", "Alter:", "Edad:", "Età:", "Leeftijd:", "Idade:")),
    "institution": {
        "en": ("Institution:", "Hospital:", "Site:"),
        "fr": ("Hôpital :", "Établissement :", "Site :"),
        "de": ("Klinikum:", "Klinik:", "Einrichtung:"),
        "es": ("Hospital:", "Centro:"),
        "it": ("Ospedale:", "Struttura:", "Presidio:"),
        "nl": ("Ziekenhuis:", "Instelling:"),
        "pt": ("Hospital:", "Instituição:", "Unidade:"),
    },
    "operator": {
        "en": ("Operator:", "Tech:", "Sonographer:", "Op:", "Sono:", "RT:"),
        "fr": ("Opérateur :", "Manip :", "Op:", "Sono:"),
        "de": ("Untersucher:", "MTRA:", "Bediener:", "Op:"),
        "es": ("Operador:", "Técnico:", "TER:", "Op:"),
        "it": ("Operatore:", "TSRM:", "Op:"),
        "nl": ("Laborant:", "Echografist:", "Op:", "Sono:"),
        "pt": ("Operador:", "Técnico:", "TSDT:", "Op:"),
    },
    "referring": {
        "en": ("Ref. Phys:", "Referring:", "Ref:", "Ref Dr:"),
        "fr": ("Méd. prescr. :", "Prescripteur :", "Dr prescr.:"),
        "de": ("Überweiser:", "Zuweiser:", "Überw. Arzt:"),
        "es": ("Méd. solic.:", "Solicitante:", "Peticionario:"),
        "it": ("Medico inv.:", "Richiedente:", "Inviante:"),
        "nl": ("Verwijzer:", "Aanvrager:"),
        "pt": ("Méd. req.:", "Requisitante:", "Médico:"),
    },
    "performer": {
        "en": ("Performed by:", "Physician:", "Read by:", "Reported by:"),
        "fr": ("Réalisé par :", "Médecin :", "Interprété par :"),
        "de": ("Durchgeführt von:", "Befundet von:", "Arzt:"),
        "es": ("Realizado por:", "Médico:", "Informado por:"),
        "it": ("Eseguito da:", "Refertato da:", "Medico:"),
        "nl": ("Uitgevoerd door:", "Arts:", "Verslag door:"),
        "pt": ("Realizado por:", "Médico:", "Relatado por:"),
    },
    "date": {
        "en": ("Date:", "Exam Date:", "Study Date:"),
        "fr": ("Date :", "Date examen :"),
        "de": ("Datum:", "Unters.-Datum:"),
        "es": ("Fecha:", "Fecha est.:"),
        "it": ("Data:", "Data esame:"),
        "nl": ("Datum:", "Onderzoeksdatum:"),
        "pt": ("Data:", "Data exame:"),
    },
    "time": _by_language(("Time:", "Heure :", "Uhrzeit:", "Hora:", "Ora:", "Tijd:", "Hora:")),
    "exam": _by_language(("Exam:", "Examen :", "Untersuchung:", "Estudio:", "Esame:", "Onderzoek:", "Exame:"),
                         ("Study:", "Exam.:", "Unters.:", "Exploración:", "Indagine:", "Onderzoek:", "Estudo:")),
    "accession": _by_language(("Acc#:", "N° examen :", "Auftragsnr.:", "Nº Petición:", "N. Accett.:", "Ordernr.:",
                               "N.º Req.:"),
                              ("Accession:", "N° dem. :", "Auftr.-Nr.:", "Nº Acceso:", "Accettazione:",
                               "Aanvraagnr.:", "Requisição:")),
}
# Labels many devices print in English whatever the language of the site.
SHORT_LABELS = {
    "operator": ("Op:", "Sono:", "Tech:", "RT:", "OP"),
    "referring": ("Ref:", "Ref. Phys:", "RefPhy:"),
    "id": ("MRN:", "PID:", "ID#", "ID"),
    "name": ("PT:", "Pt:", "NAME:"),
    "birth": ("DOB", "BD:"),
}
DOCTOR_TITLES = _by_language(("Dr.", "Dr", "Dr.", "Dr.", "Dott.", "Dr.", "Dr."))


def label(field: str, language: str, r: random.Random) -> str:
    """A label for `field` in `language`; now and then the English short form devices keep everywhere."""
    if field in SHORT_LABELS and r.random() < 0.25:
        return r.choice(SHORT_LABELS[field])
    return r.choice(LABELS[field][language])


BODY_PARTS = _by_language(
    ("LIVER", "FOIE", "LEBER", "HÍGADO", "FEGATO", "LEVER", "FÍGADO"),
    ("RT KIDNEY", "REIN DROIT", "NIERE RE", "RIÑÓN DCHO", "RENE DX", "NIER RE", "RIM DTO"),
    ("LT KIDNEY", "REIN GAUCHE", "NIERE LI", "RIÑÓN IZDO", "RENE SX", "NIER LI", "RIM ESQ"),
    ("THYROID", "THYROÏDE", "SCHILDDRÜSE", "TIROIDES", "TIROIDE", "SCHILDKLIER", "TIROIDE"),
    ("GALLBLADDER", "VÉSICULE", "GALLENBLASE", "VESÍCULA", "COLECISTI", "GALBLAAS", "VESÍCULA"),
    ("BLADDER", "VESSIE", "HARNBLASE", "VEJIGA", "VESCICA", "BLAAS", "BEXIGA"),
    ("UTERUS", "UTÉRUS", "UTERUS", "ÚTERO", "UTERO", "BAARMOEDER", "ÚTERO"),
    ("SPLEEN", "RATE", "MILZ", "BAZO", "MILZA", "MILT", "BAÇO"),
    ("CAROTID R", "CAROTIDE D", "KAROTIS RE", "CARÓTIDA D", "CAROTIDE DX", "CAROTIS RE", "CARÓTIDA D"),
    ("HEART", "COEUR", "HERZ", "CORAZÓN", "CUORE", "HART", "CORAÇÃO"),
)
XRAY_PARTS = _by_language(
    ("CHEST", "THORAX", "THORAX", "TÓRAX", "TORACE", "THORAX", "TÓRAX"),
    ("ABDOMEN", "ABDOMEN", "ABDOMEN", "ABDOMEN", "ADDOME", "BUIK", "ABDÓMEN"),
    ("PELVIS", "BASSIN", "BECKEN", "PELVIS", "BACINO", "BEKKEN", "BACIA"),
    ("KNEE", "GENOU", "KNIE", "RODILLA", "GINOCCHIO", "KNIE", "JOELHO"),
    ("HAND", "MAIN", "HAND", "MANO", "MANO", "HAND", "MÃO"),
    ("WRIST", "POIGNET", "HANDGELENK", "MUÑECA", "POLSO", "POLS", "PUNHO"),
    ("SKULL", "CRÂNE", "SCHÄDEL", "CRÁNEO", "CRANIO", "SCHEDEL", "CRÂNIO"),
)
MODALITY_NAMES = _concepts(
    ct=("CT", "TDM", "CT", "TC", "TC", "CT", "TC"),
    mr=("MRI", "IRM", "MRT", "RM", "RM", "MRI", "RM"),
    xr=("XR", "RX", "Rö", "RX", "RX", "RX", "RX"),
)
EXAMS = {
    "en": ("ABDOMEN COMPLETE", "RENAL US", "THYROID US", "ECHO TTE", "OB 2ND TRIM", "VENOUS DUPLEX LE"),
    "fr": ("ÉCHO ABDOMINALE", "ÉCHO RÉNALE", "ÉCHO THYROÏDE", "ETT", "ÉCHO OBST T2", "DOPPLER VEINEUX MI"),
    "de": ("OBERBAUCH", "NIERENSONO", "SD-SONO", "TTE", "FETOMETRIE", "VENENDUPLEX BEIN"),
    "es": ("ECO ABDOMINAL", "ECO RENAL", "ECO TIROIDEA", "ETT", "ECO OBSTÉTRICA", "ECO DOPPLER VENOSO"),
    "it": ("ECO ADDOME COMPLETO", "ECO RENALE", "ECO TIROIDE", "ECOCARDIO TT", "ECO OSTETRICA", "ECOCOLORDOPPLER"),
    "nl": ("ECHO BOVENBUIK", "ECHO NIEREN", "ECHO SCHILDKLIER", "TTE", "ECHO ZWANGERSCHAP", "DUPLEX BEENVENEN"),
    "pt": ("ECOGRAFIA ABDOMINAL", "ECO RENAL", "ECO TIROIDEIA", "ECOCARDIOGRAMA", "ECO OBSTÉTRICA",
           "ECO DOPPLER VENOSO"),
}
STATUS = {
    "en": ("Frozen", "FREEZE", "Live", "Stored", "Printing..."),
    "fr": ("Figé", "Gel", "Temps réel", "Enregistré", "Impression..."),
    "de": ("Eingefroren", "Freeze", "Live", "Gespeichert", "Drucken..."),
    "es": ("Congelado", "Congelar", "Tiempo real", "Guardado", "Imprimiendo..."),
    "it": ("Congelato", "Freeze", "Tempo reale", "Salvato", "Stampa..."),
    "nl": ("Bevroren", "Live", "Opgeslagen", "Afdrukken..."),
    "pt": ("Congelado", "Tempo real", "Guardado", "A imprimir..."),
}
MEASURE = _concepts(
    length=("Dist", "Dist", "Abst", "Dist", "Dist", "Afst", "Dist"),
    area=("Area", "Surf", "Fläche", "Área", "Area", "Opp", "Área"),
    depth=("Depth", "Prof", "Tiefe", "Prof", "Prof", "Diepte", "Prof"),
    gain=("Gain", "Gain", "Verst", "Gan", "Guad", "Vers", "Ganho"),
    thickness=("Thk", "Ép.", "SD", "Esp", "Sp", "Dikte", "Esp"),
    image=("Im", "Im", "Bild", "Im", "Imm", "Beeld", "Im"),
    series=("Se", "Sé", "Se", "Se", "Se", "Se", "Sé"),
)
ANNOTATIONS = {
    "en": ("cyst", "lesion", "mid pole", "upper pole", "LONG", "TRANS", "SAG", "no flow", "post void"),
    "fr": ("kyste", "lésion", "pôle sup", "LONG", "TRANSV", "après miction", "nodule"),
    "de": ("Zyste", "Läsion", "Oberpol", "LÄNGS", "QUER", "Knoten", "nach Miktion"),
    "es": ("quiste", "lesión", "polo sup", "LONG", "TRANSV", "nódulo", "postmiccional"),
    "it": ("cisti", "lesione", "polo sup", "LONG", "TRASV", "nodulo", "post minzione"),
    "nl": ("cyste", "laesie", "bovenpool", "LENGTE", "DWARS", "nodus", "na mictie"),
    "pt": ("quisto", "lesão", "polo sup", "LONG", "TRANSV", "nódulo", "pós-miccional"),
}
SIDES = _by_language(("L", "G", "LI", "IZQ", "SX", "L", "E"), ("R", "D", "RE", "DCH", "DX", "R", "D"))
REPORT = _concepts(
    title=("ULTRASOUND REPORT", "COMPTE RENDU D'ÉCHOGRAPHIE", "SONOGRAPHIE-BEFUND", "INFORME ECOGRÁFICO",
           "REFERTO ECOGRAFICO", "ECHOGRAFIE VERSLAG", "RELATÓRIO DE ECOGRAFIA"),
    measurements=("Measurements", "Mesures", "Messwerte", "Mediciones", "Misure", "Metingen", "Medições"),
    impression=("Impression", "Conclusion", "Beurteilung", "Conclusión", "Conclusioni", "Conclusie", "Conclusão"),
    page=("Page 1/1", "Page 1/1", "Seite 1/1", "Página 1/1", "Pagina 1/1", "Pagina 1/1", "Página 1/1"),
)
CONCLUSIONS = {
    "en": ("No focal lesion.", "Normal size and echotexture.", "Simple cyst, no follow-up needed."),
    "fr": ("Pas de lésion focale.", "Taille et échostructure normales.", "Kyste simple, pas de suivi."),
    "de": ("Kein fokaler Herdbefund.", "Normale Größe und Echotextur.", "Einfache Zyste, keine Kontrolle."),
    "es": ("Sin lesiones focales.", "Tamaño y ecoestructura normales.", "Quiste simple, sin control."),
    "it": ("Non lesioni focali.", "Dimensioni ed ecostruttura nella norma.", "Cisti semplice, nessun controllo."),
    "nl": ("Geen focale afwijking.", "Normale grootte en echostructuur.", "Eenvoudige cyste, geen controle."),
    "pt": ("Sem lesões focais.", "Dimensões e ecoestrutura normais.", "Quisto simples, sem controlo."),
}
VIEWER_TOOLS = _by_language(
    ("Zoom", "Zoom", "Zoom", "Zoom", "Zoom", "Zoom", "Zoom"),
    ("Window", "Fenêtre", "Fenster", "Ventana", "Finestra", "Venster", "Janela"),
    ("Measure", "Mesure", "Messen", "Medir", "Misura", "Meten", "Medir"),
    ("Series", "Séries", "Serien", "Series", "Serie", "Series", "Séries"),
    ("Print", "Imprimer", "Drucken", "Imprimir", "Stampa", "Afdrukken", "Imprimir"),
)
ENDOSCOPY = _concepts(
    colonoscopy=("Colonoscopy", "Coloscopie", "Koloskopie", "Colonoscopia", "Colonscopia", "Coloscopie",
                 "Colonoscopia"),
    gastroscopy=("Gastroscopy", "Gastroscopie", "Gastroskopie", "Gastroscopia", "Gastroscopia", "Gastroscopie",
                 "Endoscopia alta"),
    caecum=("caecum", "caecum", "Zökum", "ciego", "cieco", "caecum", "cego"),
    polyp=("polyp", "polype", "Polyp", "pólipo", "polipo", "poliep", "pólipo"),
    antrum=("antrum", "antre", "Antrum", "antro", "antro", "antrum", "antro"),
)
UNICODE_ONLY = {"°": "o", "º": "o", "ª": "a", "ß": "ss"}


def ascii_fold(text: str) -> str:
    """What a device without accented glyphs prints: "Né(e) le" becomes "Ne(e) le"."""
    text = "".join(UNICODE_ONLY.get(c, c) for c in text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
