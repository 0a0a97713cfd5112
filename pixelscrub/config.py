"""Run settings: the TOML config a user passes with --config, and the detector profile from models/.

A config holds the user's choices (project, pseudonym prefix, masking policy); a profile holds the
thresholds the detector runs with, kept as data in models/profiles.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path

from pixelscrub import __version__
from pixelscrub.errors import BadArgsError
from pixelscrub.header.options import HeaderOptions
from pixelscrub.header.overrides import parse_overrides
from pixelscrub.pixels.regions.content import ContentParams
from pixelscrub.pixels.text.detect import DetectParams
from pixelscrub.pixels.regions.places import PlaceParams
from pixelscrub.pixels.text.check import CheckParams
from pixelscrub.pixels.text.match import POLICIES, MatchParams
from pixelscrub.pixels.ocr.engine import CropSettings
from pixelscrub.pixels.text.scan import ScanSettings
from pixelscrub.pixels.codec.store import OUTPUTS

HEADER_KEYS = set(HeaderOptions.__dataclass_fields__) - {"overrides"}
CONFIG_KEYS = {
    "project": {"name", "prefix", "pseudonym_width", "home"},
    "pixels": {"profile", "policy", "output", "keep_frames_mb"},
    "header": HEADER_KEYS | {"overrides"},
}


@dataclass(frozen=True)
class Profile:
    name: str
    detect: DetectParams = DetectParams()
    ocr: CropSettings = CropSettings()
    confirm: CropSettings = CropSettings(text_height=48, max_scale=6.0)
    match: MatchParams = MatchParams()
    places: PlaceParams = PlaceParams()
    check: CheckParams = CheckParams()
    content: ContentParams = ContentParams()
    mask_pad: int = 3

    def first_pass(self) -> ScanSettings:
        return ScanSettings(detect=self.detect, crop=self.ocr, match=self.match, confirm=self.confirm)


@dataclass(frozen=True)
class Config:
    project: str = "default"
    prefix: str = "PXS"
    pseudonym_width: int = 4
    home: Path | None = None
    policy: str = "closed"
    output: str = "auto"      # lossless syntax of rewritten pixel data: auto (per source family) or one of OUTPUTS
    keep_frames_mb: int = 64  # decoded frames kept between the read and write passes, per worker
    profile: Profile = field(default_factory=lambda: load_profile("default"))
    header: HeaderOptions = HeaderOptions()

    def digest(self) -> str:
        """Changes whenever a setting that shapes the output changes, so resumed runs redo the work."""
        data = asdict(self)
        data["home"] = str(self.home)
        data["version"] = __version__
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _section(document: dict, name: str, cls, source: str):
    values = document.get(name, {})
    try:
        return cls(**values)
    except TypeError:
        known = sorted(cls.__dataclass_fields__)
        raise BadArgsError(f"{source}: section [{name}] has an unknown key; known keys: {', '.join(known)}") from None


def profile_source(name_or_path: str) -> tuple[str, str]:
    """The TOML text of a profile and its name: by name from models/profiles, or from a .toml path."""
    if name_or_path.endswith(".toml"):
        path = Path(name_or_path)
        if not path.is_file():
            raise BadArgsError(f"profile file {path} does not exist; pass a name from models/profiles or a .toml path")
        return path.read_text("utf-8"), path.stem
    resource = resources.files("pixelscrub.models").joinpath("profiles", f"{name_or_path}.toml")
    if not resource.is_file():
        raise BadArgsError(f"no profile named {name_or_path!r}; see models/profiles for the names")
    return resource.read_text("utf-8"), name_or_path


def load_profile(name_or_path: str) -> Profile:
    """A profile by name from models/profiles, or from a .toml path."""
    text, name = profile_source(name_or_path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadArgsError(f"profile {name_or_path} is not valid TOML ({exc}); fix the file") from None
    unknown = set(document) - {"detect", "ocr", "confirm", "match", "places", "check", "content", "mask"}
    if unknown:
        raise BadArgsError(f"profile {name_or_path} has unknown sections {sorted(unknown)}")
    mask = document.get("mask", {})
    pad = int(mask.get("pad", 3))
    if pad < 2:
        raise BadArgsError(f"profile {name_or_path}: [mask] pad must be at least 2 px")
    return Profile(
        name=name,
        detect=_section(document, "detect", DetectParams, name),
        ocr=_section(document, "ocr", CropSettings, name),
        confirm=_section(document, "confirm", CropSettings, name),
        match=_section(document, "match", MatchParams, name),
        places=_section(document, "places", PlaceParams, name),
        check=_section(document, "check", CheckParams, name),
        content=_content(document, name),
        mask_pad=pad,
    )


def _content(document: dict, name: str) -> ContentParams:
    values = dict(document.get("content", {}))
    if "face_modalities" in values:
        values["face_modalities"] = tuple(str(m).upper() for m in values["face_modalities"])
    return _section({"content": values}, "content", ContentParams, name)


def _prefix_from(project: str) -> str:
    cleaned = "".join(c if c.isalnum() else "_" for c in project.upper()).strip("_")
    return cleaned or "PXS"


def _header_options(document: dict, source: str) -> HeaderOptions:
    values = dict(document)
    overrides = values.pop("overrides", {})
    offset = values.get("date_offset_days")
    if offset is not None and (not isinstance(offset, int) or isinstance(offset, bool)):
        raise BadArgsError(f"{source}: [header] date_offset_days must be a whole number of days")
    for name in HEADER_KEYS - {"dates", "times", "date_offset_days"}:
        if name in values and not isinstance(values[name], bool):
            raise BadArgsError(f"{source}: [header] {name} must be true or false")
    try:
        return HeaderOptions(**values, overrides=parse_overrides(overrides))
    except ValueError as exc:
        raise BadArgsError(f"{source}: {exc}") from None


def load_config(path: Path | None, project: str | None = None, profile: str | None = None) -> Config:
    """Settings from the TOML file at `path` (if any); command-line values win over the file."""
    document: dict = {}
    if path is not None:
        try:
            document = tomllib.loads(Path(path).read_text("utf-8"))
        except FileNotFoundError:
            raise BadArgsError(f"config file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise BadArgsError(f"config file {path} is not valid TOML ({exc}); fix the file") from None
        for section, values in document.items():
            if section not in CONFIG_KEYS or not isinstance(values, dict) or set(values) - CONFIG_KEYS[section]:
                raise BadArgsError(
                    f"config file {path}: unknown setting in [{section}]; the README lists the settings")
    project_doc, pixels_doc = document.get("project", {}), document.get("pixels", {})
    header = _header_options(document.get("header", {}), str(path))
    name = project or project_doc.get("name", "default")
    policy = pixels_doc.get("policy", "closed")
    if policy not in POLICIES:
        raise BadArgsError(f"[pixels] policy must be one of {', '.join(POLICIES)}")
    width = int(project_doc.get("pseudonym_width", 4))
    if not 1 <= width <= 12:
        raise BadArgsError("[project] pseudonym_width must be between 1 and 12")
    output = pixels_doc.get("output", "auto")
    if output not in ("auto", *OUTPUTS):
        raise BadArgsError(f"[pixels] output must be auto or one of {', '.join(OUTPUTS)} (all lossless)")
    keep = pixels_doc.get("keep_frames_mb", 64)
    if not isinstance(keep, int) or keep < 0:
        raise BadArgsError("[pixels] keep_frames_mb must be a whole number of megabytes, 0 or more")
    chosen = load_profile(profile or pixels_doc.get("profile", "default"))
    chosen = replace(chosen, match=replace(chosen.match, policy=policy))
    home = project_doc.get("home")
    return Config(
        project=name,
        prefix=project_doc.get("prefix") or ("PXS" if name == "default" else _prefix_from(name)),
        pseudonym_width=width,
        home=Path(home).expanduser() if home else None,
        policy=policy,
        output=output,
        keep_frames_mb=keep,
        profile=chosen,
        header=header,
    )
