"""The demo discussion channels of `make run`."""

import pytest
from django.core.management import call_command

from network.models import Channel, ChannelKind, Member, Message
from network.selectors.channels import channel_list_for_member


@pytest.mark.django_db
def test_the_demo_has_lively_channels_and_seeding_twice_adds_nothing(home_page):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    manager = Member.objects.get(email="gerante@comptoir.example")
    topics = Channel.objects.filter(kind=ChannelKind.TOPIC)
    assert sorted(topics.values_list("name", flat=True)) == [
        "Animer son café",
        "Approvisionnement et fournisseurs",
    ]
    assert [t.last_seq for t in topics.order_by("name")] == [3, 3]
    conversation = Channel.objects.get(kind=ChannelKind.DIRECT)
    assert conversation.last_seq == 2
    assert Message.objects.exclude(channel__kind=ChannelKind.PRIVATE).count() == 8
    readable = {channel.pk for channel in channel_list_for_member(manager)}
    assert {conversation.pk, *topics.values_list("pk", flat=True)} <= readable
