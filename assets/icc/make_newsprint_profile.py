"""Make ``report-builder-newsprint-220.icc``: a synthetic newsprint CMYK output profile.

Why: the project needs a CMYK output profile it may redistribute and embed in every
PDF, and no newsprint profile is installable here (norms.md §3.4). So we model a
coldset-on-newsprint press ourselves and let ArgyllCMS's ``colprof`` build a real
ICC profile (A2B/B2A tables, gamut mapping, GCR, ink limit) from that model.

The model (all numbers are approximate, not measured):
* Colours of paper and solid inks: CIELAB (D50) close to the published aims of
  ISO 12647-3 for newsprint; the exact tables of the standard were not at hand.
* Two-, three- and four-colour overprints: densities add, the second and later inks
  at 72 % (poor wet-on-wet trapping), over a 4 % first-surface reflection floor.
* Halftones: Neugebauer/Demichel mixing with a tone value increase of 26 % at the
  40 % patch (the WAN-IFRA target), curve ``1 - (1 - t) ** p``.
* Separation: heavy GCR with early black start, total ink 220 %, black 100 %.

Run (needs Debian's ``argyll`` package; only to regenerate, never at build time):

    python assets/icc/make_newsprint_profile.py

The output is deterministic apart from the profile's creation date, which colprof
takes from the clock; we reset it to the fixed date below and fix the profile ID.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "report-builder-newsprint-220"
DESCRIPTION = "report_builder synthetic newsprint CMYK, TAC 220% (approximate, not certified)"
COPYRIGHT = "No copyright, use freely (CC0 1.0). Made by report_builder from a synthetic model."
FIXED_DATE = (2024, 1, 1, 0, 0, 0)

# CIELAB D50 of paper and solids (approximate ISO 12647-3 newsprint aims).
PAPER = (82.0, 0.0, 3.0)
SOLIDS = {
    "C": (57.0, -23.0, -27.0),
    "M": (54.0, 44.0, -2.0),
    "Y": (78.0, -3.0, 58.0),
    "K": (36.0, 1.0, 4.0),
}
TVI_AT_40 = 0.262
STEPS_CMY = (0, 10, 20, 30, 40, 55, 70, 85, 100)
STEPS_K = (0, 20, 40, 60, 80, 100)

D50 = (0.9642, 1.0, 0.8249)


def lab_to_xyz(lab: tuple[float, float, float]) -> tuple[float, float, float]:
    L, a, b = lab
    fy = (L + 16) / 116
    fx = fy + a / 500
    fz = fy - b / 200

    def inv(t: float) -> float:
        return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)

    return (D50[0] * inv(fx), D50[1] * inv(fy), D50[2] * inv(fz))


def xyz_to_lab(xyz: tuple[float, float, float]) -> tuple[float, float, float]:
    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, D50, strict=True))
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


PAPER_XYZ = lab_to_xyz(PAPER)
#: First-surface reflection as a share of the paper's reflectance: light that never
#: meets the ink layer, so no overprint gets darker than this floor.
SURFACE = 0.04
#: Share of its density a second (third, fourth) ink adds when printed wet-on-wet
#: over another ink: coldset traps poorly.
TRAP = 0.72


def _density(xyz: tuple[float, float, float]) -> tuple[float, float, float]:
    """Optical density per channel of an ink film, surface reflection removed."""
    out = []
    for v, p in zip(xyz, PAPER_XYZ, strict=True):
        body = (v / p - SURFACE) / (1 - SURFACE)
        out.append(-math.log10(max(body, 1e-4)))
    return (out[0], out[1], out[2])


DENSITY = {ink: _density(lab_to_xyz(lab)) for ink, lab in SOLIDS.items()}
# exponent so that the 40 % patch prints at 40 % + TVI_AT_40
P = math.log(1 - (0.4 + TVI_AT_40)) / math.log(0.6)


def printed(t: float) -> float:
    """Effective area coverage of a nominal tone value 0..1."""
    return 1 - (1 - t) ** P


def overprint(inks: str) -> tuple[float, float, float]:
    """XYZ of solid inks printed on top of each other (a Neugebauer primary)."""
    xyz = []
    for ch in range(3):
        ds = sorted((DENSITY[i][ch] for i in inks), reverse=True)
        d = ds[0] + TRAP * sum(ds[1:]) if ds else 0.0
        xyz.append(PAPER_XYZ[ch] * (SURFACE + (1 - SURFACE) * 10**-d))
    return (xyz[0], xyz[1], xyz[2])


PRIMARIES = {
    combo: overprint("".join(i for on, i in zip(combo, "CMYK", strict=True) if on))
    for combo in itertools.product((0, 1), repeat=4)
}


def predict(cmyk: tuple[float, float, float, float]) -> tuple[float, float, float]:
    """CIELAB of a CMYK patch (0..1) under the model (Demichel weights)."""
    cover = [printed(v) for v in cmyk]
    xyz = [0.0, 0.0, 0.0]
    for combo, colour in PRIMARIES.items():
        weight = 1.0
        for on, a in zip(combo, cover, strict=True):
            weight *= a if on else 1 - a
        for i in range(3):
            xyz[i] += weight * colour[i]
    return xyz_to_lab((xyz[0], xyz[1], xyz[2]))


def write_ti3(path: Path) -> int:
    rows = []
    for k in STEPS_K:
        for c, m, y in itertools.product(STEPS_CMY, repeat=3):
            rows.append((c, m, y, k))
    lines = [
        "CTI3",
        "",
        'DESCRIPTOR "report_builder synthetic newsprint characterisation"',
        'ORIGINATOR "report_builder assets/icc/make_newsprint_profile.py"',
        'CREATED "January 1, 2024"',
        'DEVICE_CLASS "OUTPUT"',
        'COLOR_REP "CMYK_LAB"',
        "",
        "NUMBER_OF_FIELDS 9",
        "BEGIN_DATA_FORMAT",
        "SAMPLE_ID CMYK_C CMYK_M CMYK_Y CMYK_K LAB_L LAB_A LAB_B STDEV_L",
        "END_DATA_FORMAT",
        "",
        f"NUMBER_OF_SETS {len(rows)}",
        "BEGIN_DATA",
    ]
    for i, (c, m, y, k) in enumerate(rows, 1):
        L, a, b = predict((c / 100, m / 100, y / 100, k / 100))
        lines.append(f"{i} {c:.2f} {m:.2f} {y:.2f} {k:.2f} {L:.4f} {a:.4f} {b:.4f} 0.0")
    lines.append("END_DATA")
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return len(rows)


def fix_header(data: bytearray) -> bytes:
    """Set the creation date to FIXED_DATE and recompute the profile ID (bytes 84..99)."""
    struct.pack_into(">6H", data, 24, *FIXED_DATE)
    if data[8] >= 4:  # profile ID only exists in v4 profiles
        tmp = bytearray(data)
        tmp[44:48] = b"\0\0\0\0"  # flags
        tmp[64:68] = b"\0\0\0\0"  # rendering intent
        tmp[84:100] = b"\0" * 16
        data[84:100] = hashlib.md5(tmp).digest()
    return bytes(data)


def main() -> int:
    if not shutil.which("colprof"):
        print("colprof not found: apt-get install argyll", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / NAME
        n = write_ti3(base.with_suffix(".ti3"))
        cmd = [
            "colprof",
            "-v",
            "-qm",
            "-nc",  # do not embed the .ti3 in the profile
            "-r", "0.1",
            "-kp", "0", "0.05", "1.0", "1.0", "0.6",  # heavy GCR, early black start
            "-l", "220",
            "-L", "100",
            "-S", "/usr/share/color/argyll/ref/sRGB.icm",
            "-cmt", "-dpp",
            "-A", "report_builder",
            "-M", "newsprint (synthetic)",
            "-D", DESCRIPTION,
            "-C", COPYRIGHT,
            str(base),
        ]  # fmt: skip
        subprocess.run(cmd, check=True, cwd=tmp, stdout=subprocess.DEVNULL)
        data = fix_header(bytearray(base.with_suffix(".icc").read_bytes()))
    out = HERE / f"{NAME}.icc"
    out.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    print(f"{out}: {len(data)} bytes from {n} synthetic patches, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
