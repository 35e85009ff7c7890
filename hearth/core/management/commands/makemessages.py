"""Django's ``makemessages``, also finding the texts stored to be translated
later: ``hearth.core.messages.text`` takes a msgid already marked with
``gettext_noop``; ``plural_text`` takes a singular and a plural msgid, which
xgettext finds only when told that it is a plural keyword (Django's docs:
"Customizing the makemessages command")."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=plural_text:1,2"]
