"""The wild synthetic archive (`pixelscrub synth --layouts wild`): other fonts, vendors, layouts and
languages than the standard generator's, text over anatomy; measured on, never tuned on."""

from pixelscrub.synth.wild.archive import generate, write_archive

__all__ = ["generate", "write_archive"]
