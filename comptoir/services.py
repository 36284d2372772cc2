"""Writes on the site's public pages: the page tree every other part hangs from."""

import json

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage, StandardPage
from .templatetags.comptoir_tags import forget_footer_pages

HOME_CONTENT = {
    "title": "Le dernier café du village, on le garde ouvert",
    "intro": (
        "<p>Comptoir réunit les gérantes et gérants de cafés de village, les professionnels "
        "indépendants, les fournisseurs et l'équipe du programme qui les accompagne. Ensemble, "
        "nous aidons le dernier café de la commune à tenir, à se renouveler et à rester le lieu "
        "où le village se retrouve.</p>"
    ),
    "call_to_action": "Rejoindre le réseau",
    "body": [
        {
            "type": "section",
            "value": {
                "heading": "Ce que le programme apporte à votre café",
                "intro": "<p>Chaque année, une centaine de cafés ruraux sont accompagnés "
                "sur mesure, partout en France métropolitaine.</p>",
                "cards": [
                    {
                        "title": "De nouveaux services",
                        "text": "Épicerie, dépôt de pain, relais colis ou poste, repas, "
                        "animations : développer ce qui fait venir le village.",
                    },
                    {
                        "title": "Des compétences techniques et comptables",
                        "text": "Des professionnels indépendants pour la gestion, l'hygiène, "
                        "le numérique ou les travaux.",
                    },
                    {
                        "title": "Des outils pratiques",
                        "text": "Tableaux de trésorerie, modèles, guides et listes de "
                        "contrôle prêts à l'emploi, partagés par le réseau.",
                    },
                    {
                        "title": "La co-construction avec les habitants",
                        "text": "Recueillir les idées du village et bâtir les projets du café "
                        "avec celles et ceux qui le fréquentent.",
                    },
                    {
                        "title": "Un réseau de pairs",
                        "text": "Échanger avec d'autres gérants qui vivent les mêmes réalités, "
                        "partout en France.",
                    },
                ],
                "points": [],
            },
        },
        {
            "type": "section",
            "value": {
                "heading": "Un accompagnement en quatre temps",
                "intro": "",
                "cards": [
                    {
                        "title": "Un diagnostic",
                        "text": "Un regard sur la vie du café, construit avec les acteurs du "
                        "territoire : mairie, associations, producteurs, commerces.",
                    },
                    {
                        "title": "Un plan d'action",
                        "text": "Des actions concrètes, décidées avec la gérante ou le gérant "
                        "à partir du diagnostic.",
                    },
                    {
                        "title": "Des visites et un suivi à distance",
                        "text": "Des passages sur place pour mettre le plan en œuvre, et des "
                        "rendez-vous réguliers à distance.",
                    },
                    {
                        "title": "Des formations collectives",
                        "text": "Des sessions de groupe et des échanges avec les professionnels "
                        "indépendants du réseau.",
                    },
                ],
                "points": [],
            },
        },
        {
            "type": "section",
            "value": {
                "heading": "Qui peut candidater ?",
                "intro": "<p>Quatre conditions pour qu'un café soit accompagné :</p>",
                "cards": [],
                "points": [
                    "le café se trouve dans un village de moins de 3 500 habitants ;",
                    "la candidature est portée par la gérante ou le gérant du café ;",
                    "le café est le dernier encore ouvert dans sa commune ;",
                    "il dispose d'un espace café-bar ou salon de thé dédié, avec ou sans licence.",
                ],
            },
        },
    ],
}

