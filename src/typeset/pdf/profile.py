"""The printer's CMYK output profile: found, read and checked once for every output."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import ImageCms

from ..core.errors import Finding, error
from ..source.manifest import Edition

PROFILE_HELP = ("ask the printing house for its CMYK output profile (for coldset newsprint usually "
                "ISOnewspaper26v4 from WAN-IFRA / ECI, www.eci.org), put it there, or remove "
                "'icc' from [printer]")


def profile_path(edition: Edition) -> Path | None:
    icc = edition.paper.printer.icc
    return (edition.root / icc) if icc else None


def load_profile(edition: Edition) -> tuple[bytes | None, list[Finding]]:
    """The printer's ICC profile bytes, or a finding saying why there are none."""
    path = profile_path(edition)
    toml = edition.root / "newspaper.toml"
    if path is None:
        return None, [error("icc-missing", "[printer] names no CMYK output profile ('icc'); press "
                            f"files need the printer's profile: {PROFILE_HELP}", toml)]
    if not path.is_file():
        return None, [error("icc-missing", f"the printer profile {path} ([printer] icc) does not "
                            f"exist: {PROFILE_HELP}", toml)]
    data = path.read_bytes()
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError) as exc:
        return None, [error("icc-invalid", f"{path} is not a readable ICC profile: {exc}", toml)]
    if profile.profile.xcolor_space.strip() != "CMYK":
        return None, [error("icc-invalid", f"{path} is a {profile.profile.xcolor_space.strip()} "
                            "profile; the printer's CMYK output profile is needed", toml)]
    return data, []


def profile_digest(profile: bytes | None) -> str:
    return hashlib.sha256(profile or b"").hexdigest()
