"""StreamField blocks shared by principle pages and onboarding lessons.

One base stream (as wagtail/bakerydemo's base/blocks.py): a feature's page extends it with
blocks of its own, kept in that feature's blocks.py.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


class CustomerQuoteBlock(blocks.StructBlock):
    """A customer's own words, with who said them (as they may be named)."""

    quote = blocks.TextBlock(label=_("What the customer said"))
    attribution = blocks.CharBlock(
        label=_("Who said it"),
        required=False,
        help_text=_("A name only when the customer agreed to be named; else their role."),
    )

    class Meta:
        icon = "openquote"
        label = _("Customer quote")
        template = "portal/blocks/customer_quote.html"


class DoDontBlock(blocks.StructBlock):
    do = blocks.TextBlock(label=_("Do"))
    dont = blocks.TextBlock(label=_("Don't"))

    class Meta:
        icon = "tick"
        label = _("Do / don't")
        template = "portal/blocks/do_dont.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video"), help_text=_("A YouTube or Vimeo link."))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "portal/blocks/video.html"


class BaseStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"))
    quote = CustomerQuoteBlock()
    do_dont = DoDontBlock()
    image = ImageBlock(label=_("Image"))
    video = VideoBlock()


def stream_text(value) -> str:
    """A stream's words as plain text, one block to a paragraph (what search indexes)."""
    if not value:
        return ""
    parts = value.stream_block.get_searchable_content(value)
    return "\n\n".join(" ".join(str(part).split()) for part in parts if str(part).strip())
