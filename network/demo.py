"""Demo discussion channels for `make run`: two topics with a few messages, the région
channels of the demo members, and a conversation between the manager and the professional."""

from django.db import transaction

from .models import Channel, ChannelKind, Member
from .services.channels import (
    channel_create,
    channel_join,
    direct_conversation_open,
    message_post,
    region_channels_join,
)

TOPICS = [
    (
        "Approvisionnement et fournisseurs",
        "Producteurs locaux, grossistes, dépôts de pain : qui livre quoi, et à quelles conditions.",
        [
            (
                "manager",
                "Bonjour à tous ! Quelqu'un a-t-il trouvé un boulanger qui livre le "
                "dimanche matin pour un dépôt de pain ?",
            ),
            (
                "supplier",
                "Nous livrons les communes du Cantal le dimanche avant 8 h, à partir "
                "de 20 baguettes. Les conditions sont sur notre fiche de l'annuaire.",
            ),
            ("manager", "Merci Luc, je regarde ça et je vous écris cette semaine."),
        ],
    ),
    (
        "Animer son café",
        "Soirées, concerts, repair cafés, marchés de producteurs : les idées qui ont marché.",
        [
            (
                "professional",
                "Retour d'expérience : le concours de belote du premier vendredi "
                "du mois amène chez nous une quinzaine de personnes qui ne venaient jamais.",
            ),
            ("manager", "Bonne idée ! Vous le faites sur inscription ou ouvert à tous ?"),
            (
                "professional",
                "Ouvert à tous, avec une petite participation reversée au comité "
                "des fêtes. Le guide d'organisation est ici : https://exemple.fr/belote",
            ),
        ],
    ),
]
CONVERSATION = [
    (
        "manager",
        "Bonjour Karim, merci pour la formation de mardi. Pouvez-vous m'envoyer le "
        "modèle de plan de trésorerie ?",
    ),
    ("professional", "Avec plaisir, je vous le mets dans la bibliothèque d'outils ce soir."),
]


@transaction.atomic
def demo_channels_ensure(*, staff: Member, people: dict[str, Member]) -> None:
    """``people``: the demo members by role name (manager, professional, supplier)."""
    for member in people.values():
        region_channels_join(member=member)
    for name, description, messages in TOPICS:
        channel = Channel.objects.filter(kind=ChannelKind.TOPIC, name=name).first()
        if channel is not None:
            continue  # already seeded: its messages are there
        channel = channel_create(
            actor=staff, kind=ChannelKind.TOPIC, name=name, description=description
        )
        for member in people.values():
            channel_join(member=member, channel=channel)
        _post_all(channel, messages, people)
    conversation = direct_conversation_open(member=people["manager"], other=people["professional"])
    if conversation.last_seq == 0:
        _post_all(conversation, CONVERSATION, people)


def _post_all(channel: Channel, messages: list[tuple[str, str]], people: dict) -> None:
    for number, (who, body) in enumerate(messages, start=1):
        message_post(
            author=people[who], channel=channel, body=body, client_id=f"demo-{channel.pk}-{number}"
        )
