"""Rough figures for the requirements importer and requirements_for (see BENCHMARKS.md)."""
import statistics, time, tempfile, zlib
from datetime import date
from pathlib import Path
from tradewind.db import Database, migrate
from tradewind.agreements.init import load_groups
from tradewind.ingest.requirements_csv import COLUMNS, import_requirements_csv
from tradewind.requirements.queries import requirements_for
tmp = Path(tempfile.mkdtemp())
db = Database(f"sqlite:///{tmp/'b.db'}"); migrate.upgrade(db)
with db.connect() as c, c.begin(): load_groups(c)
eco = ["USA","EUN","GBR","KEN","IND","BRA","JPN","FRA","DEU","CHN"]
codes = ["A83","A84","A21","B31","B83","B7","C1","E1"]
rows=[]
for i in range(20000):
    h = zlib.crc32(str(i).encode())
    hs = " ".join(f"{(h>>k)%97+1:02d}{(h>>(k+7))%99:02d}" for k in (0,5,11))
    rows.append(f"{eco[h%10]},{codes[(h>>3)%8]},{hs},,Measure {i},S,,,,2020-01-01,,Doc")
p = tmp/"m.csv"; p.write_text(",".join(COLUMNS)+"\n"+"\n".join(rows)+"\n")
t=time.perf_counter(); import_requirements_csv(db, p); imp=time.perf_counter()-t
times=[]
with db.connect() as conn:
    for i in range(300):
        hs=f"{i%97+1:02d}{i%99:02d}11"
        t=time.perf_counter(); r=requirements_for(conn, product=hs, destination="FRA", origin="KEN", as_of=date(2024,1,1)); times.append(time.perf_counter()-t)
times.sort()
print(f"import 20000 measures: {imp:.2f}s; query median {statistics.median(times)*1000:.1f} ms, p95 {times[int(len(times)*.95)]*1000:.1f} ms, max {times[-1]*1000:.1f} ms")
