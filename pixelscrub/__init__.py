"""pixelscrub: make DICOM archives safe to share, header and burned-in pixels alike."""

__version__ = "0.1.0"