LEGAL_NOTICE = {
    "title": "Mentions légales",
    "slug": "mentions-legales",
    "intro": "Qui publie Comptoir, qui l'héberge et comment nous joindre.",
    "body": [
        {"type": "heading", "value": "Éditeur"},
        {
            "type": "paragraph",
            "value": "<p>Comptoir est publié par l'association qui anime le réseau des cafés "
            "de village. Directrice ou directeur de la publication : la présidence de "
            "l'association.</p>",
        },
        {"type": "heading", "value": "Hébergement"},
        {
            "type": "paragraph",
            "value": "<p>Le site est hébergé en France, sur des serveurs choisis par "
            "l'association.</p>",
        },
        {"type": "heading", "value": "Données personnelles"},
        {
            "type": "paragraph",
            "value": "<p>Les données des membres ne servent qu'au fonctionnement du réseau. "
            "Chaque membre peut télécharger toutes ses données et supprimer son compte depuis "
            "la page « Mes données » de son espace, ou le demander à l'équipe du programme. "
            "Après la suppression, les messages et les idées qu'il a écrits restent lisibles, "
            "signés « Ancien membre », sans son nom ni ses coordonnées.</p>",
        },
        {"type": "heading", "value": "Journaux et durées de conservation"},
        {
            "type": "paragraph",
            "value": "<p>Le serveur tient un journal technique (date, adresse IP, page demandée, "
            "erreurs) pour la sécurité du site ; ce journal est conservé un an, comme la loi le "
            "demande à un hébergeur, puis effacé. La session de connexion expire après deux "
            "semaines sans visite et les sessions expirées sont effacées chaque nuit. Les "
            "traces des envois d'e-mails (confirmations, rappels, résumés) sont effacées après "
            "sept jours. Les tentatives de connexion manquées ne sont comptées que quelques "
            "minutes, pour freiner qui essaierait de deviner un mot de passe.</p>",
        },
    ],
}

ACCESSIBILITY_STATEMENT = {
    "title": "Déclaration d'accessibilité",
    "slug": "accessibilite",
    "intro": "Comptoir s'engage à rendre son site accessible, conformément à l'article 47 de "
    "la loi n° 2005-102 du 11 février 2005.",
    "body": [
        {"type": "heading", "value": "État de conformité"},
        {
            "type": "paragraph",
            "value": "<p>Comptoir est <strong>partiellement conforme</strong> au référentiel "
            "général d'amélioration de l'accessibilité (RGAA), version 4.1 : aucun audit "
            "complet n'a encore été réalisé.</p>",
        },
        {"type": "heading", "value": "Contenus non accessibles"},
        {
            "type": "paragraph",
            "value": "<p>Certains documents partagés par les membres (tableurs, PDF) peuvent ne "
            "pas être accessibles ; l'équipe en fournit une version accessible sur demande.</p>",
        },
        {"type": "heading", "value": "Retour d'information et contact"},
        {
            "type": "paragraph",
            "value": "<p>Si vous ne pouvez pas accéder à un contenu ou à un service, écrivez à "
            "l'équipe du programme : nous vous répondrons et vous proposerons une autre façon "
            "d'y accéder.</p>",
        },
        {"type": "heading", "value": "Voies de recours"},
        {
            "type": "paragraph",
            "value": "<p>Si vous n'obtenez pas de réponse satisfaisante, vous pouvez saisir le "
            "Défenseur des droits, par son formulaire en ligne ou par courrier gratuit à : "
            "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</p>",
        },
    ],
}


@transaction.atomic
def site_tree_ensure() -> HomePage:
    """Make sure the default Site serves a HomePage with the legal and accessibility pages.

    Idempotent: existing pages are kept as editors left them. Wagtail's own placeholder home
    ("Welcome to your new Wagtail site!") is replaced.
    """
    # A database flushed by transactional tests loses what Wagtail's migrations created.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    home = HomePage.objects.first()
    if home is None:
        placeholder = (
            Page.objects.filter(depth=2, slug="home")
            .exclude(content_type__model="homepage")
            .first()
        )
        if placeholder is not None:
            Site.objects.filter(root_page=placeholder).delete()
            placeholder.delete()
            root.refresh_from_db()
        home = HomePage(
            title=HOME_CONTENT["title"],
            slug="accueil",
            intro=HOME_CONTENT["intro"],
            call_to_action=HOME_CONTENT["call_to_action"],
            body=json.dumps(HOME_CONTENT["body"]),
        )
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Comptoir",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    for content in (LEGAL_NOTICE, ACCESSIBILITY_STATEMENT):
        if not StandardPage.objects.filter(slug=content["slug"]).exists():
            home.add_child(
                instance=StandardPage(
                    title=content["title"],
                    slug=content["slug"],
                    intro=content["intro"],
                    body=json.dumps(content["body"]),
                    show_in_menus=True,
                )
            )
    # Pages added here are not "published" through a revision, so no signal renews the footer.
    forget_footer_pages(sender=None)
    return home
