"""The starter library of `seed_demo`: real tools in French, with files the project makes itself
(spreadsheets with openpyxl and odfpy, documents with python-docx and odfpy, PDF guides with
reportlab), so search finds words inside them from the first `make run`."""

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from network.models import Member

from .models import ResourceCategoryPage, ResourcePage
from .services import library_ensure, resource_create, resource_file_add, useful_vote_toggle

MONTHS = [
    "Janvier",
    "Février",
    "Mars",
    "Avril",
    "Mai",
    "Juin",
    "Juillet",
    "Août",
    "Septembre",
    "Octobre",
    "Novembre",
    "Décembre",
]


# --- Files ------------------------------------------------------------------------------------


def cash_flow_xlsx() -> bytes:
    """Twelve months of receipts and payments, each month's closing balance computed by
    formulas from the opening balance."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Trésorerie"
    bold = Font(bold=True)
    sheet["A1"] = "Plan de trésorerie du café sur douze mois"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = "Saisir les montants en euros TTC ; les cases grisées se calculent seules."
    sheet.append([])
    sheet.append(["Poste", *MONTHS])
    for cell in sheet[4]:
        cell.font = bold
    receipts = [
        ("Ventes au comptoir (boissons)", 3200),
        ("Repas et plats du jour", 1800),
        ("Épicerie et dépôt de pain", 900),
        ("Commissions relais colis et point poste", 250),
        ("Subventions et aides", 0),
    ]
    payments = [
        ("Achats de boissons", 1300),
        ("Achats alimentaires", 1100),
        ("Loyer et charges", 650),
        ("Énergie (électricité, gaz)", 380),
        ("Salaires et cotisations", 1500),
        ("Assurances", 90),
        ("Remboursement d'emprunt", 420),
        ("TVA à reverser", 450),
    ]
    sheet.append(["Trésorerie en début de mois", 2000])
    opening_row = sheet.max_row
    sheet.append(["Encaissements"])
    sheet.cell(sheet.max_row, 1).font = bold
    first_receipt = sheet.max_row + 1
    for label, amount in receipts:
        sheet.append([label, *[amount] * 12])
    last_receipt = sheet.max_row
    sheet.append(["Total des encaissements"])
    receipts_total = sheet.max_row
    sheet.append(["Décaissements"])
    sheet.cell(sheet.max_row, 1).font = bold
    first_payment = sheet.max_row + 1
    for label, amount in payments:
        sheet.append([label, *[amount] * 12])
    last_payment = sheet.max_row
    sheet.append(["Total des décaissements"])
    payments_total = sheet.max_row
    sheet.append(["Solde du mois"])
    balance = sheet.max_row
    sheet.append(["Trésorerie en fin de mois"])
    closing = sheet.max_row
    grey = PatternFill("solid", fgColor="DDDDDD")
    for column in range(2, 14):
        letter = sheet.cell(1, column).column_letter
        sheet.cell(
            receipts_total, column
        ).value = f"=SUM({letter}{first_receipt}:{letter}{last_receipt})"
        sheet.cell(
            payments_total, column
        ).value = f"=SUM({letter}{first_payment}:{letter}{last_payment})"
        sheet.cell(balance, column).value = f"={letter}{receipts_total}-{letter}{payments_total}"
        sheet.cell(closing, column).value = f"={letter}{opening_row}+{letter}{balance}"
        if column > 2:
            previous = sheet.cell(1, column - 1).column_letter
            sheet.cell(opening_row, column).value = f"={previous}{closing}"
        for row in (receipts_total, payments_total, balance, closing):
            sheet.cell(row, column).fill = grey
            sheet.cell(row, column).font = bold
    sheet.column_dimensions["A"].width = 42
    notes = workbook.create_sheet("Mode d'emploi")
    for line in [
        "1. Notez en B5 l'argent disponible (caisse et banque) au début du premier mois.",
        "2. Remplacez les montants d'exemple par les vôtres, mois par mois : saisonnalité, "
        "fête du village, fermeture annuelle.",
        "3. Un mois dont la trésorerie de fin est négative demande d'agir à l'avance : "
        "décaler un achat, négocier un délai fournisseur, solliciter la banque.",
        "4. Mettez le tableau à jour chaque début de mois avec les montants réels.",
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    return _workbook_bytes(workbook)


def dish_cost_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Prix de revient"
    sheet.append(["Fiche technique : prix de revient d'un plat du jour"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Plat", "Blanquette de veau, riz", "", "Nombre de portions", 10])
    sheet.append([])
    sheet.append(["Ingrédient", "Quantité", "Unité", "Prix unitaire HT", "Coût"])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    ingredients = [
        ("Épaule de veau", 1.8, "kg", 16.5),
        ("Carottes", 0.6, "kg", 1.6),
        ("Oignons", 0.3, "kg", 1.8),
        ("Champignons de Paris", 0.4, "kg", 4.9),
        ("Crème fraîche", 0.4, "l", 4.2),
        ("Riz", 0.8, "kg", 2.1),
        ("Beurre, farine, bouquet garni", 1, "forfait", 2.5),
    ]
    for name, quantity, unit, price in ingredients:
        row = sheet.max_row + 1
        sheet.append([name, quantity, unit, price, f"=B{row}*D{row}"])
    last = sheet.max_row
    sheet.append([])
    sheet.append(["Coût matière total", "", "", "", f"=SUM(E5:E{last})"])
    total = sheet.max_row
    sheet.append(["Coût matière par portion", "", "", "", f"=E{total}/E2"])
    portion = sheet.max_row
    sheet.append(["Coefficient multiplicateur visé", "", "", "", 3.5])
    coefficient = sheet.max_row
    sheet.append(["Prix de vente HT conseillé", "", "", "", f"=E{portion}*E{coefficient}"])
    sale = sheet.max_row
    sheet.append(["Prix de vente TTC (TVA 10 %)", "", "", "", f"=E{sale}*1.1"])
    sheet.column_dimensions["A"].width = 34
    return _workbook_bytes(workbook)


def stock_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Stock épicerie"
    sheet.append(["Produit", "Fournisseur", "Stock minimum", "Stock compté", "À commander"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    products = [
        ("Lait demi-écrémé 1 l", "Laiterie locale", 12, 8),
        ("Œufs fermiers (boîte de 6)", "Ferme voisine", 10, 4),
        ("Pâtes 500 g", "Grossiste", 8, 10),
        ("Café moulu 250 g", "Torréfacteur", 6, 2),
        ("Papier toilette (lot de 4)", "Grossiste", 5, 5),
        ("Piles AA", "Grossiste", 4, 1),
        ("Timbres lettre verte", "La Poste", 20, 12),
    ]
    for name, supplier, minimum, counted in products:
        row = sheet.max_row + 1
        sheet.append([name, supplier, minimum, counted, f"=MAX(0,C{row}-D{row})"])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 20
    return _workbook_bytes(workbook)


def concert_schedule_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rétroplanning"
    sheet.append(["Quand", "Quoi", "Qui", "Fait"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in [
        (
            "J-60",
            "Choisir la date avec la mairie et les associations (éviter la fête voisine)",
            "Gérant",
            "",
        ),
        ("J-45", "Contacter le groupe, convenir du cachet et de la fiche technique", "Gérant", ""),
        ("J-30", "Déclarer la soirée à la Sacem et vérifier l'assurance", "Gérant", ""),
        (
            "J-21",
            "Affiches chez les commerçants, bulletin municipal, réseaux sociaux",
            "Bénévoles",
            "",
        ),
        (
            "J-7",
            "Commander boissons et gobelets réutilisables, prévoir la petite restauration",
            "Gérant",
            "",
        ),
        ("J-1", "Installer la scène, tester le son, prévenir les voisins", "Bénévoles", ""),
        (
            "J+2",
            "Faire le bilan : fréquentation, recette, ce qu'on change la prochaine fois",
            "Tous",
            "",
        ),
    ]:
        sheet.append(list(row))
    sheet.column_dimensions["B"].width = 80
    return _workbook_bytes(workbook)


def _workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def haccp_checklist_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Relevés d'hygiène du jour (méthode HACCP)", level=1)
    document.add_paragraph(
        "À remplir chaque jour et à garder au moins un an : c'est la preuve, en cas de "
        "contrôle, que le plan de maîtrise sanitaire est appliqué."
    )
    document.add_paragraph("Date : ____ / ____ / ________    Nom : ______________________")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells,
        ["Point de contrôle", "Repère", "Relevé", "Action si écart"],
        strict=True,
    ):
        cell.text = title
    for row in [
        (
            "Réfrigérateur des produits frais (matin)",
            "entre 0 et +4 °C",
            "",
            "Régler, déplacer les produits, prévenir le frigoriste",
        ),
        (
            "Réfrigérateur des produits frais (soir)",
            "entre 0 et +4 °C",
            "",
            "Idem ; en cas de doute sur un produit, le jeter",
        ),
        ("Congélateur", "-18 °C ou moins", "", "Ne pas recongeler ; vérifier le joint"),
        (
            "Réception des livraisons",
            "températures, dates, emballages",
            "",
            "Refuser la livraison non conforme",
        ),
        (
            "Refroidissement des plats cuisinés",
            "de +63 °C à +10 °C en moins de 2 h",
            "",
            "Cellule ou bac d'eau glacée",
        ),
        ("Maintien au chaud", "+63 °C ou plus", "", "Réchauffer ou jeter"),
        (
            "Étiquettes et traçabilité",
            "étiquettes gardées, dates d'ouverture notées",
            "",
            "Compléter",
        ),
        ("Nettoyage du plan de travail", "fait après chaque service", "", "Refaire"),
        ("Lavage des mains", "savon, essuie-mains à usage unique", "", "Réapprovisionner"),
    ]:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    document.add_paragraph(
        "Rappel : au moins une personne de l'établissement qui sert des repas doit avoir "
        "suivi la formation à l'hygiène alimentaire en restauration commerciale."
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bread_depot_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Convention de dépôt de pain", level=1)
    for text in [
        "Entre le café ________________________, représenté par __________________, "
        "et la boulangerie ________________________, représentée par __________________.",
        "Article 1 — Objet. La boulangerie confie au café la vente de pain et de "
        "viennoiseries aux habitants de la commune, aux jours et heures d'ouverture du café.",
        "Article 2 — Livraison. La boulangerie livre chaque matin avant ____ h les quantités "
        "commandées la veille. Les invendus sont repris / ne sont pas repris (rayer la mention "
        "inutile).",
        "Article 3 — Prix et commission. Le pain est vendu au prix affiché en boulangerie. Le "
        "café perçoit une commission de ____ % sur les ventes, réglée chaque mois sur facture.",
        "Article 4 — Hygiène. Le pain est présenté à l'abri, sur un présentoir propre, et servi "
        "avec une pince ou des gants.",
        "Article 5 — Durée. La convention est conclue pour un an, renouvelable, et peut être "
        "arrêtée par chacun avec un mois de préavis.",
        "Fait à ________________, le ____ / ____ / ________, en deux exemplaires.",
    ]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def residents_survey_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Votre café, vos idées : questionnaire aux habitants", level=1)
    document.add_paragraph(
        "Le café du village prépare ses projets pour l'année. Quelques minutes suffisent ; "
        "déposez le questionnaire au comptoir ou dans la boîte aux lettres de la mairie."
    )
    for question in [
        "1. À quelle fréquence venez-vous au café ? (jamais / parfois / chaque semaine / "
        "presque chaque jour)",
        "2. Qu'est-ce qui vous ferait venir plus souvent ?",
        "3. Quels services vous manquent dans la commune ? (pain, épicerie, colis, repas, "
        "point numérique, autre)",
        "4. Quelles animations aimeriez-vous ? (concerts, jeux, marché de producteurs, "
        "conférences, ateliers)",
        "5. Seriez-vous prêt(e) à donner un coup de main bénévole ? Si oui, pour quoi ?",
        "6. Vos coordonnées (facultatif), pour être invité(e) à la réunion de restitution :",
    ]:
        document.add_paragraph(question)
        document.add_paragraph("_" * 70)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def action_plan_odt() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Plan d'action du café"))
    document.text.addElement(
        P(
            text="Issu du diagnostic, à relire ensemble à chaque visite de suivi. Une action "
            "= un objectif mesurable, une personne responsable, une échéance."
        )
    )
    document.text.addElement(P(text="Café : ______________    Commune : ______________"))
    table = Table(name="Actions")
    table.addElement(TableColumn(numbercolumnsrepeated=6))
    header = ["Objectif", "Action", "Responsable", "Échéance", "Indicateur de réussite", "État"]
    examples = [
        [
            "Attirer les familles le dimanche",
            "Goûter-jeux une fois par mois",
            "Gérante",
            "Mars",
            "20 participants",
            "À lancer",
        ],
        [
            "Mieux tenir la trésorerie",
            "Plan de trésorerie mis à jour chaque mois",
            "Gérante et comptable",
            "Janvier",
            "Aucun découvert non prévu",
            "En cours",
        ],
        [
            "Nouveau service",
            "Étudier un relais colis",
            "Gérant",
            "Avril",
            "Convention signée",
            "À étudier",
        ],
    ]
    for values in [header, *examples, [""] * 6, [""] * 6]:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    document.text.addElement(H(outlinelevel=2, text="Points à revoir à la prochaine visite"))
    document.text.addElement(P(text="…"))
    return _odf_bytes(document)


def press_release_odt() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Communiqué : [titre court et concret]"))
    for text in [
        "[Commune], le [date]",
        "Premier paragraphe : qui, quoi, où, quand. « Le café [nom] de [commune] organise "
        "[événement] le [date] à [heure]. »",
        "Deuxième paragraphe : pourquoi c'est important pour le village (le dernier café de la "
        "commune, un lieu de rencontre, un nouveau service).",
        "Une citation de la gérante ou du gérant, ou d'un habitant.",
        "Infos pratiques : adresse, prix, réservation, accessibilité.",
        "Contact presse : [nom], [téléphone], [adresse électronique].",
        "Conseil : envoyez-le dix jours avant au correspondant local du journal, au bulletin "
        "municipal et à l'office de tourisme, avec une photo libre de droits.",
    ]:
        document.text.addElement(P(text=text))
    return _odf_bytes(document)


def cleaning_plan_ods() -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Plan de nettoyage")
    rows = [
        ["Surface ou matériel", "Fréquence", "Produit", "Méthode", "Qui"],
        [
            "Plans de travail",
            "Après chaque service",
            "Détergent-désinfectant alimentaire",
            "Nettoyer, laisser agir, rincer",
            "",
        ],
        [
            "Machine à café et buses vapeur",
            "Chaque jour",
            "Produit du fabricant",
            "Purger les buses après chaque usage",
            "",
        ],
        [
            "Tireuse à bière",
            "Chaque semaine",
            "Produit de nettoyage des lignes",
            "Rinçage complet des lignes",
            "",
        ],
        [
            "Réfrigérateurs",
            "Chaque semaine",
            "Détergent-désinfectant",
            "Vider, nettoyer, contrôler les dates",
            "",
        ],
        ["Sols de la cuisine", "Chaque jour", "Détergent", "Balayage humide puis lavage", ""],
        ["Poubelles", "Chaque jour", "Détergent-désinfectant", "Vider, laver le bac", ""],
        ["Hotte et filtres", "Chaque mois", "Dégraissant", "Démonter et tremper les filtres", ""],
    ]
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    return _odf_bytes(document)


def _odf_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    story = [Paragraph(title, styles["Title"])]
    for text in paragraphs:
        story.append(Paragraph(text, styles["BodyText"]))
        story.append(Spacer(1, 6))
    SimpleDocTemplate(buffer, pagesize=A4, title=title).build(story)
    return buffer.getvalue()


def parcel_relay_pdf() -> bytes:
    return _pdf(
        "Ouvrir un relais colis ou un point poste au café",
        [
            "Pourquoi : un relais fait entrer au café des habitants qui n'y venaient pas, et "
            "une commission est versée pour chaque colis ou pour la permanence postale.",
            "Relais colis : les réseaux de points relais des transporteurs recherchent des "
            "commerces ouverts tôt et tard. Il faut un coin de stockage fermé, une connexion "
            "internet et un smartphone ou un terminal pour scanner les colis.",
            "Point poste : La Poste peut confier à un commerçant un relais postal (lettres "
            "recommandées, colis, timbres, retraits d'espèces selon la convention) contre une "
            "rémunération mensuelle. Le contact se prend avec la mairie et la direction "
            "départementale de La Poste.",
            "Avant de signer : comptez la place nécessaire, le temps passé au comptoir aux "
            "heures de pointe et l'assurance des colis stockés.",
            "Faites-le savoir : affiche en vitrine, bulletin municipal, page du café sur les "
            "cartes en ligne.",
        ],
    )


def mandatory_notices_pdf() -> bytes:
    return _pdf(
        "Les affichages obligatoires d'un débit de boissons",
        [
            "À vérifier une fois par an et après chaque changement d'exploitant.",
            "La licence (ou son récépissé) et le permis d'exploitation de la personne qui "
            "exploite le débit de boissons.",
            "L'affiche de protection des mineurs : interdiction de vendre ou d'offrir de "
            "l'alcool aux moins de 18 ans.",
            "L'affiche rappelant l'interdiction de fumer dans les lieux fermés et couverts.",
            "Les prix des boissons et des denrées, visibles de l'extérieur et à l'intérieur, "
            "avec la liste des boissons sans alcool proposées.",
            "L'origine des viandes bovines servies, si le café sert des repas, et la liste "
            "des allergènes tenue à disposition des clients.",
            "Les horaires d'ouverture, et le cas échéant l'arrêté municipal ou préfectoral "
            "sur les heures de fermeture.",
            "Les textes évoluent : en cas de doute, demandez à la mairie, aux douanes ou à "
            "votre fédération professionnelle.",
        ],
    )


def idea_box_pdf() -> bytes:
    return _pdf(
        "Réunir les habitants autour du projet du café",
        [
            "1. Ouvrir une boîte à idées au comptoir pendant un mois, avec des fiches simples "
            "et un crayon attaché.",
            "2. Annoncer une réunion publique un soir de semaine, au café, avec le maire et "
            "les associations.",
            "3. Pendant la réunion : présenter la situation du café franchement, lire les "
            "idées reçues, les classer en trois tas (facile maintenant, à étudier, pas pour "
            "nous).",
            "4. Former de petits groupes de volontaires autour de deux ou trois idées, chacun "
            "avec une date de retour.",
            "5. Afficher au café le compte rendu et les décisions : ce qui est visible "
            "entretient la confiance.",
        ],
    )


# --- Resources --------------------------------------------------------------------------------


@dataclass
class DemoResource:
    category: str
    title: str
    summary: str
    resource_type: str
    audience: str
    credit: str
    tags: list[str]
    body: list[dict]
    files: list[tuple[str, str, Callable[[], bytes]]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


def _p(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def _h(text: str) -> dict:
    return {"type": "heading", "value": text}


def _steps(*items: str) -> dict:
    return {"type": "steps", "value": list(items)}


RESOURCES = [
    DemoResource(
        "gestion-et-comptabilite",
        "Plan de trésorerie sur douze mois",
        "Un tableur prêt à remplir pour voir venir les mois creux et les grosses échéances, "
        "et agir avant d'être à découvert.",
        "spreadsheet",
        "managers",
        "Équipe du programme",
        ["trésorerie", "gestion"],
        [
            _p(
                "La trésorerie, c'est l'argent réellement disponible. Un café peut être "
                "rentable sur l'année et manquer d'argent en février, quand la fréquentation "
                "baisse et que l'assurance tombe."
            ),
            _h("Comment s'en servir"),
            _steps(
                "Notez l'argent disponible au début du premier mois.",
                "Remplacez les montants d'exemple par les vôtres, mois par mois.",
                "Repérez les mois où le solde de fin devient négatif.",
                "Mettez le tableau à jour chaque début de mois avec les montants réels.",
            ),
        ],
        files=[("Tableau de trésorerie (Excel)", "plan-de-tresorerie.xlsx", cash_flow_xlsx)],
    ),
    DemoResource(
        "gestion-et-comptabilite",
        "Calculer le prix de revient d'un plat du jour",
        "Une fiche technique qui part des ingrédients pour arriver au prix de vente, avec le "
        "coefficient multiplicateur.",
        "spreadsheet",
        "managers",
        "Réseau des professionnels",
        ["repas", "prix", "gestion"],
        [
            _p(
                "Le coût matière d'un plat du jour tourne souvent autour du tiers du prix de "
                "vente hors taxes. La fiche fait le calcul à partir des quantités réellement "
                "utilisées."
            ),
            _steps(
                "Listez chaque ingrédient avec sa quantité pour la recette entière.",
                "Reportez le prix d'achat hors taxes de la dernière facture.",
                "Indiquez le nombre de portions et le coefficient visé.",
                "Comparez le prix conseillé avec les prix pratiqués autour de vous.",
            ),
        ],
        files=[("Fiche technique (Excel)", "prix-de-revient-plat.xlsx", dish_cost_xlsx)],
    ),
    DemoResource(
        "gestion-et-comptabilite",
        "Modèle de plan d'action",
        "Le document qui suit le café après le diagnostic : objectifs, actions, responsables, "
        "échéances et indicateurs.",
        "template",
        "everyone",
        "Équipe du programme",
        ["accompagnement", "plan d'action"],
        [
            _p(
                "Le plan d'action se construit avec la gérante ou le gérant à partir du "
                "diagnostic, puis se relit à chaque visite de suivi."
            ),
            _p(
                "Gardez peu d'actions à la fois : trois actions menées valent mieux que dix "
                "commencées."
            ),
        ],
        files=[("Plan d'action (OpenDocument)", "plan-d-action.odt", action_plan_odt)],
    ),
    DemoResource(
        "hygiene-et-reglementation",
        "Relevés d'hygiène quotidiens (HACCP)",
        "La liste de contrôle du jour : températures, réception des livraisons, "
        "refroidissement, traçabilité et nettoyage.",
        "checklist",
        "managers",
        "Réseau des professionnels",
        ["hygiène", "HACCP", "repas"],
        [
            _p(
                "La méthode HACCP demande de repérer les moments où un aliment peut devenir "
                "dangereux et de les surveiller. Les relevés écrits sont la preuve de cette "
                "surveillance en cas de contrôle."
            ),
            _steps(
                "Imprimez une feuille par jour.",
                "Relevez les températures matin et soir.",
                "Notez toute action corrective, même petite.",
                "Classez les feuilles et gardez-les au moins un an.",
            ),
        ],
        files=[("Feuille de relevés (Word)", "releves-hygiene-haccp.docx", haccp_checklist_docx)],
    ),
    DemoResource(
        "hygiene-et-reglementation",
        "Plan de nettoyage et de désinfection",
        "Qui nettoie quoi, quand et avec quel produit : un tableau à afficher en cuisine et "
        "derrière le bar.",
        "checklist",
        "managers",
        "Réseau des professionnels",
        ["hygiène", "nettoyage"],
        [
            _p(
                "Un plan de nettoyage affiché évite les oublis quand plusieurs personnes se "
                "relaient au comptoir. Adaptez les fréquences à votre activité."
            )
        ],
        files=[("Plan de nettoyage (OpenDocument)", "plan-de-nettoyage.ods", cleaning_plan_ods)],
    ),
    DemoResource(
        "hygiene-et-reglementation",
        "Les affichages obligatoires d'un débit de boissons",
        "Licence, protection des mineurs, interdiction de fumer, prix : ce qui doit être "
        "affiché, et où.",
        "guide",
        "managers",
        "Équipe du programme",
        ["licence", "réglementation"],
        [
            _p(
                "Un oubli d'affichage est l'une des remarques les plus fréquentes lors d'un "
                "contrôle. Le guide fait le tour de ce qui est demandé à un café-bar."
            )
        ],
        files=[("Guide (PDF)", "affichages-obligatoires.pdf", mandatory_notices_pdf)],
    ),
    DemoResource(
        "nouveaux-services",
        "Ouvrir un relais colis ou un point poste",
        "Ce qu'apporte un relais, ce qu'il demande en place et en temps, et à qui s'adresser.",
        "guide",
        "managers",
        "Équipe du programme",
        ["colis", "poste", "nouveaux services"],
        [
            _p(
                "Le relais colis fait partie des services qui ramènent du monde au café. Le guide "
                "aide à décider et à préparer le rendez-vous avec les partenaires."
            )
        ],
        files=[("Guide (PDF)", "relais-colis-point-poste.pdf", parcel_relay_pdf)],
    ),
    DemoResource(
        "nouveaux-services",
        "Convention de dépôt de pain avec une boulangerie",
        "Un modèle de convention à adapter : livraison, invendus, commission, hygiène, durée.",
        "template",
        "managers",
        "Réseau des professionnels",
        ["pain", "nouveaux services"],
        [
            _p(
                "Quand la boulangerie a fermé, le dépôt de pain au café rend service chaque matin "
                "et fait venir des habitants qui prennent ensuite un café."
            )
        ],
        files=[("Convention (Word)", "convention-depot-de-pain.docx", bread_depot_docx)],
    ),
    DemoResource(
        "nouveaux-services",
        "Tenir le stock d'une épicerie d'appoint",
        "Un tableau de stock minimum qui calcule tout seul les quantités à commander.",
        "spreadsheet",
        "managers",
        "Réseau des fournisseurs",
        ["épicerie", "stock"],
        [
            _p(
                "Une petite épicerie vit de produits toujours disponibles. Comptez une fois par "
                "semaine, le tableau indique ce qu'il faut recommander."
            )
        ],
        files=[("Tableau de stock (Excel)", "stock-epicerie.xlsx", stock_xlsx)],
    ),
    DemoResource(
        "evenements-et-animation",
        "Organiser un concert au café : le rétroplanning",
        "Les étapes de J-60 au bilan, de la date choisie avec la mairie à la déclaration à la "
        "Sacem.",
        "checklist",
        "everyone",
        "Réseau des cafés",
        ["animation", "concert"],
        [
            _p(
                "Un concert réussi se prépare deux mois à l'avance. Le tableau répartit les "
                "tâches entre la gérance et les bénévoles."
            ),
            _p(
                "Pensez aux voisins : les prévenir et finir à une heure raisonnable évite bien "
                "des tensions."
            ),
        ],
        files=[("Rétroplanning (Excel)", "retroplanning-concert.xlsx", concert_schedule_xlsx)],
        links=[("Sacem : diffuser de la musique", "https://www.sacem.fr")],
    ),
    DemoResource(
        "evenements-et-animation",
        "Une soirée jeux par mois",
        "Une animation simple et peu coûteuse pour faire venir les familles et les jeunes.",
        "guide",
        "everyone",
        "Réseau des cafés",
        ["animation", "jeux"],
        [
            _p(
                "Les jeux de société rassemblent toutes les générations. Une ludothèque ou une "
                "médiathèque voisine prête souvent des jeux aux associations et aux cafés."
            ),
            _steps(
                "Choisissez un jour fixe, par exemple le premier vendredi du mois.",
                "Trouvez un ou deux habitants qui aiment expliquer les règles.",
                "Proposez une petite restauration à prix doux.",
                "Annoncez la soirée au comptoir et à l'école.",
            ),
        ],
    ),
    DemoResource(
        "communication",
        "Modèle de communiqué pour la presse locale",
        "Un canevas à compléter pour annoncer un événement ou un nouveau service au journal "
        "local et au bulletin municipal.",
        "template",
        "everyone",
        "Équipe du programme",
        ["presse", "communication"],
        [
            _p(
                "Les correspondants locaux cherchent des nouvelles du village. Un texte court, "
                "avec une photo et un contact, a toutes les chances d'être repris."
            )
        ],
        files=[("Communiqué (OpenDocument)", "modele-communique.odt", press_release_odt)],
    ),
    DemoResource(
        "co-construction-avec-les-habitants",
        "Réunir les habitants autour du projet du café",
        "Boîte à idées, réunion publique, petits groupes de volontaires : une méthode en cinq "
        "étapes.",
        "guide",
        "everyone",
        "Équipe du programme",
        ["habitants", "participation"],
        [
            _p(
                "Les habitants sont les premiers clients et souvent les premiers soutiens du café. "
                "Les associer aux décisions renforce le lien et fait naître des projets."
            )
        ],
        files=[("Méthode (PDF)", "reunir-les-habitants.pdf", idea_box_pdf)],
    ),
    DemoResource(
        "co-construction-avec-les-habitants",
        "Questionnaire aux habitants",
        "Six questions pour savoir ce que le village attend de son café, à imprimer et "
        "déposer au comptoir et en mairie.",
        "template",
        "residents",
        "Réseau des cafés",
        ["habitants", "enquête"],
        [
            _p(
                "Un questionnaire papier touche aussi les habitants qui ne sont pas sur internet. "
                "Présentez les résultats lors d'une réunion au café."
            )
        ],
        files=[("Questionnaire (Word)", "questionnaire-habitants.docx", residents_survey_docx)],
    ),
]


def demo_library_ensure(*, staff: Member, voters: list[Member] = ()) -> int:
    """Create the starter library once; returns how many resources were created."""
    library_ensure()
    if ResourcePage.objects.exists():
        return 0
    categories = {category.slug: category for category in ResourceCategoryPage.objects.all()}
    created = []
    for resource in RESOURCES:
        page = resource_create(
            category=categories[resource.category],
            title=resource.title,
            summary=resource.summary,
            resource_type=resource.resource_type,
            audience=resource.audience,
            credit=resource.credit,
            body=resource.body,
            tags=resource.tags,
            links=resource.links,
            owner=staff,
        )
        for title, name, make in resource.files:
            resource_file_add(
                actor=staff, page=page, title=title, upload=SimpleUploadedFile(name, make())
            )
        created.append(page)
    for voter in voters:
        for page in created[:3]:
            useful_vote_toggle(member=voter, page=page)
    return len(created)
