"""Geography reads over a small GeoDist file."""

from pathlib import Path

from tradewind.db import Database
from tradewind.geo.queries import pairs_from
from tradewind.ingest.geodist import import_geodist

HEADER = ("iso_o,iso_d,contig,comlang_off,comlang_ethno,colony,comcol,curcol,col45,smctry,"
          "dist,distcap,distw,distwces\n")


def test_pairs_from(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "dist_cepii.csv"
    path.write_text(HEADER + "KEN,UGA,1,1,1,0,1,0,0,0,500,500,520,510\n"
                             "KEN,GBR,0,1,1,1,0,0,1,0,6800,6800,.,.\n"
                             "UGA,KEN,1,1,1,0,1,0,0,0,500,500,520,510\n", encoding="utf-8")
    import_geodist(db, path)
    with db.connect() as conn:
        pairs = pairs_from(conn, "ken")
    assert set(pairs) == {"UGA", "GBR"}
    assert pairs["UGA"].contiguous and pairs["UGA"].distance_km == 520
    assert pairs["GBR"].colonial_link and pairs["GBR"].distance_km == 6800
