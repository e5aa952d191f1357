"""A deterministic, clearly-labelled SAMPLE of import procedures and shipment documents.

The demo markets of the other SAMPLEs (USA, EUN, GBR, KEN, IND, BRA, JPN) get the usual
sequence of an import — importer registration, declaration, licence where food or plants are
concerned, inspection, payment, release — and the usual documents, in English, French and
Spanish.  Agencies are the real kind of body but times and fees are illustrative: every title
says "(SAMPLE)" and the dataset is ``is_sample=True``.
"""

from __future__ import annotations

from sqlalchemy import select

from tradewind.bootstrap import Report
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.ingest.procedures_csv import KIND, ProcedureRowIn, write_rows
from tradewind.settings import Settings

SAMPLE_NAME = "SAMPLE import procedures and documents"
SAMPLE_SOURCE = "Tradewind SAMPLE generator: plausible but NOT real procedures"
PLANTS_FOOD = "01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22"

# economy → (customs, registration name, plant/veterinary authority, standards body)
MARKETS: dict[str, tuple[str, str, str, str]] = {
    "USA": ("U.S. Customs and Border Protection", "importer number (IRS or CBP-assigned)",
            "USDA APHIS / FDA", "CPSC / FCC"),
    "EUN": ("Customs authority of the member state of entry", "EORI number",
            "Border control post of the member state", "Notified body or manufacturer"),
    "GBR": ("HM Revenue & Customs", "GB EORI number", "APHA / Port health authority",
            "Approved body or manufacturer"),
    "KEN": ("Kenya Revenue Authority (Customs)", "KRA PIN and iCMS registration", "KEPHIS",
            "Kenya Bureau of Standards"),
    "IND": ("Central Board of Indirect Taxes and Customs", "Importer-Exporter Code (IEC)",
            "Plant Quarantine Organisation / FSSAI", "Bureau of Indian Standards"),
    "BRA": ("Receita Federal", "RADAR registration (Siscomex)", "MAPA", "INMETRO"),
    "JPN": ("Japan Customs", "customs registration of the importer",
            "Plant Protection Station / Animal Quarantine Service", "METI / MIC"),
}


def _t(en: str, fr: str, es: str) -> tuple[str, str, str]:
    return en, fr, es


def _row(economy: str, record: str, position: int, kind: str, title: tuple[str, str, str],
         description: tuple[str, str, str], **extra: object) -> ProcedureRowIn:
    condition = extra.pop("condition", ("", "", ""))
    assert isinstance(condition, tuple)
    translations = {"title_fr": title[1] + " (SAMPLE)", "title_es": title[2] + " (SAMPLE)",
                    "description_fr": "SAMPLE : " + description[1],
                    "description_es": "SAMPLE: " + description[2],
                    "condition_fr": condition[1], "condition_es": condition[2]}
    return ProcedureRowIn(0, record, economy, position, kind, title[0] + " (SAMPLE)",
                          "SAMPLE: " + description[0], condition=condition[0],
                          translations=translations, **extra)  # type: ignore[arg-type]


