"""Writes data/world_110m.json: one SVG path per country, keyed by ISO
3166-1 alpha-3, for the world map of `gaztag report`.

Source: Natural Earth 1:110m admin-0 countries (public domain), as
TopoJSON in the npm package world-atlas 2.0.2 (Mike Bostock, ISC licence):

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python3 tools/gen_world_map.py package/countries-110m.json

Numeric ISO codes become alpha-3 through Debian's iso-codes
(../shared/data/countries/debian_iso_codes/iso_3166-1.json). The
projection is equirectangular (x = longitude + 180, y = 90 - latitude, on a
360 x 170 view box without Antarctica's south), rounded to 0.1 degree,
which keeps the file small.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ISO = ROOT.parent / "shared/data/countries/debian_iso_codes/iso_3166-1.json"


def main(src: str) -> None:
    topo = json.load(open(src, encoding="utf-8"))
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(idx):
        pts = []
        for i in idx:
            a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            pts.extend(a if not pts else a[1:])
        return pts

    numeric = {c["numeric"]: c["alpha_3"] for c in json.load(open(ISO))["3166-1"]}
    out = {}
    for g in topo["objects"]["countries"]["geometries"]:
        a3 = numeric.get(g.get("id"))
        if not a3 or "arcs" not in g:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        d = []
        for poly in polys:
            for r in poly:
                pts = []
                for lon, lat in ring(r):
                    p = (round(lon + 180, 1), round(90 - min(lat, 90), 1))
                    if not pts or pts[-1] != p:
                        pts.append(p)
                if len(pts) >= 3:
                    # A ring that crosses the antimeridian (Russia, Fiji)
                    # jumps across the map: lift the pen there.
                    seg = f"M{pts[0][0]:g},{pts[0][1]:g}"
                    wraps = False
                    for (x0, _), (x, y) in zip(pts, pts[1:]):
                        jump = abs(x - x0) > 180
                        wraps |= jump
                        seg += ("M" if jump else "L") + f"{x:g},{y:g}"
                    d.append(seg if wraps else seg + "Z")
        if d:
            out[a3] = out.get(a3, "") + "".join(d)
    dst = ROOT / "data" / "world_110m.json"
    dst.write_text(json.dumps(out, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    print(f"{len(out)} countries, {dst.stat().st_size} bytes written to {dst}")


if __name__ == "__main__":
    main(sys.argv[1])
