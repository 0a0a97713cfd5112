"""What becomes of text that is neither PHI nor clinical, by the masking policy and where it stands.

- closed (the default): a word read well that nothing explains is masked wherever it is (it may be a
  name); a word read too weakly to judge is masked where PHI is likely (pixels/regions/places.py, or a
  line that holds PHI) and holds the image anywhere else, since it may be a misread measurement over
  the anatomy that a person must see. Nothing unaccounted for is released.
- text: both are masked wherever they are;
- phi: a word read well is masked only inside a region a known device burns PHI into, kept elsewhere;
  a word read weakly holds the image;
- header: a word read well is kept (only header values are masked; PHI-like text holds the image).
"""

from __future__ import annotations

from pixelscrub.pixels.regions.places import Places
from pixelscrub.pixels.text.match import Finding


def resolve(findings: list[Finding], places: Places, policy: str) -> list[Finding]:
    """The findings of one line with every unknown and doubtful word settled."""
    holds_phi = any(f.kind == "phi" for f in findings)
    return [_settle(f, places, policy, holds_phi) if f.kind in ("unknown", "doubtful") else f for f in findings]


def _settle(finding: Finding, places: Places, policy: str, holds_phi: bool) -> Finding:
    region = places.known_region(finding.box)
    masked = policy == "text" or (policy == "closed" and (finding.kind == "unknown" or holds_phi
                                                          or places.likely(finding.box)))
    if masked:
        return Finding(finding.box, f"region:{region}" if region else f"text:{finding.label}", "phi")
    if finding.kind == "doubtful":
        return finding
    if policy == "phi" and region:
        return Finding(finding.box, f"region:{region}", "phi")
    return Finding(finding.box, finding.label, "keep")
