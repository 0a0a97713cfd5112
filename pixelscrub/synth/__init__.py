"""Deterministic synthetic DICOM archives with ground truth for every burned-in text.

Tests, the demo and the benchmarks all need archives whose PHI is known to the
pixel; `generate` writes one from a seed, identical byte for byte on every run.
"""

from pixelscrub.synth.archive import generate

__all__ = ["generate"]
