"""Transfer syntaxes newer than the pydicom we depend on, so their files can be read, held and written.

pydicom 3.0 refuses to write a dataset whose (non-private) transfer syntax it does not know, so a JPEG XL
ultrasound would fail instead of reaching quarantine. Registering the UIDs (PS3.6 Table A-1, 2024
editions) lets pydicom treat them as what they are: encapsulated, explicit VR little endian. No codec
comes with them; the pixel stage holds such images when it has to read them.
"""

from pydicom._uid_dict import UID_dictionary

NEWER = {
    "1.2.840.10008.1.2.4.110": ("JPEG XL Lossless", "JPEGXLLossless"),
    "1.2.840.10008.1.2.4.111": ("JPEG XL JPEG Recompression", "JPEGXLJPEGRecompression"),
    "1.2.840.10008.1.2.4.112": ("JPEG XL", "JPEGXL"),
    "1.2.840.10008.1.2.8.1": ("Deflated Image Frame Compression", "DeflatedImageFrameCompression"),
}


def register() -> None:
    for uid, (name, keyword) in NEWER.items():
        UID_dictionary.setdefault(uid, (name, "Transfer Syntax", "", "", keyword))