def _steps(economy: str) -> list[ProcedureRowIn]:
    customs, registration, sps, _standards = MARKETS[economy]
    return [
        _row(economy, "step", 1, "registration",
             _t("Register as an importer", "S'enregistrer comme importateur",
                "Registrarse como importador"),
             _t(f"The importer (or its customs broker) obtains a {registration} before the "
                "first shipment.",
                f"L'importateur (ou son commissionnaire en douane) obtient un identifiant "
                f"({registration}) avant le premier envoi.",
                f"El importador (o su agente de aduanas) obtiene un identificador "
                f"({registration}) antes del primer envío."),
             agency=customs, days_min=1, days_max=5, fee="free", glossary="importer-of-record",
             help_service="customs and logistics"),
        _row(economy, "step", 2, "licence",
             _t("Obtain the import permit for food, plants or animals",
                "Obtenir le permis d'importation pour les aliments, plantes ou animaux",
                "Obtener el permiso de importación de alimentos, plantas o animales"),
             _t("Products of animal or plant origin need a permit or prior notice from the "
                "health authority before they are shipped.",
                "Les produits d'origine animale ou végétale exigent un permis ou une "
                "notification préalable de l'autorité sanitaire avant l'expédition.",
                "Los productos de origen animal o vegetal requieren un permiso o aviso previo "
                "de la autoridad sanitaria antes del envío."),
             agency=sps, hs_scope=PLANTS_FOOD, days_min=5, days_max=20, glossary="import-licence",
             help_service="certification and standards"),
        _row(economy, "step", 3, "declaration",
             _t("Lodge the import declaration", "Déposer la déclaration d'importation",
                "Presentar la declaración de importación"),
             _t("The declaration gives the HS code, customs value and origin of the goods, "
                "with the commercial invoice and transport document.",
                "La déclaration indique le code SH, la valeur en douane et l'origine des "
                "marchandises, avec la facture commerciale et le document de transport.",
                "La declaración indica el código SA, el valor en aduana y el origen de las "
                "mercancías, con la factura comercial y el documento de transporte."),
             agency=customs, days_min=0, days_max=1, glossary="customs-declaration",
             help_service="customs and logistics"),
        _row(economy, "step", 4, "inspection",
             _t("Document check and physical inspection",
                "Contrôle documentaire et inspection physique",
                "Control documental e inspección física"),
             _t("Customs and, for food, plants and animals, the health authority check the "
                "documents and may inspect or sample the goods.",
                "La douane et, pour les aliments, plantes et animaux, l'autorité sanitaire "
                "contrôlent les documents et peuvent inspecter ou prélever les marchandises.",
                "La aduana y, para alimentos, plantas y animales, la autoridad sanitaria "
                "controlan los documentos y pueden inspeccionar o muestrear las mercancías."),
             agency=f"{customs}; {sps}", days_min=0, days_max=3,
             glossary="risk-management"),
        _row(economy, "step", 5, "payment",
             _t("Pay duties and taxes", "Payer les droits et taxes", "Pagar derechos e impuestos"),
             _t("Import duties, VAT or GST and any excise are paid or guaranteed before release.",
                "Les droits d'importation, la TVA et les éventuelles accises sont payés ou "
                "garantis avant la mainlevée.",
                "Los derechos de importación, el IVA y los impuestos especiales se pagan o "
                "garantizan antes del levante."),
             agency=customs, days_min=0, days_max=1, glossary="import-duty"),
        _row(economy, "step", 6, "release",
             _t("Release of the goods", "Mainlevée des marchandises", "Levante de las mercancías"),
             _t("Once the checks are passed and the charges paid, customs releases the goods "
                "to the importer.",
                "Une fois les contrôles passés et les sommes payées, la douane remet les "
                "marchandises à l'importateur.",
                "Superados los controles y pagados los importes, la aduana entrega las "
                "mercancías al importador."),
             agency=customs, days_min=0, days_max=2, glossary="release-of-goods"),
    ]


