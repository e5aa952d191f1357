"""Import procedures and shipment documents per market (issue 9).

"What must I do to sell this product in that market?" is answered by the measures
(:mod:`tradewind.requirements`) *and* by how goods enter the market: the ordered steps of the
import procedure (registration, declaration, licences, inspection, release) and the documents
a shipment needs.  Both are stored per economy or group (:mod:`.models`), loaded from a
labelled SAMPLE (:mod:`.sample`) or an advisor-filled CSV (:mod:`tradewind.ingest.procedures_csv`),
and combined with the measures' own documents into one checklist (:mod:`.queries`).
"""
