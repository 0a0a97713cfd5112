"""Where in an image PHI is likely: the bands along the top and bottom, the corners, what lies outside an
ultrasound's data regions, the regions known devices burn PHI into, and any line already holding PHI,
the rest of its row nearby and the next field of its column.

Under the fail-closed policy a word that is neither PHI nor clinical text is masked in these places (a
banner's unlabelled name, a clinic's name in a footer) and holds the image anywhere else (a word typed
over the anatomy, which a person must judge). The shares are data: the profile's [places] section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pixelscrub.pixels.regions.boxes import Box


@dataclass(frozen=True)
class PlaceParams:
    band: float = 0.15         # top and bottom bands, as a share of the image height
    corner_width: float = 0.3  # corners: this share of the width...
    corner_height: float = 0.3  # ...by this share of the height, in each of the four corners
    min_band: int = 24         # px: a band is never thinner than this (small images)
    outside_data: bool = True  # everything outside an ultrasound's data regions (banner, side columns)


@dataclass
class Places:
    """The PHI-likely places of one image; `lines` grows as lines holding PHI are found."""

    rows: int
    columns: int
    params: PlaceParams = PlaceParams()
    data_regions: tuple[Box, ...] = ()
    known: tuple[tuple[str, Box], ...] = ()  # (rule, region) the region rules name for this device
    lines: list[Box] = field(default_factory=list)

    def fixed(self) -> list[Box]:
        """The places that do not depend on what was read: bands, corners and known regions."""
        p, rows, columns = self.params, self.rows, self.columns
        band = min(rows, max(p.min_band, round(p.band * rows)))
        corner_w, corner_h = round(p.corner_width * columns), round(p.corner_height * rows)
        return [Box(0, 0, columns, band), Box(0, rows - band, columns, band),
                Box(0, 0, corner_w, corner_h), Box(columns - corner_w, 0, corner_w, corner_h),
                Box(0, rows - corner_h, corner_w, corner_h), Box(columns - corner_w, rows - corner_h, corner_w, corner_h),
                *(box for _, box in self.known)]

    def known_region(self, box: Box) -> str | None:
        """The rule naming a known PHI region that holds most of `box`, if any."""
        return next((name for name, region in self.known if box.intersection(region) >= 0.5 * box.area), None)

    def beside_phi(self, box: Box) -> bool:
        """On the row of a line holding PHI, within three of its heights: the next field of a banner."""
        return any(min(line.y1, box.y1) - max(line.y, box.y) >= 0.5 * min(line.h, box.h)
                   and max(line.x - box.x1, box.x - line.x1) <= 3 * line.h for line in self.lines)

    def under_phi(self, box: Box) -> bool:
        """Next in a column of fields whose line above holds PHI: left edges aligned, or right edges in a
        column set flush right, within half a line height of it ("41 J" under a birth date)."""
        return any(min(abs(line.x - box.x), abs(line.x1 - box.x1)) <= line.h
                   and 0 <= box.y - line.y1 <= 0.5 * line.h + 1 for line in self.lines)

    def likely(self, box: Box) -> bool:
        """Whether most of `box` lies in a PHI-likely place."""
        half = 0.5 * box.area
        if any(box.intersection(place) >= half for place in self.fixed()):
            return True
        if any(box.intersection(line) >= half for line in self.lines) or self.beside_phi(box) or self.under_phi(box):
            return True
        if self.params.outside_data and self.data_regions:
            return not any(box.intersection(region) >= half for region in self.data_regions)
        return False