def _documents(economy: str) -> list[ProcedureRowIn]:
    customs, _registration, sps, standards = MARKETS[economy]
    return [
        _row(economy, "document", 1, "commercial",
             _t("Commercial invoice", "Facture commerciale", "Factura comercial"),
             _t("The seller's invoice: parties, description and HS code of the goods, "
                "quantity, price, currency and Incoterms rule.",
                "La facture du vendeur : parties, description et code SH des marchandises, "
                "quantité, prix, devise et règle Incoterms.",
                "La factura del vendedor: partes, descripción y código SA de las mercancías, "
                "cantidad, precio, moneda y regla Incoterms."),
             code="commercial-invoice", agency="the exporter", glossary="commercial-invoice",
             days_min=0, days_max=0, fee="free", help_service="export training"),
        _row(economy, "document", 2, "commercial",
             _t("Packing list", "Liste de colisage", "Lista de empaque"),
             _t("What is in each package: marks, number of packages, net and gross weight.",
                "Le contenu de chaque colis : marques, nombre de colis, poids net et brut.",
                "El contenido de cada bulto: marcas, número de bultos, peso neto y bruto."),
             code="packing-list", agency="the exporter", glossary="packing-list",
             days_min=0, days_max=0, fee="free"),
        _row(economy, "document", 3, "transport",
             _t("Transport document (bill of lading, air waybill or CMR)",
                "Document de transport (connaissement, lettre de transport aérien ou CMR)",
                "Documento de transporte (conocimiento de embarque, guía aérea o CMR)"),
             _t("Issued by the carrier when it takes the goods; shows the consignee and the "
                "route.",
                "Émis par le transporteur à la prise en charge ; indique le destinataire et "
                "l'itinéraire.",
                "Emitido por el transportista al recibir la mercancía; indica el consignatario "
                "y la ruta."),
             code="transport-document", agency="the carrier or freight forwarder",
             glossary="bill-of-lading", help_service="customs and logistics",
             aliases="bill of lading;air waybill;CMR note"),
        _row(economy, "document", 4, "origin",
             _t("Certificate of origin or origin statement",
                "Certificat d'origine ou déclaration d'origine",
                "Certificado de origen o declaración de origen"),
             _t("Shows where the goods were made; needed to claim a preferential rate under a "
                "trade agreement, in the form that agreement requires.",
                "Indique où les marchandises ont été fabriquées ; nécessaire pour obtenir un "
                "taux préférentiel au titre d'un accord commercial, sous la forme exigée par "
                "cet accord.",
                "Indica dónde se fabricaron las mercancías; necesario para obtener un arancel "
                "preferencial en virtud de un acuerdo comercial, en la forma que exija ese "
                "acuerdo."),
             code="proof-of-origin", agency="the exporter, a chamber of commerce or the "
             "exporting country's authority", glossary="proof-of-origin",
             condition=_t("To claim a preferential rate", "Pour obtenir un taux préférentiel",
                          "Para obtener un arancel preferencial"),
             days_min=1, days_max=3, help_service="export training",
             aliases="certificate of origin;origin declaration;statement on origin"),
        _row(economy, "document", 5, "sps",
             _t("Phytosanitary certificate", "Certificat phytosanitaire",
                "Certificado fitosanitario"),
             _t("Issued by the plant protection organisation of the exporting country after "
                "inspecting the consignment.",
                "Délivré par l'organisation de protection des végétaux du pays exportateur "
                "après inspection de l'envoi.",
                "Expedido por la organización de protección fitosanitaria del país exportador "
                "tras inspeccionar el envío."),
             code="phytosanitary-certificate", agency="plant protection organisation of the "
             "exporting country", hs_scope="06 07 08 09 10 11 12 13 14",
             glossary="phytosanitary-certificate", days_min=1, days_max=5,
             help_service="certification and standards",
             condition=_t(f"Plants and plant products; checked by {sps}",
                          f"Plantes et produits végétaux ; contrôlé par {sps}",
                          f"Plantas y productos vegetales; controlado por {sps}")),
        _row(economy, "document", 6, "sps",
             _t("Veterinary health certificate", "Certificat sanitaire vétérinaire",
                "Certificado sanitario veterinario"),
             _t("Signed by the official veterinarian of the exporting country for animals and "
                "animal products.",
                "Signé par le vétérinaire officiel du pays exportateur pour les animaux et "
                "produits animaux.",
                "Firmado por el veterinario oficial del país exportador para animales y "
                "productos de origen animal."),
             code="veterinary-health-certificate", agency="veterinary authority of the "
             "exporting country", hs_scope="01 02 03 04 05 16", glossary="health-certificate",
             days_min=1, days_max=5, help_service="certification and standards",
             aliases="health certificate"),
        _row(economy, "document", 7, "conformity",
             _t("Declaration or certificate of conformity",
                "Déclaration ou certificat de conformité",
                "Declaración o certificado de conformidad"),
             _t("States that the product meets the market's technical regulations, backed by "
                "test reports; the product carries the conformity mark.",
                "Atteste que le produit respecte les règlements techniques du marché, sur la "
                "base de rapports d'essai ; le produit porte la marque de conformité.",
                "Declara que el producto cumple los reglamentos técnicos del mercado, con "
                "informes de ensayo; el producto lleva la marca de conformidad."),
             code="declaration-of-conformity", agency=standards, hs_scope="84 85 9503",
             glossary="certificate-of-conformity", days_min=5, days_max=30,
             help_service="certification and standards",
             aliases="certificate of conformity;declaration of conformity"),
        _row(economy, "document", 8, "customs",
             _t("Import declaration", "Déclaration d'importation", "Declaración de importación"),
             _t("Lodged electronically with customs by the importer or its broker.",
                "Déposée par voie électronique auprès de la douane par l'importateur ou son "
                "commissionnaire.",
                "Presentada electrónicamente en la aduana por el importador o su agente."),
             code="import-declaration", agency=customs, glossary="customs-declaration",
             days_min=0, days_max=1, help_service="customs and logistics"),
    ]


def sample_rows() -> list[ProcedureRowIn]:
    return [r for economy in MARKETS for r in (*_steps(economy), *_documents(economy))]


def init_sample_procedures(db: Database, settings: Settings, report: Report) -> None:
    """Load the SAMPLE once (idempotent); skipped when any procedures dataset exists."""
    with db.transaction() as conn:
        if conn.execute(select(datasets.c.id).where(datasets.c.kind == KIND)).first():
            report("  procedures already loaded")
            return
        rows = sample_rows()
        dataset_id = record_dataset(conn, kind=KIND, name=SAMPLE_NAME, source=SAMPLE_SOURCE,
                                    licence="CC0-1.0", edition="SAMPLE", is_sample=True,
                                    row_count=len(rows))
        write_rows(conn, dataset_id, rows)
    report(f"  {len(rows)} SAMPLE procedure steps and documents for {len(MARKETS)} markets")
